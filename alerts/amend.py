"""Corrections (更正) and withdrawals (撤回): new notices referring to a signed one.

Each waits for 签发 like any notice; approving a withdrawal marks the first notice withdrawn.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from alerts.deadlines import iso
from alerts.notice_state import (
    STANDING,
    SignoffError,
    get_or_fail,
    live_withdrawal,
    require_status,
)
from core.audit import record
from core.config import Config
from core.notices import NoticeRow, save_notice
from core.store import dumps, immediate, rows

CORRECTABLE = ("risk_text", "advice_text", "level", "note")
LEVELS = ("red", "orange", "yellow")


def _may_follow(db: Database, row: NoticeRow, kind: str) -> None:
    """SignoffError when a notice already has a withdrawal waiting or issued."""
    other = live_withdrawal(db, row.id)
    if other is not None:
        what = "撤回" if kind == "withdrawal" else "更正"
        raise SignoffError(
            f"预警提示 {row.number} 已有撤回通知 {other.id}（{other.status_zh}），不能再{what}"
        )


def _follow_up(
    db: Database, row: NoticeRow, kind: str, actor: str, values: dict[str, Any], now: datetime
) -> NoticeRow:
    label = {"correction": "更正", "withdrawal": "撤回"}[kind]
    base = {
        "kind": kind,
        "references_id": row.id,
        "case_id": row.case_id,
        "company_id": row.company_id,
        "status": "submitted",  # written by an approver: it waits for 签发 like any notice
        "number": "",
        "year": None,
        "seq": None,
        "level": row.level,
        "title": f"{label}{row.number}：{row.title}"[:300],
        "risk_text": row.risk_text,
        "advice_text": row.advice_text,
        "match_id": row.match_id,
        "forum": row.forum,
        "created_at": iso(now),
        "created_by": actor,
        "submitted_by": actor,
        "submitted_at": iso(now),
        "updated_at": iso(now),
    }
    with immediate(db):
        # Checked again under the write lock: two approvers clicking 拟撤回 at once make one.
        _may_follow(db, require_status(db, row.id, STANDING, label), kind)
        count = len(list(rows(db, "select id from notices where references_id = ?", (row.id,))))
        new_id = base["id"] = f"{row.id}|{kind}|{count + 1}"
        save_notice(db, {**base, **values})
        record(db, actor, f"notice.{kind}", new_id, values.get("note", ""), {"refers_to": row.id},
               at=iso(now))  # fmt: skip
    return get_or_fail(db, new_id)


def withdraw(
    db: Database, cfg: Config, notice_id: str, actor: str, reason: str, now: datetime
) -> NoticeRow:
    """撤回: a new withdrawal notice referring to a signed one; it needs 签发 to take effect."""
    row = require_status(db, notice_id, ("signed", "sent", "held"), "撤回")
    if row.kind == "withdrawal":
        raise SignoffError("撤回通知本身不能再撤回")
    if not reason.strip():
        raise SignoffError("撤回时必须说明理由")
    _may_follow(db, row, "withdrawal")
    return _follow_up(db, row, "withdrawal", actor, {"note": reason.strip()}, now)


def correct(
    db: Database, cfg: Config, notice_id: str, actor: str, changes: dict[str, str], now: datetime
) -> NoticeRow:
    """更正: a new correction notice with `changes` (risk_text, advice_text, level, note)."""
    row = require_status(db, notice_id, ("signed", "sent", "held"), "更正")
    if row.kind == "withdrawal":
        raise SignoffError("撤回通知不能更正")
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise SignoffError(f"不能更正 {', '.join(unknown)}（可更正：{', '.join(CORRECTABLE)}）")
    if not (changes.get("note") or "").strip():
        raise SignoffError("更正时必须填写更正说明（note）")
    if changes.get("level") and changes["level"] not in LEVELS:
        raise SignoffError(f"预警等级须为 red、orange 或 yellow，收到 {changes['level']!r}")
    values: dict[str, Any] = {k: v.strip() for k, v in changes.items() if v and v.strip()}
    values["changes"] = dumps(values)
    _may_follow(db, row, "correction")
    return _follow_up(db, row, "correction", actor, values, now)


def changes_of(row: NoticeRow) -> dict[str, str]:
    """What a correction changes, as stored."""
    try:
        data = json.loads(row.changes or "{}")
    except json.JSONDecodeError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
