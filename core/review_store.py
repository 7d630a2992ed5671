"""Review queries: the pending matches and an analyst's decision on one of them."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from core.store import rows


def pending_matches(db: Database) -> list[dict[str, Any]]:
    """Matches waiting for an analyst, strongest first."""
    return list(
        rows(
            db,
            "select id, level, score, party, company_id, group_name, matched_name, case_id "
            "from matches where status = 'pending' order by score desc, id",
        )
    )


def get_match(db: Database, match_id: str) -> dict[str, Any] | None:
    """One stored match, or None."""
    found = list(rows(db, "select * from matches where id = ?", (match_id,)))
    return found[0] if found else None


def record_decision(
    db: Database,
    match: dict[str, Any],
    *,
    action: str,
    status: str,
    by: str,
    reason: str,
    at: str,
    party_norm: str,
    variant: str,
) -> None:
    """Stamp the match with the decision and keep the decision itself (caller holds the txn)."""
    db.table("matches").update(
        match["id"], {"status": status, "reason": reason, "reviewed_by": by, "reviewed_at": at}
    )
    db.table("decisions").insert(
        {
            "match_id": match["id"],
            "party": match["party"],
            "party_norm": party_norm,
            "company_id": match["company_id"] or match["group_name"],
            "action": action,
            "reason": reason,
            "variant": variant,
            "decided_by": by,
            "decided_at": at,
        }
    )


def local_parties(db: Database, limit: int = 200) -> list[str]:
    """Distinct parties at level local (says Huizhou, not in the registry), newest first."""
    return [
        r["party"]
        for r in rows(
            db,
            "select party, max(created_at) as seen from matches where level = 'local' "
            "group by party order by seen desc limit ?",
            (limit,),
        )
    ]
