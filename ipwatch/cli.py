"""The `ipwatch` command line: one group, commands registered from each stage's module."""

from __future__ import annotations

import click

from ipwatch import (
    __version__,
    cli_admin,
    cli_alerts,
    cli_crawl,
    cli_match,
    cli_notices,
    cli_ops,
    cli_web,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ipwatch")
def cli() -> None:
    """ipwatch — 海外知识产权纠纷预警 / overseas IP-dispute early warning for Huizhou exporters.

    \b
    Example:
        ipwatch run            # one full cycle: crawl, match, notify, digest
        ipwatch check-config   # validate config.yaml
    """


for _module in (cli_crawl, cli_match, cli_alerts, cli_notices, cli_ops, cli_admin, cli_web):
    for _command in _module.COMMANDS:
        cli.add_command(_command)
