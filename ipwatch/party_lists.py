"""The party-list step of a cycle (queue new IP cases, fetch their parties, merge and match),
and the estimate of what buying them would cost on a day of feeds."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from itertools import cycle
from pathlib import Path
from typing import Any

import feedparser
from sqlite_utils import Database

from core.config import Config
from crawlers.dockets import fetch_party_lists
from crawlers.parsers.pacer_docket import parse_receipt
from crawlers.parsers.pacer_fields import split_description, split_title
from matcher.docket_parties import merge_party_lists, queue_party_lists
from matcher.ipcases import hides_defendants, ip_reason, is_new
from matcher.match import Matcher

log = logging.getLogger("ipwatch.party_lists")


def run_party_lists(db: Database, cfg: Config, matcher: Matcher, since: str) -> dict[str, object]:
    """Queue, fetch (free, then paid within budget) and merge; a summary for the run record."""
    queued = queue_party_lists(db, since)
    fetched = fetch_party_lists(db, cfg)
    if fetched.error:
        log.error("party lists: %s", fetched.error)
    merged = merge_party_lists(db, cfg, matcher)
    return {
        "queued": queued,
        "free": fetched.free,
        "bought": fetched.bought,
        "spent_usd": fetched.spent_usd,
        "refused": fetched.refused,
        "waiting": fetched.waiting,
        "error": fetched.error,
        "merged_cases": merged.cases,
        "new_parties": merged.new_parties,
        "matches": merged.levels,
    }


def feed_cases(folder: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """Cases of every ecf.<court>.rss.xml in a folder: caption, event types, first day seen."""
    cases: dict[tuple[str, str], dict[str, Any]] = {}
    files = sorted(folder.glob("ecf.*.rss.xml"))
    if not files:
        raise ValueError(f"{folder}: no ecf.<court>.rss.xml feeds")
    for path in files:
        court = path.name.split(".")[1]
        parsed = feedparser.parse(path.read_bytes())
        for e in parsed.entries:
            title = split_title(
                e.get("title", ""), e.get("title_detail", {}).get("type") == "text/html"
            )
            desc = split_description(
                e.get("summary", ""), e.get("summary_detail", {}).get("type") == "text/html"
            )
            day = date(*e.published_parsed[:3]) if e.get("published_parsed") else date.today()
            case = cases.setdefault(
                (court, title.token), {"caption": title.caption, "types": [], "day": day}
            )
            case["types"].append(desc.event_type)
            case["day"] = min(case["day"], day)
    return cases


def receipts(folder: Path) -> list[Decimal]:
    """The costs printed on the receipts of the recorded docket reports (pages without none)."""
    found = []
    for page in sorted(folder.glob("*.html")):
        receipt = parse_receipt(page.read_text(encoding="utf-8", errors="replace"))
        if receipt is not None:
            found.append(receipt.cost)
    if not found:
        raise ValueError(f"{folder}: no docket report with a PACER receipt")
    return found


def estimate_purchases(samples: Path, dockets: Path) -> dict[str, Any]:
    """The IP cases of the feeds, those the party-list stage would buy, and the simulated cost.

    Each purchase is priced by the next recorded receipt in turn (reports of a page or two cost
    less than these full dockets, so the figure is an upper estimate below the $3.00 cap).
    """
    cases = feed_cases(samples)
    costs = receipts(dockets)
    ip, forms, forms_hidden, out = 0, 0, 0, []
    price = cycle(costs)
    for (court, docket), c in sorted(cases.items()):
        reason = ip_reason(c["types"], c["caption"])
        if not reason:
            continue
        ip += 1
        if reason.startswith("report form"):  # the count: AO 120/121 cases, "et al"
            forms += 1
            forms_hidden += hides_defendants(c["caption"])
        if hides_defendants(c["caption"]) and is_new(docket, c["day"], c["types"]):
            out.append({"court": court, "docket": docket, "caption": c["caption"],
                        "reason": reason, "cost_usd": float(next(price))})  # fmt: skip
    total = sum(Decimal(str(c["cost_usd"])) for c in out)
    return {
        "feeds": len(list(samples.glob("ecf.*.rss.xml"))),
        "ip_cases": ip,
        "report_form_cases": forms,
        "report_form_hidden": forms_hidden,
        "to_buy": len(out),
        "cost_usd": float(total),
        "cap_usd": 3.0 * len(out),
        "receipts": [float(c) for c in costs],
        "cases": out,
    }
