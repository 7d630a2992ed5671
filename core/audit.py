"""The audit log: every human decision (review, sign-off, registry edit, settings change) with who,
when, what and why, kept in the database beside the data it changed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from core.store import dumps, now_iso, rows


@dataclass(frozen=True)
class AuditEntry:
    """One recorded decision."""

    id: int
    at: str
    actor: str
    action: str
    target: str
    reason: str
    detail: str


def record(
    db: Database,
    actor: str,
    action: str,
    target: str,
    reason: str = "",
    detail: dict[str, object] | None = None,
    at: str | None = None,
) -> int:
    """Append one decision to the audit log and return its id."""
    table = db.table("audit_log")
    table.insert(
        {
            "at": at or now_iso(),
            "actor": actor,
            "action": action,
            "target": target,
            "reason": reason,
            "detail": dumps(detail or {}),
        }
    )
    return int(table.last_pk or 0)


def entries(
    db: Database, *, target: str | None = None, actor: str | None = None, limit: int = 200
) -> list[AuditEntry]:
    """The newest audit entries first, optionally for one target or one actor."""
    where, params = [], []
    if target:
        where.append("target = ?")
        params.append(target)
    if actor:
        where.append("actor = ?")
        params.append(actor)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    sql = f"SELECT * FROM audit_log {clause} ORDER BY id DESC LIMIT ?"
    return [AuditEntry(**row) for row in rows(db, sql, (*params, limit))]
