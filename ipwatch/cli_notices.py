"""`ipwatch notices`: 预警提示的起草、提交、签发、退回、更正与撤回，以及发送记录。"""

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
from ipwatch.cli_common import config_option, emit, info, load, open_store, output_options


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


def _done(db: Database, notice_id: str) -> None:
    """Print the notice as JSON when --json was given (stdout stays data, messages go to stderr)."""
    from core.notices import get_notice

    row = get_notice(db, notice_id)
    if row is not None and click.get_current_context().meta.get("notices.json"):
        click.echo(json.dumps(_record(row), ensure_ascii=False, indent=2))


def _open(config_path: str) -> tuple[Config, Database]:
    cfg = load(config_path)
    return cfg, open_store(cfg)


def _resolve(db: Database, ref: str) -> str:
    from core.notices import find_notice

    row = find_notice(db, ref)
    if row is None:
        raise click.ClickException(
            f"找不到预警提示 {ref!r}：请用 `ipwatch notices list` 中的 id 或文号（如 2026-1）"
        )
    return row.id


def _run(action: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a workflow function; its errors reach the user as `Error: …`, never a traceback."""
    from alerts.facts import AlertsError
    from alerts.signoff import SignoffError

    try:
        return action(*args, **kwargs)
    except (SignoffError, AlertsError) as exc:
        raise click.ClickException(str(exc)) from None


def _record(row: Any) -> dict[str, Any]:
    return {**asdict(row), "status_zh": row.status_zh, "kind_zh": row.kind_zh}


def _read(text: str | None, path: str | None, label: str) -> str | None:
    if text is not None and path is not None:
        raise click.ClickException(f"{label}：请只给出文字或文件之一")
    if path is not None:
        try:
            return Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"{path}: 无法读取（{exc}）") from None
    return text


def _now() -> datetime:
    return datetime.now(UTC)


@click.group(invoke_without_command=True)
@config_option
@output_options
@click.pass_context
def notices(ctx: click.Context, config_path: str, fmt: str | None) -> None:
    """预警提示：起草 → 提交 → 签发（编号、发出）；退回、更正、撤回。

    不带子命令时列出发送记录（什么发给了谁、何时发出）。

    \b
    Example:
        ipwatch notices list --status submitted
        ipwatch notices show 'usdc:txwd:6:22-cv-00217|HZ001'
        ipwatch notices approve 'usdc:txwd:6:22-cv-00217|HZ001' --actor 张科长
        ipwatch notices --json          # 发送记录
    """
    ctx.obj = config_path
    if ctx.invoked_subcommand:
        return
    _deliveries(config_path, fmt)


def _deliveries(config_path: str, fmt: str | None) -> None:
    from core.notices import deliveries

    _, db = _open(config_path)
    records = []
    for r in deliveries(db):
        recipients = json.loads(r.pop("recipients") or "{}")
        records.append({**r, "to": ", ".join(recipients.get("to", []))})
    columns = ["number", "kind", "level", "case_id", "company_id", "to", "state", "sent_at"]
    emit(records, fmt, columns=None if fmt else columns)


@notices.command("sent")
@output_options
@pass_config
def sent(config_path: str, fmt: str | None) -> None:
    """发送记录：预警、更正、撤回、进展和日报邮件的投递状态。"""
    _deliveries(config_path, fmt)


@notices.command("list")
@click.option(
    "--status",
    type=click.Choice(["draft", "submitted", "returned", "signed", "sent", "withdrawn", "held"]),
    help="只列出该状态（draft 草稿、submitted 待签发、returned 已退回、held 待转发…）。",
)
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 10_000))
@output_options
@pass_config
def list_command(config_path: str, status: str | None, limit: int, fmt: str | None) -> None:
    """列出预警提示（最新在前）及其状态。"""
    from core.notices import list_notices

    _, db = _open(config_path)
    records = [_record(r) for r in list_notices(db, status=status, limit=limit)]
    columns = ["id", "number", "status_zh", "kind_zh", "level", "company_id", "title"]
    emit(records, fmt, columns=None if fmt else columns)


@notices.command()
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="输出一个 JSON 对象（含打印文本）。")
@click.option(
    "--html", "html_out", type=click.Path(dir_okay=False), help="把打印版 HTML 写入此文件。"
)
@pass_config
def show(config_path: str, ref: str, as_json: bool, html_out: str | None) -> None:
    """显示一份预警提示：状态、审批记录和打印文本（与打印件一致）。"""
    from alerts.signoff import preview
    from core.notices import get_notice

    cfg, db = _open(config_path)
    notice_id = _resolve(db, ref)
    row = get_notice(db, notice_id)
    html, text = _run(preview, db, cfg, notice_id)
    if html_out:
        Path(html_out).write_text(html, encoding="utf-8")
        info(f"打印版已写入 {html_out}")
    if as_json:
        click.echo(json.dumps({**_record(row), "text": text}, ensure_ascii=False, indent=2))
        return
    assert row is not None
    info(f"{row.id}  {row.kind_zh}  状态：{row.status_zh}  {row.number or '（签发后编号）'}")
    for who, at, what in (
        (row.submitted_by, row.submitted_at, "提交"),
        (row.returned_by, row.returned_at, f"退回：{row.return_comment}"),
        (row.signed_by, row.signed_at, "签发"),
    ):
        if who:
            info(f"  {at} {who} {what}")
    if row.pdf_note:
        info(f"  {row.pdf_note}")
    click.echo(text)


@notices.command()
@click.argument("ref")
@click.option("--risk", help="新的「风险研判」全文（每行一条）。")
@click.option("--risk-file", type=click.Path(dir_okay=False), help="从文件读取「风险研判」。")
@click.option("--advice", help="新的「应对建议」全文（每行一条）。")
@click.option("--advice-file", type=click.Path(dir_okay=False), help="从文件读取「应对建议」。")
@actor_option
@json_result
@pass_config
def edit(
    config_path: str,
    ref: str,
    risk: str | None,
    risk_file: str | None,
    advice: str | None,
    advice_file: str | None,
    actor: str,
) -> None:
    """修改草稿或已退回稿的「风险研判」「应对建议」（分析员）。"""
    from alerts.signoff import edit_draft

    risk_text = _read(risk, risk_file, "风险研判")
    advice_text = _read(advice, advice_file, "应对建议")
    if risk_text is None and advice_text is None:
        raise click.ClickException("请用 --risk/--risk-file 或 --advice/--advice-file 给出新内容")
    _, db = _open(config_path)
    notice_id = _resolve(db, ref)
    _run(edit_draft, db, notice_id, risk_text=risk_text, advice_text=advice_text, actor=actor,
         now=_now())  # fmt: skip
    info(f"已修改 {notice_id}（{actor}）；提交签发：ipwatch notices submit '{notice_id}'")
    _done(db, notice_id)


@notices.command()
@click.argument("ref")
@actor_option
@json_result
@pass_config
def submit(config_path: str, ref: str, actor: str) -> None:
    """提交草稿，等待签发（分析员）。"""
    from alerts.signoff import submit as submit_notice

    _, db = _open(config_path)
    notice_id = _resolve(db, ref)
    _run(submit_notice, db, notice_id, actor, _now())
    info(f"已提交 {notice_id}，待签发：ipwatch notices approve '{notice_id}'")
    _done(db, notice_id)


@notices.command()
@click.argument("ref")
@click.option("--send", is_flag=True, help="签发后立即投递（否则由下次 notify/运行周期发出）。")
@actor_option
@json_result
@pass_config
def approve(config_path: str, ref: str, send: bool, actor: str) -> None:
    """签发（审批人）：此时才分配文号〔YYYY〕第N号、生成打印件并排队邮件。"""
    from alerts.signoff import approve as approve_notice
    from core.notices import get_notice

    cfg, db = _open(config_path)
    notice_id = _resolve(db, ref)
    number = _run(approve_notice, db, cfg, notice_id, actor, _now())
    row = get_notice(db, notice_id)
    info(f"已签发 {number}（{actor}）：{notice_id}")
    if row and row.status == "held":
        info("企业未登记联系邮箱：邮件发至本局待转发；登记联系人后下次运行自动发给企业。")
    if row and row.pdf_note:
        info(row.pdf_note)
    if send:
        _deliver(cfg, db)
    else:
        info("邮件已排队，下次 `ipwatch notify` 或运行周期时发出。")
    _done(db, notice_id)


def _deliver(cfg: Config, db: Database) -> None:
    from alerts.outbox import deliver
    from core.lock import LockHeld, run_lock

    try:
        with run_lock(cfg):
            result = deliver(db, cfg)
    except LockHeld as exc:
        raise click.ClickException(f"{exc}；邮件已排队，稍后由运行周期发出") from None
    info(f"已发送/写出 {result.sent}，失败 {result.failed}，待处理 {result.held}")


@notices.command("return")
@click.argument("ref")
@click.option("--comment", required=True, help="退回意见（必填）。")
@actor_option
@json_result
@pass_config
def return_command(config_path: str, ref: str, comment: str, actor: str) -> None:
    """退回待签发的预警提示，附意见（审批人）。"""
    from alerts.signoff import send_back

    _, db = _open(config_path)
    notice_id = _resolve(db, ref)
    _run(send_back, db, notice_id, actor, comment, _now())
    info(f"已退回 {notice_id}：{comment}")
    _done(db, notice_id)


@notices.command()
@click.argument("ref")
@click.option("--reason", required=True, help="撤回理由（必填，印在撤回通知上）。")
@actor_option
@json_result
@pass_config
def withdraw(config_path: str, ref: str, reason: str, actor: str) -> None:
    """撤回已签发的预警提示：生成一份引用原文号的撤回通知，签发后生效（审批人）。"""
    from alerts.signoff import withdraw as withdraw_notice

    cfg, db = _open(config_path)
    notice_id = _resolve(db, ref)
    row = _run(withdraw_notice, db, cfg, notice_id, actor, reason, _now())
    info(f"已生成撤回通知 {row.id}，待签发：ipwatch notices approve '{row.id}'")
    _done(db, row.id)


@notices.command()
@click.argument("ref")
@click.option("--note", required=True, help="更正说明（必填，印在更正通知上）。")
@click.option("--level", type=click.Choice(["red", "orange", "yellow"]), help="更正后的预警等级。")
@click.option("--risk-file", type=click.Path(dir_okay=False), help="更正后的「风险研判」。")
@click.option("--advice-file", type=click.Path(dir_okay=False), help="更正后的「应对建议」。")
@actor_option
@json_result
@pass_config
def correct(
    config_path: str,
    ref: str,
    note: str,
    level: str | None,
    risk_file: str | None,
    advice_file: str | None,
    actor: str,
) -> None:
    """更正已签发的预警提示：生成一份引用原文号的更正通知，签发后发出（审批人）。"""
    from alerts.signoff import correct as correct_notice

    changes = {"note": note}
    if level:
        changes["level"] = level
    for key, path, label in (
        ("risk_text", risk_file, "风险研判"),
        ("advice_text", advice_file, "应对建议"),
    ):
        text = _read(None, path, label)
        if text is not None:
            changes[key] = text
    cfg, db = _open(config_path)
    notice_id = _resolve(db, ref)
    row = _run(correct_notice, db, cfg, notice_id, actor, changes, _now())
    info(f"已生成更正通知 {row.id}，待签发：ipwatch notices approve '{row.id}'")
    _done(db, row.id)


COMMANDS: list[click.Command] = [notices]
