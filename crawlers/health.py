"""Per-source health in the `sources` table (written after each crawl, read by CLI and digest),
and the entry types each feed publishes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.courts import court_zone
from core.store import rows
from crawlers.base import SourceOutcome

STALE_FAILURES = 3  # this many failed runs in a row make a source stale
# Not run on purpose: `disabled` (no API token configured) and `throttled` (the source's request
# budget is used up). Neither is a failure, so `ipwatch run` does not exit 1 for an operator who
# never set an optional token, and neither is a success, so last_success stays honest.
NOT_RUN = ("disabled", "throttled")
# Hours without a successful fetch before a non-PACER source counts as stale: the daily ITC
# sources may miss one day's run, news and CourtListener run hourly.
SILENT_HOURS = {"fr_itc": 50.0, "edis": 50.0, "upc": 50.0, "courtlistener": 26.0, "feed": 26.0}


def _previous(db: Database, source: str) -> dict[str, Any]:
    rows = list(db.query("select * from sources where id = ?", [source]))
    return rows[0] if rows else {}


def _skipped_note(outcome: SourceOutcome) -> str:
    # A source that worked but left records out stays ok; its row still names what was left out.
    if not outcome.skip_reasons:
        return ""
    return f"skipped {outcome.skipped} record(s), first: {outcome.skip_reasons[0]}"[:500]


def record_outcome(db: Database, outcome: SourceOutcome, now: str) -> None:
    """Update one source's health row; a failure never touches last_success or build date."""
    prev = _previous(db, outcome.source)
    status = outcome.status
    error = outcome.error
    if status == "pending":
        status, error = "failed", "no response: the crawl ended before this source was fetched"
    if status == "ok" and error:
        # A source whose feed was damaged keeps its parsed items but is reported as failed.
        status = "failed"
    row: dict[str, Any] = {
        "id": outcome.source,
        "kind": outcome.kind,
        "url": outcome.url,
        "last_attempt": now,
        "items_seen": outcome.items_seen,
        "new_items": outcome.new_items,
        "skipped": outcome.skipped,
        "refused": outcome.refused,
        "parse_seconds": round(outcome.parse_seconds, 4),
        "last_error": error or _skipped_note(outcome),
        "status": status,
    }
    if status == "failed":
        row["consecutive_failures"] = (prev.get("consecutive_failures") or 0) + 1
    elif status in NOT_RUN:
        kept = 0 if status == "disabled" else prev.get("consecutive_failures") or 0
        row["consecutive_failures"] = kept
    else:
        row["consecutive_failures"] = 0
        row["last_success"] = now
        changed = outcome.build_date and outcome.build_date != prev.get("last_build_date")
        if changed or (not outcome.build_date and outcome.new_items):
            row["last_changed"] = now
        if outcome.build_date:
            row["last_build_date"] = outcome.build_date
    with db.atomic():
        db.table("sources").upsert(row, pk="id")


def record_outcomes(db: Database, outcomes: Iterable[SourceOutcome], now: str) -> None:
    """Record every outcome of a crawl run."""
    for outcome in outcomes:
        record_outcome(db, outcome, now)


def last_build_dates(db: Database) -> dict[str, str]:
    """Each source's lastBuildDate from its last successful run (ISO 8601)."""
    sql = "select id, last_build_date from sources where last_build_date is not null"
    return {row["id"]: row["last_build_date"] for row in db.query(sql)}


def last_parse_seconds(db: Database, source_ids: list[str]) -> dict[str, float | None]:
    """CPU seconds each source's last crawl spent parsing (None for a source never crawled)."""
    found: dict[str, float | None] = dict.fromkeys(source_ids)
    sql = "select id, parse_seconds from sources where parse_seconds is not null"
    for row in db.query(sql):
        if row["id"] in found:
            found[row["id"]] = float(row["parse_seconds"])
    return found


def is_stale(row: dict[str, Any], stale_after_hours: float, now: datetime) -> bool:
    """Stale: 3+ failed runs in a row, or silent for longer than the source kind allows.

    A PACER feed is stale when it has not changed for stale_after_hours while its court is in
    session (Mon–Fri 09:00–18:00 court local time): courts publish all working day, but nights,
    weekends and the US evening (Beijing's morning) are quiet by nature. Other kinds publish
    irregularly, so they are stale only when no fetch succeeded within SILENT_HOURS. A disabled
    source (no token configured) and one that has not yet failed 3 times are never stale.
    """
    if row.get("status") == "disabled":
        return False
    if (row.get("consecutive_failures") or 0) >= STALE_FAILURES:
        return True
    if row.get("kind") == "party_lists":
        return False  # a look-up runs only when a case is queued: silence is normal
    if row.get("kind") == "pacer_rss":
        since = row.get("last_changed") or row.get("last_success")
        if not since or not in_session(str(row.get("id", "")), now):
            return False
        return now - datetime.fromisoformat(since) > timedelta(hours=stale_after_hours)
    last = row.get("last_success")
    limit = SILENT_HOURS.get(str(row.get("kind")), 26.0)
    return bool(last) and now - datetime.fromisoformat(str(last)) > timedelta(hours=limit)


def in_session(source_id: str, now: datetime) -> bool:
    """True on a weekday between 09:00 and 18:00 in the court's own time zone."""
    court = source_id.removeprefix("pacer_")
    local = now.astimezone(ZoneInfo(court_zone("usdc", court)))
    return local.weekday() < 5 and 9 <= local.hour < 18


def source_health(
    db: Database, stale_after_hours: float = 2.0, now: datetime | None = None
) -> list[dict[str, Any]]:
    """All health rows by source id, each with a computed `stale` flag."""
    moment = now or datetime.now(UTC)
    rows = list(db.query("select * from sources order by id"))
    for row in rows:
        row["stale"] = is_stale(row, stale_after_hours, moment)
    return rows


# PACER lets each court choose the entry types its feed publishes (ILND: "order,order-cr,motion,
# cmp"); a feed without complaints never shows a new case, so the operator should know.
KINDS = (("cmp", "complaint"), ("answer", "answer"), ("motion", "motion"), ("order", "order"))


def kind_of(event_type: str) -> str:
    """PACER's category name for one event type: cmp, answer, motion, order or other."""
    text = event_type.lower()
    # The word that comes first names the entry: "Order on Motion …" is an order.
    found = [(text.find(word), kind) for kind, word in KINDS if word in text]
    return min(found)[1] if found else "other"


def published_types(db: Database) -> dict[str, str]:
    """Per source, the categories seen in its stored events, e.g. "cmp,motion,order (+other)"."""
    sql = """select e.source, j.value as type from events e, json_each(e.event_types) j
             where e.source like 'pacer_%' group by e.source, j.value"""
    seen: dict[str, set[str]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    for r in rows(db, sql):
        seen[r["source"]].add(kind_of(str(r["type"])))
        count[r["source"]] += 1
    out = {}
    for source, kinds in seen.items():
        named = [k for k, _ in KINDS if k in kinds]
        extra = " +other" if "other" in kinds else ""
        out[source] = f"{','.join(named) or '-'}{extra} ({count[source]} types)"
    return out
