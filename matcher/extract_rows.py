"""Cases, parties and matches one row at a time: case keys, the review gate, ITC events.

ITC events go this way because an instituted investigation may join an earlier docket's case;
PACER docket party lists (matcher/docket_parties.py) store their matches here too.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from core.config import Config
from core.faults import crash_point
from core.store import dumps, now_iso
from matcher.match import Matcher
from matcher.parties import parse_caption
from matcher.types import Evidence, MatchResult, Party


@dataclass
class ExtractResult:
    """What one extract pass did, for the run summary."""

    events: int = 0
    new_cases: int = 0
    new_parties: int = 0
    matched: int = 0  # parties the matcher scored (a party named again takes the first verdict)
    levels: dict[str, int] = field(default_factory=dict)
    match_seconds: float = 0.0  # time inside the matcher (the rest is extraction and writes)


def case_key(event: dict[str, Any]) -> str:
    """The id of the dispute an event belongs to, shared by every source that reports it."""
    forum, docket = event["forum"], event["docket_number"]
    if forum == "itc" and docket:
        return f"itc:{docket}"
    if docket:
        return f"{forum}:{event['court']}:{docket}" if event["court"] else f"{forum}:{docket}"
    return f"{forum}:{event['id']}"


def scope_key(title: str) -> str:
    """An ITC product scope reduced to its words, so "Certain X" (FR) equals "X" (EDIS)."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    return " ".join(words[1:] if words[:1] == ["certain"] else words)


def resolve_case(db: Database, event: dict[str, Any]) -> str:
    """The stored case an event belongs to; an instituted ITC investigation joins its docket.

    A complaint is first seen as docket "DN-3673" (receipt notice, EDIS "337-3673") and weeks
    later as "337-TA-1318" (institution). Notices never print both numbers, but they print the
    same product scope, so an investigation without a case joins the open docket of that scope.
    """
    cid = case_key(event)
    docket = event["docket_number"] or ""
    if event["forum"] != "itc" or not docket.startswith("337-TA-"):
        return cid
    known = db.execute(
        "select id from cases where forum = 'itc' and (id = ? or docket_number = ?)", [cid, docket]
    ).fetchone()
    if known:
        return str(known[0])
    scope = scope_key(event["case_name"] or "")
    for case_id, name in db.execute(
        "select id, case_name from cases where forum = 'itc' and docket_number like 'DN-%'"
    ):
        if scope and scope_key(name or "") == scope:
            db.table("cases").update(case_id, {"docket_number": docket})
            return str(case_id)
    return cid


def row_id(*parts: str) -> str:
    """A short stable id for a party or match row from the values that identify it."""
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:16]


def gate_status(cfg: Config, result: MatchResult) -> str:
    """Review gate: which matches may warn a company on their own, which wait for an analyst."""
    if result.party.role == "plaintiff":
        return "enforcing"  # the company is asserting its rights: recorded, never warned
    auto = (
        result.level in cfg.alerts.auto_send_levels
        and result.score >= cfg.alerts.auto_send_min_score
        and not result.derived  # a name derived from Chinese is never sent unconfirmed (#12)
    )
    return "auto" if auto else "pending"


def parties_of(event: dict[str, Any], matcher: Matcher) -> tuple[list[Party], str, list[str]]:
    """Parties named by an event, the case kind and the plaintiffs' names."""
    explicit = [Party(name, role, loc) for role, name, loc in json.loads(event["parties"] or "[]")]
    if event["forum"] == "news":
        return explicit + matcher.scan_text(event["body"] or event["case_name"]), "news", []
    if event["forum"] == "itc":
        plaintiffs = [p.raw for p in explicit if p.role == "plaintiff"]
        return explicit, "investigation", plaintiffs
    caption = parse_caption(event["case_name"])
    parties = [Party(n, "plaintiff") for n in caption.plaintiffs]
    parties += [Party(n, "defendant") for n in caption.defendants]
    return parties + explicit, caption.kind, list(caption.plaintiffs)


