"""What the cycle does with notices on its own: automatic sign-off where config allows it, a lost
message queued again under its number, held (待转发) notices sent once the contact exists."""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path

from sqlite_utils import Database

from alerts.compose import compose_warning
from alerts.deadlines import iso
from alerts.facts import AlertsError, load_company
from alerts.notices import render_notice
from alerts.queue import queue_message
from alerts.signoff import (
    AUTO,
    ISSUED,
    SYSTEM,
    SignoffError,
    approve,
    get_or_fail,
    issue_notice,
    outbox_key,
    printed_notice,
    require_status,
)
from core.audit import record
from core.config import Config
from core.notices import held_notices, save_notice

log = logging.getLogger("ipwatch.signoff")


def requeue(db: Database, cfg: Config, notice_id: str, now: datetime) -> str:
    """Queue a signed notice's email again under its own number (its outbox row was lost)."""
    row = require_status(db, notice_id, ISSUED, "重新排队")
    if row.year is None or row.seq is None:
        raise SignoffError(f"预警提示 {notice_id} 没有编号")
    issued = date.fromisoformat(row.issued) if row.issued else now.date()
    with db.atomic():
        _, changes = issue_notice(db, cfg, row, (row.year, row.seq), issued, now)
        keep = row.status if row.status in ("sent", "withdrawn") else changes["status"]
        save_notice(db, {"id": notice_id, **changes, "status": keep, "updated_at": iso(now)})
        record(db, SYSTEM, "notice.requeue", notice_id, "", {"number": row.number}, at=iso(now))
    return row.number


def auto_signoff_allowed(cfg: Config, level: str, forum: str) -> bool:
    """True only where config `alerts.auto_signoff` names both this level and this forum."""
    return any(level in r.levels and forum in r.forums for r in cfg.alerts.auto_signoff)


def auto_signoff(db: Database, cfg: Config, notice_id: str, now: datetime) -> str | None:
    """Sign a fresh draft off automatically where config allows it; the number, else None."""
    row = get_or_fail(db, notice_id)
    # Only a draft no person has touched: an edited or returned one waits for its approver.
    untouched = row.status == "draft" and not row.submitted_by and row.updated_at == row.created_at
    if not untouched or not auto_signoff_allowed(cfg, row.level, row.forum):
        return None
    rule = f"config alerts.auto_signoff allows {row.level} in {row.forum}"
    # One transaction: a crash leaves the untouched draft, which the next cycle signs again.
    with db.atomic():
        save_notice(
            db,
            {"id": notice_id, "status": "submitted", "submitted_by": AUTO,
             "submitted_at": iso(now)},
        )  # fmt: skip
        record(db, AUTO, "notice.submit", notice_id, rule, at=iso(now))
        return approve(db, cfg, notice_id, AUTO, now)


def release_held(db: Database, cfg: Config, now: datetime) -> list[str]:
    """Send held (待转发) notices to their companies once a contact address exists; their ids."""
    released = []
    for row in held_notices(db):
        try:
            company = load_company(db, row.company_id)
        except AlertsError as exc:
            log.warning("held notice %s: %s", row.id, exc)
            continue
        if not company.contacts or row.year is None or row.seq is None:
            continue
        key = f"{row.outbox_id or outbox_key(row)}|contact"
        issued = date.fromisoformat(row.issued) if row.issued else now.date()
        notice = printed_notice(db, cfg, row, (row.year, row.seq), issued)
        # The company receives the notice exactly as signed: the stored print files, same number.
        html_file, pdf_file = Path(row.html_path or "."), Path(row.pdf_path or ".")
        html = html_file.read_text(encoding="utf-8") if html_file.is_file() else ""
        pdf = pdf_file.read_bytes() if pdf_file.is_file() else None
        msg, env = compose_warning(cfg, notice, html or render_notice(notice)[0], key, now, pdf=pdf)
        kind = "warning" if row.kind == "notice" else row.kind
        with db.atomic():
            queue_message(db, key, kind, (row.case_id, row.company_id, "contact"), msg, env, now)
            save_notice(db, {"id": row.id, "status": "signed", "outbox_id": key,
                             "updated_at": iso(now)})  # fmt: skip
            record(db, SYSTEM, "notice.release", row.id, "联系人已登记 contact added",
                   {"to": company.contacts, "outbox": key}, at=iso(now))  # fmt: skip
        released.append(row.id)
    return released
