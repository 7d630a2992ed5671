"""预警提示: list, draft editing, submit, 签发 or return, preview as printed, withdraw, correct."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from alerts.outbox import deliver
from alerts.render import LEVELS_ZH
from alerts.signoff import (
    SignoffError,
    approve,
    changes_of,
    correct,
    edit_draft,
    preview,
    send_back,
    submit,
    withdraw,
)
from core.notices import STATUS_ZH, get_notice, list_notices, referring_to
from ipwatch.web.context import ANALYSTS, APPROVERS, Ctx, page, refuse


def _id(ctx: Ctx) -> str:
    return str(ctx.request.path_params["notice_id"])


@page()
def notice_list(ctx: Ctx) -> Response:
    """Notices newest first, optionally one state."""
    status = ctx.get("status")
    return ctx.render(
        "notices.html",
        notices=list_notices(ctx.db, status or None, limit=500),
        status=status,
        statuses=STATUS_ZH,
        levels=LEVELS_ZH,
    )


@page()
def notice_page(ctx: Ctx) -> Response:
    """One notice: its state, editable sections, actions allowed to this user, references."""
    row = get_notice(ctx.db, _id(ctx))
    if row is None:
        return refuse(ctx.env, ctx.request, 404, f"没有预警提示 {_id(ctx)}")
    first = get_notice(ctx.db, row.references_id) if row.references_id else None
    return ctx.render(
        "notice.html",
        n=row,
        first=first,
        follow_ups=referring_to(ctx.db, row.id),
        changes=changes_of(row) if row.kind == "correction" else {},
        levels=LEVELS_ZH,
    )


@page()
def notice_print(ctx: Ctx) -> Response:
    """The notice exactly as printed (A4; the level is text, visible without backgrounds)."""
    try:
        html, _ = preview(ctx.db, ctx.cfg, _id(ctx))
    except SignoffError as exc:
        return refuse(ctx.env, ctx.request, 404, str(exc))
    return HTMLResponse(html)


def _act(ctx: Ctx, action: str) -> Response:
    notice_id, now, actor = _id(ctx), datetime.now(UTC), ctx.user.name
    target = f"/notices/{notice_id}"
    try:
        if action == "edit":
            edit_draft(ctx.db, notice_id, risk_text=ctx.get("risk_text"),
                       advice_text=ctx.get("advice_text"), actor=actor, now=now)  # fmt: skip
            message = "已保存草稿。"
        elif action == "submit":
            submit(ctx.db, notice_id, actor, now)
            message = "已提交，等待审核人签发。"
        elif action == "return":
            send_back(ctx.db, notice_id, actor, ctx.get("comment"), now)
            message = "已退回分析员修改。"
        elif action == "approve":
            number = approve(ctx.db, ctx.cfg, notice_id, actor, now)
            sent = deliver(ctx.db, ctx.cfg)
            message = f"已签发，编号 {number}；邮件已排队，本次发送 {sent.sent} 封。"
            if sent.failed or sent.held:
                message += f"（失败 {sent.failed}，暂缓 {sent.held}，见发送记录）"
        elif action == "withdraw":
            follow = withdraw(ctx.db, ctx.cfg, notice_id, actor, ctx.get("reason"), now)
            target, message = f"/notices/{follow.id}", "撤回通知已拟好，签发后生效。"
        else:
            changes = {k: ctx.get(k) for k in ("risk_text", "advice_text", "level", "note")}
            follow = correct(ctx.db, ctx.cfg, notice_id, actor, changes, now)
            target, message = f"/notices/{follow.id}", "更正通知已拟好，签发后生效。"
    except SignoffError as exc:
        ctx.flash("error", str(exc))
        return ctx.redirect(target)
    ctx.flash("ok", message)
    return ctx.redirect(target)


@page(ANALYSTS)
def notice_edit(ctx: Ctx) -> Response:
    """Save the draft's 风险研判 and 应对建议."""
    return _act(ctx, "edit")


@page(ANALYSTS)
def notice_submit(ctx: Ctx) -> Response:
    """Hand the draft to the approvers."""
    return _act(ctx, "submit")


@page(APPROVERS)
def notice_approve(ctx: Ctx) -> Response:
    """签发: number the notice, queue and send its email."""
    return _act(ctx, "approve")


@page(APPROVERS)
def notice_return(ctx: Ctx) -> Response:
    """Return a submitted notice with a comment."""
    return _act(ctx, "return")


@page(APPROVERS)
def notice_withdraw(ctx: Ctx) -> Response:
    """Draft a withdrawal (撤回) of a signed notice; it needs 签发 too."""
    return _act(ctx, "withdraw")


@page(APPROVERS)
def notice_correct(ctx: Ctx) -> Response:
    """Draft a correction (更正) of a signed notice; it needs 签发 too."""
    return _act(ctx, "correct")


ROUTES = [
    Route("/notices", notice_list),
    Route("/notices/{notice_id:path}/print", notice_print),
    Route("/notices/{notice_id:path}/edit", notice_edit, methods=["POST"]),
    Route("/notices/{notice_id:path}/submit", notice_submit, methods=["POST"]),
    Route("/notices/{notice_id:path}/approve", notice_approve, methods=["POST"]),
    Route("/notices/{notice_id:path}/return", notice_return, methods=["POST"]),
    Route("/notices/{notice_id:path}/withdraw", notice_withdraw, methods=["POST"]),
    Route("/notices/{notice_id:path}/correct", notice_correct, methods=["POST"]),
    Route("/notices/{notice_id:path}", notice_page),
]
