"""The review queue in the store: pending matches with filters, decisions in batches, undo.

The one home of review queries: the console's desk and `ipwatch review` both write through
`store_decisions` (via matcher.review), so a decision looks the same whichever way it was taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from core.store import now_iso, rows

REASON_CODES: dict[str, str] = {
    "not_this_company": "非本企业",
    "foreign_parent": "外国母公司",
    "same_name_other": "同名不同企业",
    "individual": "个人",
    "other": "其他",
}
REVIEW_LEVELS = ("entity", "group", "review", "local")


@dataclass(frozen=True)
class ReviewFilter:
    """What the analyst narrowed the queue to; empty fields do not filter."""

    level: str = ""
    company: str = ""
    forum: str = ""
    date_from: str = ""  # YYYY-MM-DD, on the case's first sighting
    date_to: str = ""


@dataclass(frozen=True)
class Decision:
    """One decision on one match, ready to store."""

    match_id: str
    party: str
    party_norm: str
    target: str  # company id, or the group name for group-only matches
    action: str  # confirm | dismiss
    reason_code: str
    reason: str
    variant: str
    level_before: str
    new_level: str  # the match's level after the decision (a confirmed link becomes entity)


_PENDING_SQL = """select m.id, m.case_id, m.party, m.role, m.company_id, m.group_name, m.level,
    m.score, m.matched_name, m.evidence, m.created_at, c.docket_number, c.case_name, c.forum,
    c.court, c.first_seen, co.name_zh, co.name_en
    from matches m join cases c on c.id = m.case_id left join companies co on co.id = m.company_id
    where m.status = 'pending' {extra} order by m.score desc, m.id limit ?"""


def pending_matches(db: Database, flt: ReviewFilter, limit: int = 5000) -> list[dict[str, Any]]:
    """Pending matches joined with their case and company, best first."""
    extra, params = [], []
    if flt.level:
        extra.append("and m.level = ?")
        params.append(flt.level)
    else:
        extra.append(f"and m.level in ({', '.join('?' * len(REVIEW_LEVELS))})")
        params.extend(REVIEW_LEVELS)
    if flt.company:
        extra.append("and (m.company_id = ? or m.group_name = ?)")
        params += [flt.company, flt.company]
    if flt.forum:
        extra.append("and c.forum = ?")
        params.append(flt.forum)
    if flt.date_from:
        extra.append("and c.first_seen >= ?")
        params.append(flt.date_from)
    if flt.date_to:
        extra.append("and c.first_seen < date(?, '+1 day')")
        params.append(flt.date_to)
    sql = _PENDING_SQL.format(extra=" ".join(extra))
    return list(rows(db, sql, (*params, limit)))


def pending_list(db: Database) -> list[dict[str, Any]]:
    """Every pending match, best first, with the columns `ipwatch review` prints."""
    sql = """select id, level, score, party, company_id, group_name, matched_name, case_id
             from matches where status = 'pending' order by score desc, id"""
    return list(rows(db, sql))


def matches_by_id(db: Database, match_ids: list[str]) -> list[dict[str, Any]]:
    """The stored matches with these ids (unknown ids are left out)."""
    if not match_ids:
        return []
    marks = ", ".join("?" * len(match_ids))
    return list(
        rows(db, f"select * from matches where id in ({marks}) order by id", tuple(match_ids))
    )


def company_exists(db: Database, company_id: str) -> bool:
    """True when the registry company is in the store."""
    return bool(list(rows(db, "select 1 from companies where id = ?", (company_id,))))


def store_decisions(
    db: Database,
    decisions: list[Decision],
    actor: str,
    batch: str,
    company_id: str = "",
    at: str = "",
) -> None:
    """Write decisions and the matches' new status in one transaction (company_id: a link)."""
    when = at or now_iso()
    with db.atomic():
        for d in decisions:
            status = "confirmed" if d.action == "confirm" else "dismissed"
            values = {"status": status, "reason": d.reason, "reviewed_by": actor,
                      "reviewed_at": when, "level": d.new_level}  # fmt: skip
            if company_id:
                values["company_id"] = company_id
            db.table("matches").update(d.match_id, values)
            db.table("decisions").insert(
                {
                    "match_id": d.match_id,
                    "party": d.party,
                    "party_norm": d.party_norm,
                    "company_id": d.target,
                    "action": d.action,
                    "reason": d.reason,
                    "reason_code": d.reason_code,
                    "variant": d.variant,
                    "decided_by": actor,
                    "decided_at": when,
                    "batch": batch,
                    "level_before": d.level_before,
                }
            )


def local_parties(db: Database, limit: int = 200) -> list[str]:
    """Distinct parties at level local (says Huizhou, not in the registry), newest first."""
    sql = """select party, max(created_at) as seen from matches where level = 'local'
             group by party order by seen desc limit ?"""
    return [r["party"] for r in rows(db, sql, (limit,))]


def batch_decisions(db: Database, batch: str) -> list[dict[str, Any]]:
    """The decisions of one batch (for undo: which names it taught)."""
    return list(rows(db, "select * from decisions where batch = ? order by id", (batch,)))


def undo_batch(db: Database, batch: str) -> list[str]:
    """Take back a batch of decisions: matches return to the queue; the ids undone."""
    sql = "select match_id, level_before from decisions where batch = ?"
    found = list(rows(db, sql, (batch,)))
    with db.atomic():
        for r in found:
            db.execute(
                "update matches set status = 'pending', reason = '', reviewed_by = '', "
                "reviewed_at = '', level = coalesce(nullif(?, ''), level), company_id = case "
                "when ? = 'local' then '' else company_id end where id = ?",
                (r["level_before"], r["level_before"], r["match_id"]),
            )
        db.execute("delete from decisions where batch = ?", (batch,))
    return [r["match_id"] for r in found]


def recent_batches(db: Database, actor: str, limit: int = 5) -> list[dict[str, Any]]:
    """The actor's latest decision batches (for the undo buttons)."""
    sql = """select batch, action, max(decided_at) as at, count(*) as n, min(party) as party,
             min(company_id) as target, min(reason) as reason from decisions
             where decided_by = ? and batch is not null group by batch
             order by max(id) desc limit ?"""
    return list(rows(db, sql, (actor, limit)))
