"""Options and helpers shared by the `ipwatch notices` commands (actor, --config, --json)."""

from __future__ import annotations

import functools
import getpass
import json
import os
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from core.config import Config
from ipwatch.cli_common import info, load, open_store


def _os_user() -> str:
    return os.environ.get("USER") or getpass.getuser()


actor_option = click.option(
    "--actor",
    default=_os_user,
    show_default="$USER",
    help="操作人（记入操作日志）。",
)


def pass_config(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Accept --config after the subcommand too (`notices approve ID --config …`)."""

    @click.option(
        "--config",
        "sub_config",
        default=None,
        type=click.Path(dir_okay=False),
        help="Path to config.yaml (overrides the one given before the subcommand).",
    )
    @click.pass_obj
    @functools.wraps(fn)
    def wrapper(group_config: str, *args: Any, sub_config: str | None, **kwargs: Any) -> Any:
        return fn(sub_config or group_config, *args, **kwargs)

    return wrapper


def json_result(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add --json: print the notice the command changed or created as one JSON object."""

    @click.option(
        "--json", "as_json", is_flag=True, help="输出处理后的预警提示（一个 JSON 对象）。"
    )
    @functools.wraps(fn)
    def wrapper(*args: Any, as_json: bool, **kwargs: Any) -> Any:
        click.get_current_context().meta["notices.json"] = as_json
        return fn(*args, **kwargs)

    return wrapper


def done(db: Database, notice_id: str) -> None:
    """Print the notice as JSON when --json was given (stdout stays data, messages go to stderr)."""
    from core.notices import get_notice

    row = get_notice(db, notice_id)
    if row is not None and click.get_current_context().meta.get("notices.json"):
        click.echo(json.dumps(as_record(row), ensure_ascii=False, indent=2))


def open_db(config_path: str) -> tuple[Config, Database]:
    """The loaded config and the opened store."""
    cfg = load(config_path)
    return cfg, open_store(cfg)


def resolve(db: Database, ref: str) -> str:
    """The notice id for an id or a 文号 (2026-1), or a ClickException naming the reference."""
    from core.notices import find_notice

    row = find_notice(db, ref)
    if row is None:
        raise click.ClickException(
            f"找不到预警提示 {ref!r}：请用 `ipwatch notices list` 中的 id 或文号（如 2026-1）"
        )
    return row.id


def run_action(action: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a workflow function; its errors reach the user as `Error: …`, never a traceback."""
    from alerts.facts import AlertsError
    from alerts.signoff import SignoffError

    try:
        return action(*args, **kwargs)
    except (SignoffError, AlertsError) as exc:
        raise click.ClickException(str(exc)) from None


def as_record(row: Any) -> dict[str, Any]:
    """A notice row as a JSON-ready dict with its Chinese status and kind."""
    return {**asdict(row), "status_zh": row.status_zh, "kind_zh": row.kind_zh}


def read_text(text: str | None, path: str | None, label: str) -> str | None:
    """The text given inline or read from a file (not both); None when neither."""
    if text is not None and path is not None:
        raise click.ClickException(f"{label}：请只给出文字或文件之一")
    if path is not None:
        try:
            return Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"{path}: 无法读取（{exc}）") from None
    return text


def now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def deliver_now(cfg: Config, db: Database) -> None:
    """Deliver the queued mail now, under the run lock (`notices approve --send`)."""
    from alerts.outbox import deliver
    from core.lock import LockHeld, run_lock

    try:
        with run_lock(cfg):
            result = deliver(db, cfg)
    except LockHeld as exc:
        raise click.ClickException(f"{exc}；邮件已排队，稍后由运行周期发出") from None
    info(f"已发送/写出 {result.sent}，失败 {result.failed}，待处理 {result.held}")
