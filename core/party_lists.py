"""Queries of the party-list queue: new IP cases whose caption hides defendants, and results."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from core.store import now_iso, rows


@dataclass(frozen=True)
class PartyListRequest:
    """One case whose full party list is wanted, with what the feed told us about it."""

    case_id: str
    court: str
    docket_number: str
    pacer_case_id: str
    caption: str
    reason: str


@dataclass(frozen=True)
class DocketParty:
    """One party as a docket lists it: name, the docket's own role, termination, details."""

    name: str
    docket_role: str  # "Defendant", "Counter Claimant", "Intervenor" … as the docket says
    terminated: str = ""  # ISO date when the docket marks the party TERMINATED
    details: str = ""  # stated details: "a Chinese corporation", an address …


def extracted_usdc_cases(db: Database, since: str) -> list[dict[str, Any]]:
    """US district-court cases with events extracted since `since`, never queued before."""
    sql = """select c.id, c.court, c.docket_number, c.case_name,
             group_concat(e.event_types, char(10)) as types,
             max(coalesce(e.source_case_id, '')) as pacer_case_id,
             min(e.published) as published
             from cases c join events e on e.case_id = c.id
             where c.forum = 'usdc' and c.id in
               (select case_id from events where extracted_at >= ? and forum = 'usdc')
               and c.id not in (select case_id from party_lists)
             group by c.id order by c.id"""
    return list(rows(db, sql, (since,)))


def want(db: Database, request: PartyListRequest) -> None:
    """Queue a case for its party list (a case is queued once)."""
    db.table("party_lists").insert(
        {
            "case_id": request.case_id,
            "court": request.court,
            "docket_number": request.docket_number,
            "pacer_case_id": request.pacer_case_id,
            "caption": request.caption,
            "reason": request.reason,
            "status": "wanted",
            "requested_at": now_iso(),
        },
        ignore=True,
    )


def wanted(db: Database, limit: int = 1000) -> list[PartyListRequest]:
    """Queued cases not yet fetched, oldest request first."""
    sql = """select case_id, court, docket_number, pacer_case_id, caption, reason
             from party_lists where status = 'wanted' order by requested_at, case_id limit ?"""
    return [PartyListRequest(**r) for r in rows(db, sql, (limit,))]


def store_fetched(
    db: Database, case_id: str, source: str, parties: list[DocketParty], report: dict[str, Any]
) -> None:
    """Keep a fetched party list as it came, for the extract stage to merge."""
    db.table("party_lists").update(
        case_id,
        {
            "status": "fetched",
            "source": source,
            "parties": json.dumps([p.__dict__ for p in parties], ensure_ascii=False),
            "report": json.dumps(report, ensure_ascii=False, sort_keys=True, default=str),
            "fetched_at": now_iso(),
            "error": "",
        },
    )


def mark(db: Database, case_id: str, status: str, error: str = "") -> None:
    """Set a queued case's status (failed, merged …) with any error text."""
    update: dict[str, Any] = {"status": status, "error": error}
    if status == "merged":
        update["merged_at"] = now_iso()
    db.table("party_lists").update(case_id, update)


def fetched(db: Database) -> list[dict[str, Any]]:
    """Fetched party lists not yet merged into their cases."""
    sql = "select * from party_lists where status = 'fetched' order by fetched_at, case_id"
    out = []
    for r in rows(db, sql):
        r["parties"] = [DocketParty(**p) for p in json.loads(r["parties"] or "[]")]
        r["report"] = json.loads(r["report"] or "{}")
        out.append(r)
    return out


def status_counts(db: Database) -> dict[str, int]:
    """How many queued cases are in each status."""
    sql = "select status, count(*) as n from party_lists group by status"
    return {r["status"]: r["n"] for r in rows(db, sql)}
