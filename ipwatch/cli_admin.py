"""CLI commands for the operator: scheduler and status."""

import click

COMMANDS: list[click.Command] = []
