"""The notice sign-off workflow: draft → submitted → signed (签发) → sent, returned, corrected.

Nothing numbered leaves before an approver signs it off: the cycle writes a *draft*, an analyst
may edit its 风险研判 and 应对建议 and submits it, an approver signs it (only then is the number
〔YYYY〕第N号 assigned, the notice printed and its email queued) or returns it with a comment.
Corrections (更正) and withdrawals (撤回) are new notices referring to the first; they need
sign-off too. Who may do what (analyst, approver) is the caller's business; a move the state
does not allow raises SignoffError. Every action is written to the audit log.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from alerts.amend import CORRECTABLE, LEVELS, changes_of, correct, withdraw
from alerts.compose import compose_warning, envelope_for
from alerts.deadlines import iso
from alerts.facts import AlertsError, load_case, load_company, match_facts
from alerts.notice_state import (
    AUTO,
    ISSUED,
    SYSTEM,
    SignoffError,
    check_signable,
    get_or_fail,
    notice_id_for,
    outbox_key,
    require_status,
)
from alerts.notices import (
    Notice,
    advice_for,
    build_notice,
    notice_level,
    render_notice,
    risks_for,
    write_notice,
)
from alerts.parties_known import product_peers, related_cases
from alerts.pdf import pdf_copy
from alerts.queue import queue_message
from core.audit import record
from core.config import Config
from core.faults import crash_point
from core.notices import (
    NoticeRow,
    get_notice,
    next_seq,
    save_notice,
)
from core.records import MatchRecord
from core.store import immediate, rows

log = logging.getLogger("ipwatch.signoff")

# Callers import the whole workflow from here; corrections and withdrawals live in alerts/amend.py.
__all__ = [
    "AUTO",
    "CORRECTABLE",
    "ISSUED",
    "LEVELS",
    "SYSTEM",
    "SignoffError",
    "approve",
    "changes_of",
    "correct",
    "draft_for",
    "edit_draft",
    "get_or_fail",
    "issue_notice",
    "notice_id_for",
    "outbox_key",
    "preview",
    "printed_notice",
    "require_status",
    "send_back",
    "submit",
    "withdraw",
]


def _match(db: Database, row: NoticeRow) -> MatchRecord:
    found = list(rows(db, "select * from matches where id = ?", (row.match_id,)))
    if not found:
        sql = "select * from matches where case_id = ? and company_id = ? order by score desc"
        found = list(rows(db, sql, (row.case_id, row.company_id)))
    if not found:
        raise AlertsError(f"no match of {row.company_id} in case {row.case_id} is stored")
    return MatchRecord.from_row(found[0])


def draft_for(
    db: Database, cfg: Config, match: MatchRecord, now: datetime, actor: str = SYSTEM
) -> NoticeRow:
    """The draft notice for a warning-eligible match (created once; an existing one is returned)."""
    case_id, company_id = match.case_id, match.company_id
    notice_id = notice_id_for(case_id, company_id)
    found = get_notice(db, notice_id)
    if found:
        return found
    case = load_case(db, case_id, cfg.timezone)
    company = load_company(db, company_id)
    related = related_cases(db, company_id, case_id)
    values = {
        "id": notice_id,
        "kind": "notice",
        "references_id": "",
        "case_id": case_id,
        "company_id": company_id,
        "status": "draft",
        "number": "",
        "year": None,
        "seq": None,
        "level": notice_level(cfg, case),
        "title": f"{company.name_zh}：{case.docket_number} {case.case_name}"[:300],
        "risk_text": "\n".join(risks_for(case, related)),
        "advice_text": "\n".join(advice_for(case)),
        "note": "",
        "changes": "",
        "match_id": match.id,
        "forum": case.forum,
        "created_at": iso(now),
        "created_by": actor,
        "updated_at": iso(now),
    }
    with db.atomic():
        save_notice(db, values)
        record(db, actor, "notice.draft", notice_id, "", {"match": match.id}, at=iso(now))
    return get_or_fail(db, notice_id)


def edit_draft(
    db: Database,
    notice_id: str,
    *,
    risk_text: str | None,
    advice_text: str | None,
    actor: str,
    now: datetime,
) -> NoticeRow:
    """Replace the 风险研判 and/or 应对建议 of a draft or returned notice (None keeps a section)."""
    row = require_status(db, notice_id, ("draft", "returned"), "修改")
    values: dict[str, Any] = {"id": notice_id, "updated_at": iso(now)}
    for name, label, text in (
        ("risk_text", "风险研判", risk_text),
        ("advice_text", "应对建议", advice_text),
    ):
        if text is None:
            continue
        if not text.strip():
            raise SignoffError(f"{label}不能为空")
        values[name] = text.strip()
    with db.atomic():
        save_notice(db, values)
        detail = {k: v for k, v in values.items() if k in ("risk_text", "advice_text")}
        record(db, actor, "notice.edit", notice_id, "", detail, at=iso(now))
    return get_or_fail(db, row.id)


def submit(db: Database, notice_id: str, actor: str, now: datetime) -> NoticeRow:
    """An analyst hands a draft (or a returned notice) to the approvers: status 待签发."""
    require_status(db, notice_id, ("draft", "returned"), "提交")
    with db.atomic():
        save_notice(
            db,
            {"id": notice_id, "status": "submitted", "submitted_by": actor,
             "submitted_at": iso(now), "updated_at": iso(now)},
        )  # fmt: skip
        record(db, actor, "notice.submit", notice_id, at=iso(now))
    return get_or_fail(db, notice_id)


def send_back(db: Database, notice_id: str, actor: str, comment: str, now: datetime) -> NoticeRow:
    """An approver returns a submitted notice to the analysts with a comment (退回)."""
    require_status(db, notice_id, ("submitted",), "退回")
    if not comment.strip():
        raise SignoffError("退回时必须填写意见")
    with db.atomic():
        save_notice(
            db,
            {"id": notice_id, "status": "returned", "returned_by": actor,
             "returned_at": iso(now), "return_comment": comment.strip(), "updated_at": iso(now)},
        )  # fmt: skip
        record(db, actor, "notice.return", notice_id, comment.strip(), at=iso(now))
    return get_or_fail(db, notice_id)


def printed_notice(
    db: Database, cfg: Config, row: NoticeRow, number: tuple[int, int], issued: date, text: str = ""
) -> Notice:
    """The notice as it prints: current case facts with the workflow's edited sections."""
    case = load_case(db, row.case_id, cfg.timezone)
    company = load_company(db, row.company_id)
    related = related_cases(db, row.company_id, row.case_id)
    first = get_notice(db, row.references_id) if row.references_id else None
    return build_notice(
        cfg,
        case,
        company,
        match_facts(_match(db, row)),
        number,
        issued,
        related,
        product_peers(db, row.case_id),
        level=row.level if row.kind != "notice" or row.status in ISSUED else "",
        risks=row.risks,
        advice=row.advice,
        kind=row.kind,
        reference=first.number if first else "",
        note=row.note,
        number_text=text,
    )


