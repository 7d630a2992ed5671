"""Shared CLI pieces: the --config option, output format options and error translation."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any

import click
from sqlite_utils import Database

from core.config import Config, ConfigError, load_config
from core.logs import setup_logging, to_file
from core.store import StoreError, open_db

config_option = click.option(
    "--config",
    "config_path",
    envvar="IPWATCH_CONFIG",
    default="config.yaml",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Path to config.yaml (env IPWATCH_CONFIG).",
)


def output_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add --json (one array) and --nl (one object per line); default is a readable table."""

    @click.option("--json", "fmt", flag_value="json", help="Output a JSON array.")
    @click.option("--nl", "fmt", flag_value="nl", help="Output one JSON object per line.")
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return wrapper


json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print the result as one JSON object on stdout."
)


def load(config_path: str) -> Config:
    """Load config.yaml or stop with `Error: config.yaml: <key>: <what is wrong>` (exit 1).

    From here on the command's console messages (`info`) and its errors also go to log_file,
    so a manual run leaves the same trail as a scheduled one.
    """
    try:
        cfg = load_config(config_path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    setup_logging(cfg, quiet=True)
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        to_file("ipwatch.cli", f"command: {ctx.command_path}", command=ctx.info_name)
    return cfg


def open_store(cfg: Config) -> Database:
    """Open the configured database or stop with a clear error and a fix-it hint."""
    try:
        return open_db(cfg.path(cfg.database))
    except StoreError as exc:
        raise click.ClickException(
            f"{exc}\n  Hint: check that the folder is writable and the disk is not full."
        ) from None


def load_with_store(config_path: str) -> tuple[Config, Database]:
    """Load config.yaml and open its database, each failure a clear `Error:` line (exit 1)."""
    cfg = load(config_path)
    return cfg, open_store(cfg)


def echo_json(value: object) -> None:
    """Print one object as readable JSON (Chinese kept as is) on stdout."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def emit(
    records: Iterable[dict[str, Any]], fmt: str | None, columns: list[str] | None = None
) -> None:
    """Write records to stdout as a JSON array, JSON lines or an aligned table."""
    records = list(records)
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2, default=str))
        return
    if fmt == "nl":
        for r in records:
            click.echo(json.dumps(r, ensure_ascii=False, default=str))
        return
    if not records:
        click.echo("(none / 无)", err=True)
        return
    cols = columns or list(records[0].keys())
    widths = {c: min(60, max(len(c), *(len(str(r.get(c, ""))) for r in records))) for c in cols}
    click.echo("  ".join(c.ljust(widths[c]) for c in cols))
    for r in records:
        click.echo("  ".join(str(r.get(c, ""))[: widths[c]].ljust(widths[c]) for c in cols))


def info(message: str) -> None:
    """A message for the person at the terminal (stderr, so stdout stays data), also logged."""
    click.echo(message, err=True)
    to_file("ipwatch.cli", message)
