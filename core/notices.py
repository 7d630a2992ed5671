"""Notice records in the store: drafts, submitted, signed and sent notices, and their queries.

The workflow (who may move a notice from which state to which) lives in alerts/signoff.py;
this module only reads and writes rows, so the CLI and the web console share one data layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from sqlite_utils import Database

from core.store import rows

KINDS: tuple[str, ...] = ("notice", "correction", "withdrawal")
STATUSES: tuple[str, ...] = (
    "draft",
    "submitted",
    "returned",
    "signed",
    "sent",
    "withdrawn",
    "held",
)
KINDS_ZH: dict[str, str] = {"notice": "预警提示", "correction": "更正", "withdrawal": "撤回"}
STATUS_ZH: dict[str, str] = {
    "draft": "草稿",
    "submitted": "待签发",
    "returned": "已退回",
    "signed": "已签发",
    "sent": "已发送",
    "withdrawn": "已撤回",
    "held": "待转发",
}
# States in which a notice still waits for a person (the console's 工作台 lists them first).
OPEN_STATUSES: tuple[str, ...] = ("draft", "submitted", "returned", "held")
# States of a notice that carries a number: it has left (or is leaving) the bureau.
ISSUED_STATUSES: tuple[str, ...] = ("signed", "sent", "withdrawn", "held")

_NUMBER = re.compile(r"^(?:〔(\d{4})〕第(\d+)号|(\d{4})-(\d+))$")


@dataclass(frozen=True)
class NoticeRow:
    """One notice as stored: its workflow state, number (once signed) and editable sections."""

    id: str
    kind: str
    references_id: str
    case_id: str
    company_id: str
    status: str
    number: str
    year: int | None
    seq: int | None
    level: str
    title: str
    risk_text: str
    advice_text: str
    note: str
    changes: str
    match_id: str
    forum: str
    issued: str
    created_at: str
    created_by: str
    updated_at: str
    submitted_by: str
    submitted_at: str
    signed_by: str
    signed_at: str
    returned_by: str
    returned_at: str
    return_comment: str
    sent_at: str
    outbox_id: str
    html_path: str
    text_path: str
    pdf_path: str
    pdf_note: str

    @property
    def status_zh(self) -> str:
        """The state in Chinese: 草稿, 待签发, 已退回, 已签发, 已发送, 已撤回, 待转发."""
        return STATUS_ZH.get(self.status, self.status)

    @property
    def kind_zh(self) -> str:
        """The kind in Chinese: 预警提示, 更正, 撤回."""
        return KINDS_ZH.get(self.kind, self.kind)

    @property
    def risks(self) -> list[str]:
        """The 风险研判 statements, one per non-empty line."""
        return [line.strip() for line in self.risk_text.splitlines() if line.strip()]

    @property
    def advice(self) -> list[str]:
        """The 应对建议 statements, one per non-empty line."""
        return [line.strip() for line in self.advice_text.splitlines() if line.strip()]


_FIELDS = [f.name for f in fields(NoticeRow)]


def notice_row(row: dict[str, Any]) -> NoticeRow:
    """A stored notices row as a record; missing or NULL text columns become ""."""
    values: dict[str, Any] = {}
    for name in _FIELDS:
        value = row.get(name)
        values[name] = value if value is not None or name in ("year", "seq") else ""
    return NoticeRow(**values)


def list_notices(db: Database, status: str | None = None, limit: int = 200) -> list[NoticeRow]:
    """Notices newest first, optionally only those in one state (draft, submitted, …)."""
    where, params = ("where status = ?", (status,)) if status else ("", ())
    sql = f"select * from notices {where} order by created_at desc, id desc limit ?"
    return [notice_row(r) for r in rows(db, sql, (*params, limit))]


def get_notice(db: Database, notice_id: str) -> NoticeRow | None:
    """One notice by id, or None."""
    found = list(rows(db, "select * from notices where id = ?", (notice_id,)))
    return notice_row(found[0]) if found else None


def notices_for_case(db: Database, case_id: str) -> list[NoticeRow]:
    """Every notice of a case (all companies, corrections and withdrawals), oldest first."""
    sql = "select * from notices where case_id = ? order by created_at, id"
    return [notice_row(r) for r in rows(db, sql, (case_id,))]


def referring_to(db: Database, notice_id: str) -> list[NoticeRow]:
    """The corrections and withdrawals that refer to a notice, oldest first."""
    sql = "select * from notices where references_id = ? order by created_at, id"
    return [notice_row(r) for r in rows(db, sql, (notice_id,))]


def find_notice(db: Database, ref: str) -> NoticeRow | None:
    """A notice by id, by number (〔2026〕第3号 or 2026-3) or by a unique id prefix."""
    ref = ref.strip()
    found = get_notice(db, ref)
    if found or not ref:
        return found
    number = _NUMBER.match(ref)
    if number:
        year, seq = (number.group(1), number.group(2)) if number.group(1) else number.group(3, 4)
        sql = "select * from notices where year = ? and seq = ?"
        hits = list(rows(db, sql, (int(year), int(seq))))
        return notice_row(hits[0]) if hits else None
    escaped = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    sql = "select * from notices where id like ? escape '\\' limit 2"
    hits = list(rows(db, sql, (escaped + "%",)))
    return notice_row(hits[0]) if len(hits) == 1 else None


def drafted_from(db: Database, match_ids: list[str]) -> list[NoticeRow]:
    """The notices drafted from these matches (a confirmation's draft), oldest first."""
    marks = ", ".join("?" for _ in match_ids)
    sql = f"select * from notices where match_id in ({marks}) order by created_at, id"
    return [notice_row(r) for r in rows(db, sql, tuple(match_ids))] if match_ids else []


def discard_draft(db: Database, notice_id: str) -> None:
    """Delete a notice that has no number yet (draft or returned); a numbered one stays."""
    db.execute("delete from notices where id = ? and status in ('draft', 'returned')", (notice_id,))


def save_notice(db: Database, values: dict[str, Any]) -> None:
    """Insert or update one notices row (values must include the id)."""
    db.table("notices").upsert(values, pk="id", alter=False)


def next_seq(db: Database, year: int) -> int:
    """The next free sequence number of the year; call inside the transaction that stores it."""
    row = db.execute("select max(seq) from notices where year = ?", (year,)).fetchone()
    return int(row[0] or 0) + 1


def mark_sent(db: Database, outbox_id: str, sent_at: str) -> None:
    """Record that the message of a signed notice was delivered."""
    db.execute(
        "update notices set status = 'sent', sent_at = ? where outbox_id = ? and status = 'signed'",
        (sent_at, outbox_id),
    )


def held_notices(db: Database) -> list[NoticeRow]:
    """Signed notices held for forwarding because the company had no contact address."""
    return [notice_row(r) for r in rows(db, "select * from notices where status = 'held'")]


def deliveries(db: Database) -> list[dict[str, Any]]:
    """Every queued message (warnings, corrections, updates, digests) with its notice number."""
    sql = """select o.id as key, o.kind, coalesce(n.number, '') as number,
             coalesce(n.level, '') as level, o.case_id, o.company_id, o.recipients, o.subject,
             o.state, o.attempts, o.created_at, o.sent_at, o.message_id, o.last_error
             from outbox o left join notices n on n.outbox_id = o.id
               or (o.kind in ('warning', 'update') and n.id = o.case_id || '|' || o.company_id)
             order by o.created_at, o.id"""
    return list(rows(db, sql))


def awaiting_signoff(db: Database) -> list[str]:
    """Ids of notices a person must still act on before they can leave (oldest first)."""
    sql = """select id from notices where status in ('draft', 'submitted', 'returned')
             order by created_at, id"""
    return [r["id"] for r in rows(db, sql)]
