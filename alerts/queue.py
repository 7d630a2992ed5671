"""Outbox rows: idempotency keys and queueing one rendered message (notices, digests)."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from typing import Any

from sqlite_utils import Database

from alerts.compose import Envelope
from alerts.deadlines import iso
from core.store import dumps, rows


def warning_key(case_id: str, company_id: str) -> str:
    """The idempotency key of the first warning to a company about a case."""
    return f"warning|{case_id}|{company_id}|"


def update_key(case_id: str, company_id: str, event_id: str) -> str:
    """The idempotency key of an update email about one new event."""
    return f"update|{case_id}|{company_id}|{event_id}"


def existing(db: Database, key: str) -> dict[str, Any] | None:
    """The outbox row stored under this key, or None."""
    found = list(rows(db, "select * from outbox where id = ?", (key,)))
    return found[0] if found else None


def _outbox_row(
    key: str, kind: str, ids: tuple[str, str, str], msg: EmailMessage, env: Envelope, now: datetime
) -> dict[str, Any]:
    case_id, company_id, event_id = ids
    recipients = {"to": env.to, "cc": env.cc, "bcc": env.bcc}
    return {
        "id": key,
        "kind": kind,
        "case_id": case_id,
        "company_id": company_id,
        "event_id": event_id,
        "recipients": dumps(recipients),
        "subject": str(msg["Subject"]),
        "message_id": str(msg["Message-ID"]),
        "message": msg.as_string(),
        "state": "pending",
        "attempts": 0,
        "last_error": "",
        "next_attempt": iso(now),
        "created_at": iso(now),
        "sent_at": "",
        "eml_path": "",
        "handed_at": None,
    }


def queue_message(
    db: Database,
    key: str,
    kind: str,
    ids: tuple[str, str, str],
    msg: EmailMessage,
    env: Envelope,
    now: datetime,
) -> None:
    """Insert one pending message under its idempotency key (ignored when the key exists)."""
    db.table("outbox").insert(_outbox_row(key, kind, ids, msg, env, now), pk="id", ignore=True)
