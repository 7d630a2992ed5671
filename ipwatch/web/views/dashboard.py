"""工作台: what needs action first."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from alerts.facts import AlertsError, load_case
from core.desk import new_local_parties, troubled_deliveries, warning_cases
from core.notices import list_notices
from ipwatch.status import source_status
from ipwatch.web.context import BEIJING, Ctx, page

UPCOMING_DAYS = 14


def open_deadlines(ctx: Ctx) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(due within 14 days, overdue) open deadlines on cases warned to a company."""
    now = datetime.now(BEIJING)
    today = now.date()
    upcoming, overdue = [], []
    for case in warning_cases(ctx.db):
        try:
            deadlines = load_case(ctx.db, case["case_id"], ctx.cfg.timezone).deadlines
        except AlertsError:
            continue
        for d in deadlines:
            if d.certainty == "done" or d.due is None:
                continue
            item = {**case, "deadline": d, "days": (d.due - today).days, "note": ""}
            if d.earliest_passed(now):
                item["note"] = d.passed_zh(now)
            elif item["days"] < 0:  # still open in the court's zone, past in Beijing
                item["note"] = "按法院当地时间今日届满"
            # Run out only past midnight after the due day in the court's own zone; an earliest
            # date (service unknown) that has passed is no proof the period ran out.
            if d.expired(now):
                overdue.append(item)
            elif d.due <= today + timedelta(days=UPCOMING_DAYS):
                upcoming.append(item)
    upcoming.sort(key=lambda i: i["days"])
    overdue.sort(key=lambda i: i["days"])
    return upcoming, overdue


@page()
def today(ctx: Ctx) -> Response:
    """工作台: notices to act on, deadlines, troubled deliveries and sources, new local parties."""
    waiting = [
        n for s in ("submitted", "returned", "draft", "held") for n in list_notices(ctx.db, s)
    ]
    upcoming, overdue = open_deadlines(ctx)
    sources = [s for s in source_status(ctx.db, ctx.cfg, datetime.now(BEIJING)) if s["enabled"]]
    troubled = [s for s in sources if s["problem"] or s["status"] == "never crawled"]
    return ctx.render(
        "dashboard.html",
        waiting=waiting,
        upcoming=upcoming,
        overdue=overdue,
        deliveries=troubled_deliveries(ctx.db),
        sources=troubled,
        local=new_local_parties(ctx.db),
    )


ROUTES = [Route("/", today)]
