"""数据来源, 日报, 发送记录, 操作日志: the operational pages (read-only)."""

from __future__ import annotations

import re
from datetime import datetime

from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from core.audit import entries
from core.desk import outbox_log
from ipwatch.status import source_status
from ipwatch.web.context import BEIJING, Ctx, page, refuse
from ipwatch.web.labels import VOCABULARY

DIGEST_NAME = re.compile(r"^digest-\d{4}-\d{2}-\d{2}\.html$")


@page()
def sources(ctx: Ctx) -> Response:
    """Each source's health, times in Beijing time."""
    return ctx.render("sources.html", sources=source_status(ctx.db, ctx.cfg, datetime.now(BEIJING)))


def _digest_dir(ctx: Ctx):  # type: ignore[no-untyped-def]
    return ctx.cfg.path(ctx.cfg.alerts.out_dir) / "digests"


@page()
def digests(ctx: Ctx) -> Response:
    """The digest archive, newest first."""
    folder = _digest_dir(ctx)
    names = (
        sorted((p.name for p in folder.glob("digest-*.html")), reverse=True)
        if folder.is_dir()
        else []
    )
    return ctx.render("digests.html", names=names)


@page()
def digest(ctx: Ctx) -> Response:
    """One archived digest as it was written."""
    name = ctx.request.path_params["name"]
    path = _digest_dir(ctx) / name
    if not DIGEST_NAME.match(name) or not path.is_file():
        return refuse(ctx.env, ctx.request, 404, f"没有日报 {name}")
    return HTMLResponse(path.read_text(encoding="utf-8"))


@page()
def deliveries(ctx: Ctx) -> Response:
    """What was sent to whom and when, newest first."""
    number = ctx.page_number()
    if number is None:
        return ctx.bad_page()
    found, more = outbox_log(ctx.db, number)
    return ctx.render(
        "deliveries.html", rows=found, more=more, page_no=number, states=VOCABULARY["outbox_state"]
    )


@page()
def audit(ctx: Ctx) -> Response:
    """The audit log: who decided what, when and why."""
    return ctx.render(
        "audit.html",
        entries=entries(
            ctx.db, actor=ctx.get("actor") or None, target=ctx.get("target") or None, limit=300
        ),
        actor=ctx.get("actor"),
        target=ctx.get("target"),
    )


ROUTES = [
    Route("/sources", sources),
    Route("/digests", digests),
    Route("/digests/{name}", digest),
    Route("/deliveries", deliveries),
    Route("/audit", audit),
]
