"""CLI commands for the crawl stage: `ipwatch crawl` and `ipwatch sources`."""

from __future__ import annotations

import click

from core.config import ConfigError
from core.lock import LockHeld, run_lock
from crawlers.health import published_types, source_health
from crawlers.run import crawl as run_crawl
from ipwatch.cli_common import config_option, emit, info, load, open_store, output_options

HEALTH_COLUMNS = [
    "id",
    "status",
    "stale",
    "last_attempt",
    "last_success",
    "items_seen",
    "new_items",
    "skipped",
    "consecutive_failures",
    "entry_types",
    "last_error",
]


@click.command()
@click.argument("sources", nargs=-1)
@config_option
def crawl(sources: tuple[str, ...], config_path: str) -> None:
    """Crawl the enabled sources (or only SOURCE...) and store new docket events.

    Prints one summary line per source on stderr; exits 1 when any source failed,
    after every source has run.

    \b
    Example:
        ipwatch crawl                     # every enabled source
        ipwatch crawl pacer_txwd pacer_txed
    """
    cfg = load(config_path)
    try:
        # Same lock as `ipwatch run`: a manual crawl waits for a scheduled cycle to finish.
        with run_lock(cfg):
            results = run_crawl(config_path, list(sources) or None)
    except (ConfigError, LockHeld) as exc:
        raise click.ClickException(str(exc)) from None
    for r in results.values():
        line = (
            f"{r.source:<16} {r.status:<9} seen {r.items_seen:>5}  new {r.new_items:>5}"
            f"  skipped {r.skipped:>3}"
        )
        info(line + (f"  {r.error}" if r.error else ""))
    failed = [r.source for r in results.values() if r.status == "failed"]
    if failed:
        raise click.ClickException(
            f"{len(failed)} source(s) failed / 抓取失败: {', '.join(failed)}\n"
            "  Hint: `ipwatch sources` shows each source's last error."
        )


@click.group(invoke_without_command=True)
@config_option
@output_options
@click.pass_context
def sources(ctx: click.Context, config_path: str, fmt: str | None) -> None:
    """Show each source's crawl health: status, counts, last error and a stale flag.

    A source is stale after 3 failed runs in a row, or when on a weekday its feed has not
    changed for crawl.stale_after_hours. `entry_types` shows which kinds of docket entries a
    court's feed published (cmp = complaints; some courts publish only orders).

    \b
    Example:
        ipwatch sources
        ipwatch sources --json
        ipwatch sources add-courts --all
    """
    if ctx.invoked_subcommand:
        return
    cfg = load(config_path)
    db = open_store(cfg)
    try:
        rows = source_health(db, cfg.crawl.stale_after_hours)
        types = published_types(db)
        for row in rows:
            row["entry_types"] = types.get(row["id"], "")
    finally:
        db.close()
    emit(rows, fmt, None if fmt else HEALTH_COLUMNS)


COMMANDS: list[click.Command] = [crawl, sources]
