"""ipwatch: overseas IP-dispute early warning for Huizhou exporters."""

__version__ = "0.1.0"
