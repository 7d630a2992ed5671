"""案件: the case list and the case page (timeline, parties, matches, deadlines, notices)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.responses import Response
from starlette.routing import Route

from alerts.facts import COURTS_ZH, FORUMS_ZH, AlertsError, load_case
from core.desk import (
    case_events,
    case_matches,
    case_messages,
    case_parties,
    case_row,
    related_by_docket,
    search_cases,
)
from core.notices import notices_for_case
from ipwatch.web.context import BEIJING, Ctx, page, refuse
from ipwatch.web.labels import VOCABULARY
from matcher.review_desk import LEVELS_ZH, evidence_zh


def link(url: str | None) -> dict[str, Any] | None:
    """A link as shown: only http(s); PACER pages are marked paid (付费)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    paid = host.endswith("uscourts.gov") and ("pacer" in host or host.startswith("ecf."))
    return {"url": url, "paid": paid, "host": host}


def free_links(case: dict[str, Any]) -> list[dict[str, Any]]:
    """Free places to read the case: CourtListener for US courts, EDIS for ITC investigations."""
    out = []
    if case["forum"] == "usdc" and case["docket_number"]:
        q = quote(f'docketNumber:"{case["docket_number"]}"')
        url = f"https://www.courtlistener.com/?type=r&q={q}&court={quote(case['court'] or '')}"
        out.append(
            {
                "url": url,
                "paid": False,
                "host": "www.courtlistener.com",
                "label": "CourtListener（免费）",
            }
        )
    if case["forum"] == "itc":
        out.append({"url": "https://edis.usitc.gov/external/search/advanced", "paid": False,
                    "host": "edis.usitc.gov", "label": "USITC EDIS（免费）"})  # fmt: skip
    return out


@page()
def case_list(ctx: Ctx) -> Response:
    """Cases by docket number or caption, latest activity first, 50 a page."""
    number = ctx.page_number()
    if number is None:
        return ctx.bad_page()
    found, more = search_cases(ctx.db, ctx.get("q"), ctx.get("forum"), number)
    return ctx.render(
        "cases.html", cases=found, more=more, page_no=number, q=ctx.get("q"),
        forum=ctx.get("forum"), forums=FORUMS_ZH, courts=COURTS_ZH,
    )  # fmt: skip


@page()
def case_page(ctx: Ctx) -> Response:
    """One case: timeline, parties, matches with evidence, deadlines, related cases, notices."""
    case_id = ctx.request.path_params["case_id"]
    case = case_row(ctx.db, case_id)
    if case is None:
        return refuse(ctx.env, ctx.request, 404, f"没有案件 {case_id}")
    events = []
    for e in case_events(ctx.db, case_id):
        titles = json.loads(e["event_types"] or "[]")
        events.append({**e, "titles": titles, "link_": link(e["link"]), "doc": link(e["doc_url"])})
    try:
        deadlines = load_case(ctx.db, case_id, ctx.cfg.timezone).deadlines
    except AlertsError:
        deadlines = []
    today = datetime.now(BEIJING).date()
    return ctx.render(
        "case.html",
        case=case,
        forum_zh=FORUMS_ZH.get(case["forum"] or "", case["forum"] or ""),
        court_zh=COURTS_ZH.get(case["court"] or "", case["court"] or ""),
        case_link=link(case["link"]),
        free=free_links(case),
        events=events,
        parties=case_parties(ctx.db, case_id),
        matches=case_matches(ctx.db, case_id),
        deadlines=[(d, (d.due - today).days if d.due else None) for d in deadlines],
        related=related_by_docket(ctx.db, case),
        notices=notices_for_case(ctx.db, case_id),
        messages=case_messages(ctx.db, case_id),
        roles=VOCABULARY["role"],
        statuses=VOCABULARY["match_status"],
        levels=LEVELS_ZH,
        evidence_zh=evidence_zh,
    )


ROUTES = [Route("/cases", case_list), Route("/cases/{case_id:path}", case_page)]
