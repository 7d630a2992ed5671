"""CLI commands for the match stage."""

import click

COMMANDS: list[click.Command] = []
