"""Allow `python -m ipwatch`."""

from ipwatch.cli import cli

cli()
