"""`ipwatch notices`: 预警提示的起草、提交、签发、退回、更正与撤回，以及发送记录。"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ipwatch.cli_common import config_option, emit, info, output_options
from ipwatch.notice_options import (
    actor_option,
    as_record,
    deliver_now,
    done,
    json_result,
    now,
    open_db,
    pass_config,
    read_text,
    resolve,
    run_action,
)


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

    _, db = open_db(config_path)
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

    _, db = open_db(config_path)
    records = [as_record(r) for r in list_notices(db, status=status, limit=limit)]
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

    cfg, db = open_db(config_path)
    notice_id = resolve(db, ref)
    row = get_notice(db, notice_id)
    html, text = run_action(preview, db, cfg, notice_id)
    if html_out:
        Path(html_out).write_text(html, encoding="utf-8")
        info(f"打印版已写入 {html_out}")
    if as_json:
        click.echo(json.dumps({**as_record(row), "text": text}, ensure_ascii=False, indent=2))
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

    risk_text = read_text(risk, risk_file, "风险研判")
    advice_text = read_text(advice, advice_file, "应对建议")
    if risk_text is None and advice_text is None:
        raise click.ClickException("请用 --risk/--risk-file 或 --advice/--advice-file 给出新内容")
    _, db = open_db(config_path)
    notice_id = resolve(db, ref)
    run_action(edit_draft, db, notice_id, risk_text=risk_text, advice_text=advice_text, actor=actor,
         now=now())  # fmt: skip
    info(f"已修改 {notice_id}（{actor}）；提交签发：ipwatch notices submit '{notice_id}'")
    done(db, notice_id)


@notices.command()
@click.argument("ref")
@actor_option
@json_result
@pass_config
def submit(config_path: str, ref: str, actor: str) -> None:
    """提交草稿，等待签发（分析员）。"""
    from alerts.signoff import submit as submit_notice

    _, db = open_db(config_path)
    notice_id = resolve(db, ref)
    run_action(submit_notice, db, notice_id, actor, now())
    info(f"已提交 {notice_id}，待签发：ipwatch notices approve '{notice_id}'")
    done(db, notice_id)


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

    cfg, db = open_db(config_path)
    notice_id = resolve(db, ref)
    number = run_action(approve_notice, db, cfg, notice_id, actor, now())
    row = get_notice(db, notice_id)
    info(f"已签发 {number}（{actor}）：{notice_id}")
    if row and row.status == "held":
        info("企业未登记联系邮箱：邮件发至本局待转发；登记联系人后下次运行自动发给企业。")
    if row and row.pdf_note:
        info(row.pdf_note)
    if send:
        deliver_now(cfg, db)
    else:
        info("邮件已排队，下次 `ipwatch notify` 或运行周期时发出。")
    done(db, notice_id)


@notices.command("return")
@click.argument("ref")
@click.option("--comment", required=True, help="退回意见（必填）。")
@actor_option
@json_result
@pass_config
def return_command(config_path: str, ref: str, comment: str, actor: str) -> None:
    """退回待签发的预警提示，附意见（审批人）。"""
    from alerts.signoff import send_back

    _, db = open_db(config_path)
    notice_id = resolve(db, ref)
    run_action(send_back, db, notice_id, actor, comment, now())
    info(f"已退回 {notice_id}：{comment}")
    done(db, notice_id)


@notices.command()
@click.argument("ref")
@click.option("--reason", required=True, help="撤回理由（必填，印在撤回通知上）。")
@actor_option
@json_result
@pass_config
def withdraw(config_path: str, ref: str, reason: str, actor: str) -> None:
    """撤回已签发的预警提示：生成一份引用原文号的撤回通知，签发后生效（审批人）。"""
    from alerts.amend import withdraw as withdraw_notice

    cfg, db = open_db(config_path)
    notice_id = resolve(db, ref)
    row = run_action(withdraw_notice, db, cfg, notice_id, actor, reason, now())
    info(f"已生成撤回通知 {row.id}，待签发：ipwatch notices approve '{row.id}'")
    done(db, row.id)


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
    from alerts.amend import correct as correct_notice

    changes = {"note": note}
    if level:
        changes["level"] = level
    for key, path, label in (
        ("risk_text", risk_file, "风险研判"),
        ("advice_text", advice_file, "应对建议"),
    ):
        text = read_text(None, path, label)
        if text is not None:
            changes[key] = text
    cfg, db = open_db(config_path)
    notice_id = resolve(db, ref)
    row = run_action(correct_notice, db, cfg, notice_id, actor, changes, now())
    info(f"已生成更正通知 {row.id}，待签发：ipwatch notices approve '{row.id}'")
    done(db, row.id)


COMMANDS: list[click.Command] = [notices]