def issue_notice(
    db: Database, cfg: Config, row: NoticeRow, number: tuple[int, int], issued: date, now: datetime
) -> tuple[Notice, dict[str, Any]]:
    """Print the numbered notice (HTML, text, PDF) and queue its email; returns the row changes."""
    notice = printed_notice(db, cfg, row, number, issued)
    html, text = render_notice(notice)
    html_path, text_path = write_notice(cfg, notice, html, text)
    copy = pdf_copy(cfg, html_path)
    if copy.note:
        # Switched off on purpose is no news; a missing or failing Chromium is.
        level = logging.DEBUG if not cfg.alerts.chromium.strip() else logging.WARNING
        log.log(level, "%s %s: %s", notice.number, row.id, copy.note)
    key = outbox_key(row)
    pdf = copy.path.read_bytes() if copy.path else None
    msg, env = compose_warning(cfg, notice, html, key, now, pdf=pdf)
    kind = "warning" if row.kind == "notice" else row.kind
    queue_message(db, key, kind, (row.case_id, row.company_id, ""), msg, env, now)
    _, forward = envelope_for(cfg, notice.company)
    changes = {
        "number": notice.number,
        "year": number[0],
        "seq": number[1],
        "level": notice.level,
        "issued": issued.isoformat(),
        "html_path": str(html_path),
        "text_path": str(text_path),
        "pdf_path": str(copy.path or ""),
        "pdf_note": copy.note,
        "outbox_id": key,
        "status": "held" if forward else "signed",
    }
    return notice, changes


def approve(db: Database, cfg: Config, notice_id: str, actor: str, now: datetime) -> str:
    """签发: assign the number 〔YYYY〕第N号, print the notice and queue exactly one email."""
    require_status(db, notice_id, ("submitted",), "签发")
    issued = now.astimezone(ZoneInfo(cfg.timezone)).date()
    # Number, files, notice row and outbox row share one transaction: a number is either stored
    # with its message or not issued at all, and a stored number is never reused. The write
    # lock is taken first and the state read again under it: a second approver clicking at the
    # same moment waits, then is told the notice is signed already.
    with immediate(db):
        row = require_status(db, notice_id, ("submitted",), "签发")
        check_signable(db, row)
        year = issued.year
        _, changes = issue_notice(db, cfg, row, (year, next_seq(db, year)), issued, now)
        save_notice(
            db,
            {"id": notice_id, **changes, "signed_by": actor, "signed_at": iso(now),
             "updated_at": iso(now)},
        )  # fmt: skip
        if row.kind == "withdrawal" and row.references_id:
            save_notice(
                db, {"id": row.references_id, "status": "withdrawn", "updated_at": iso(now)}
            )
        detail = {"number": changes["number"], "outbox": changes["outbox_id"]}
        if changes["pdf_note"]:
            detail["pdf"] = changes["pdf_note"]
        record(db, actor, "notice.approve", notice_id, "", detail, at=iso(now))
        crash_point("alerts.render")
    return str(changes["number"])


def preview(db: Database, cfg: Config, notice_id: str) -> tuple[str, str]:
    """The notice's HTML and text exactly as printed (a signed one from its files)."""
    row = get_or_fail(db, notice_id)
    if row.status in ISSUED and row.html_path and Path(row.html_path).exists():
        html = Path(row.html_path).read_text(encoding="utf-8")
        text = Path(row.text_path).read_text(encoding="utf-8") if row.text_path else ""
        return html, text
    today = datetime.now(ZoneInfo(cfg.timezone)).date()
    placeholder = f"〔{today.year}〕第＿号（签发时编号）"
    return render_notice(printed_notice(db, cfg, row, (today.year, 0), today, placeholder))
