"""The `ipwatch` command line: one group, commands registered from each stage's module."""

from __future__ import annotations

import logging
from typing import Any

import click

from core.dbfile import private_umask
from core.logs import to_file
from ipwatch import (
    __version__,
    cli_admin,
    cli_alerts,
    cli_crawl,
    cli_deadlines,
    cli_match,
    cli_notices,
    cli_ops,
    cli_pacer,
    cli_registry,
    cli_registry_names,
    cli_web,
)


class LoggedGroup(click.Group):
    """The command group; an error a command stops with is written to log_file as well."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; log its `Error: …` before click prints it."""
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            to_file("ipwatch.cli", f"Error: {exc.format_message()}", logging.ERROR)
            raise


@click.group(cls=LoggedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ipwatch")
def cli() -> None:
    """ipwatch — 海外知识产权纠纷预警 / overseas IP-dispute early warning for Huizhou exporters.

    \b
    Example:
        ipwatch run            # one full cycle: crawl, match, notify, digest
        ipwatch check-config   # validate config.yaml
    """
    private_umask()  # database, outbox, notices, digests and logs: 0600 files, 0700 folders


for _module in (
    cli_crawl,
    cli_match,
    cli_alerts,
    cli_notices,
    cli_ops,
    cli_pacer,
    cli_admin,
    cli_deadlines,
    cli_registry,
    cli_registry_names,
    cli_web,
):
    for _command in _module.COMMANDS:
        cli.add_command(_command)