def store_case(
    db: Database, event: dict[str, Any], cid: str, kind: str, plaintiffs: list[str]
) -> bool:
    """Insert the case of an event, or bump its last_event; True for a new case."""
    existing = db.execute("select last_event from cases where id = ?", [cid]).fetchone()
    if existing:
        if (event["published"] or "") > (existing[0] or ""):
            db.table("cases").update(cid, {"last_event": event["published"]})
        return False
    db.table("cases").insert(
        {
            "id": cid,
            "forum": event["forum"],
            "court": event["court"],
            "docket_number": event["docket_number"],
            "case_name": event["case_name"],
            "kind": kind,
            "plaintiffs": dumps(plaintiffs),
            "first_seen": event["retrieved_at"] or now_iso(),
            "last_event": event["published"],
            "link": event["link"],
            "source": event["source"],
        }
    )
    return True


def match_record(cfg: Config, cid: str, pid: str, result: MatchResult, now: str) -> dict[str, Any]:
    """A matches row as a dict: id from case, party, company (or group) and level."""
    return {
        "id": row_id(cid, pid, result.company_id or result.group, result.level),
        "case_id": cid,
        "party_id": pid,
        "party": result.party.raw,
        "role": result.party.role,
        "company_id": result.company_id,
        "group_name": result.group,
        "level": result.level,
        "score": round(result.score, 4),
        "matched_name": result.matched_name,
        "derived": int(result.derived),
        "evidence": dumps(
            {k: {"score": e.score, "detail": e.detail} for k, e in result.explanations.items()}
        ),
        "status": gate_status(cfg, result),
        "reason": "",
        "reviewed_by": "",
        "reviewed_at": "",
        "created_at": now,
    }


def store_match(db: Database, cfg: Config, cid: str, pid: str, result: MatchResult) -> None:
    """Insert one match row (ignored when it exists)."""
    # An existing match keeps its review status: re-runs never reset a decision.
    db.table("matches").insert(match_record(cfg, cid, pid, result, now_iso()), ignore=True)


def extract_one(
    db: Database, cfg: Config, matcher: Matcher, event: dict[str, Any], out: ExtractResult
) -> None:
    """One event the row-by-row way: ITC events, which may join an earlier docket's case."""
    cid = resolve_case(db, event)
    parties, kind, plaintiffs = parties_of(event, matcher)
    out.new_cases += store_case(db, event, cid, kind, plaintiffs)
    for party in parties:
        pid = row_id(cid, party.role, party.raw)
        if db.execute("select 1 from parties where id = ?", [pid]).fetchone():
            continue  # matched when first seen; later events of the case add nothing
        db.table("parties").insert(
            {
                "id": pid,
                "case_id": cid,
                "role": party.role,
                "name": party.raw,
                "location": party.location,
                "source": event["source"],
            }
        )
        out.new_parties += 1
        result = matcher.match(party)
        if result.level != "none":
            store_match(db, cfg, cid, pid, result)
            out.levels[result.level] = out.levels.get(result.level, 0) + 1
    if event["forum"] == "itc" and event["case_name"]:
        _store_products(db, cfg, matcher, cid, event["case_name"], out)
    db.table("events").update(event["id"], {"case_id": cid, "extracted_at": now_iso()})
    out.events += 1
    crash_point("extract.event")


def _store_products(
    db: Database, cfg: Config, matcher: Matcher, cid: str, scope: str, out: ExtractResult
) -> None:
    named = {
        r[0]
        for r in db.execute(
            "select company_id from matches where case_id = ? and level = 'entity'", [cid]
        )
    }
    for adv in matcher.product_advisories(scope, named):
        result = MatchResult(
            party=Party(scope, "other"),
            level="product",
            score=adv.score,
            company_id=adv.company_id,
            matched_name=", ".join(adv.words),
            explanations={
                "product_overlap": Evidence(
                    adv.score,
                    f"product words shared with the investigation scope: {', '.join(adv.words)}",
                )
            },
        )
        store_match(db, cfg, cid, row_id(cid, "product"), result)
        out.levels["product"] = out.levels.get("product", 0) + 1
