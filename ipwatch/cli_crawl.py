"""CLI commands for the crawl stage."""

import click

COMMANDS: list[click.Command] = []
