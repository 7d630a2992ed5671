"""CLI commands for the ops stage."""

import click

COMMANDS: list[click.Command] = []
