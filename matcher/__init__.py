"""Party extraction and matching against the registry of Huizhou exporters."""
