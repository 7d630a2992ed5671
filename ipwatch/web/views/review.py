"""待复核: the review queue grouped by company × party name, bulk decisions with undo."""

from __future__ import annotations

from datetime import UTC, date, datetime

from starlette.responses import Response
from starlette.routing import Route

from alerts.confirm import confirmation_effects
from core.match_settings import effective_config
from core.review import REASON_CODES, ReviewFilter, pending_matches, recent_batches
from ipwatch.web.context import ANALYSTS, Ctx, clip, page
from matcher.registry import Registry, RegistryError
from matcher.registry_db import load_db_registry
from matcher.review_desk import ReviewError, decide, evidence_zh, group_queue, undo

FORUMS = {
    "usdc": "美国联邦地区法院",
    "itc": "美国国际贸易委员会",
    "upc": "欧洲统一专利法院",
    "news": "新闻",
}


DATE_FIELDS = {"date_from": "起始日期", "date_to": "截止日期"}


def _filter(ctx: Ctx) -> tuple[ReviewFilter, list[str]]:
    """The queue's filters, and a message for each date that is not a date (that one unused)."""
    dates, problems = {}, []
    for field, label in DATE_FIELDS.items():
        value = ctx.get(field)
        try:
            dates[field] = date.fromisoformat(value).isoformat() if value else ""
        except ValueError:
            dates[field] = ""
            problems.append(f"{label}“{clip(value, 30)}”不是有效日期，请按 YYYY-MM-DD 填写"
                            "（如 2024-12-31）；此条件未使用。")  # fmt: skip
    flt = ReviewFilter(
        level=ctx.get("level"), company=ctx.get("company"), forum=ctx.get("forum"), **dates
    )
    return flt, problems


@page()
def queue(ctx: Ctx) -> Response:
    """The queue with its filters; each group shows its evidence and case count."""
    flt, problems = _filter(ctx)
    for problem in problems:
        ctx.flash("error", problem)  # shown on this very page: render takes the messages
    groups = group_queue(pending_matches(ctx.db, flt))
    return ctx.render(
        "review.html",
        http_status=400 if problems else 200,
        groups=groups,
        flt=flt,
        forums=FORUMS,
        reasons=REASON_CODES,
        evidence_zh=evidence_zh,
        batches=recent_batches(ctx.db, ctx.user.name),
    )


def registry(ctx: Ctx) -> Registry:
    """The registry as `ipwatch review` and the cycle see it (database, console settings)."""
    return load_db_registry(ctx.db, effective_config(ctx.cfg, ctx.db))


@page(ANALYSTS)
def decide_groups(ctx: Ctx) -> Response:
    """Confirm or dismiss the selected groups (every match in each) in one batch."""
    ids = [i for value in ctx.getlist("group") for i in value.split(",") if i]
    ids += ctx.getlist("match")
    action = ctx.get("action")
    try:
        batch, effects = decide(
            ctx.db, registry(ctx), ids, action, ctx.user.name, ctx.get("reason_code"),
            ctx.get("reason_text"),
        )  # fmt: skip
    except (ReviewError, RegistryError) as exc:
        ctx.flash("error", str(exc))
        return ctx.redirect("/review")
    verb = "已确认" if action == "confirm" else "已排除"
    ctx.flash("ok", f"{verb} {len(ids)} 条匹配：{'；'.join(effects)}。可在下方“撤销”。")
    if action == "confirm":
        # The same step as `ipwatch review confirm`: a confirmed warning gets its draft now.
        now, done = datetime.now(UTC), []
        for match_id in ids:
            for line in confirmation_effects(ctx.db, ctx.cfg, match_id, ctx.user.name, now):
                if line not in done:
                    done.append(line)
                    ctx.flash("ok", line)
    return ctx.redirect("/review")


@page(ANALYSTS)
def undo_batch(ctx: Ctx) -> Response:
    """Take back one of the user's recent decision batches."""
    try:
        done = undo(ctx.db, ctx.get("batch"), ctx.user.name)
    except ReviewError as exc:
        ctx.flash("error", str(exc))
        return ctx.redirect("/review")
    ctx.flash("ok", f"已撤销，{len(done.matches)} 条匹配回到待复核队列。")
    if done.drafts:
        ctx.flash("ok", f"已删除这批确认起草的预警提示草稿：{'、'.join(done.drafts)}。")
    return ctx.redirect("/review")


ROUTES = [
    Route("/review", queue),
    Route("/review/decide", decide_groups, methods=["POST"]),
    Route("/review/undo", undo_batch, methods=["POST"]),
]
