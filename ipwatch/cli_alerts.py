"""CLI commands for the alerts stage."""

import click

COMMANDS: list[click.Command] = []
