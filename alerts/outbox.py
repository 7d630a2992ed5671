"""The outbox: queue each warning once, deliver due messages, retry with backoff.

States: pending → sending → sent | failed (| held). Every row's id is its idempotency key
(kind|case|company|event), so a re-run never queues a message twice. Rows left in `sending` by
a crash are resolved first, by the rule in alerts/recovery.py.
"""

from __future__ import annotations

import email
import email.policy
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from alerts.compose import Envelope, check_subject, compose_update, compose_warning
from alerts.deadlines import iso, parse_iso
from alerts.events import KEY_EVENTS
from alerts.facts import (
    AlertsError,
    load_case,
    load_company,
    load_events,
    match_facts,
    product_peers,
    related_cases,
    warrants_warning,
)
from alerts.notices import build_notice, next_seq, notice_level, render_notice, write_notice
from alerts.recovery import claim, delivery_lock, recover
from alerts.send import Delivered, Sender, SendError, eml_path, eml_sender, smtp_sender
from core.config import Config
from core.faults import crash_point
from core.lock import LockHeld
from core.records import MatchRecord
from core.store import dumps, rows


@dataclass(frozen=True)
class QueueResult:
    """What one queue run added: first warnings, update emails and the notice numbers issued."""

    warnings: int
    updates: int
    notices: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # pairs skipped: case or company missing


@dataclass(frozen=True)
class DeliveryResult:
    """What one delivery run did; `held` counts messages waiting for an analyst's decision.

    `partial` counts sent messages some recipients refused; `busy` names the other delivery run
    when this one skipped because that run kept the delivery lock too long.
    """

    sent: int
    failed: int
    retrying: int
    written_files: list[str] = field(default_factory=list)
    held: int = 0
    partial: int = 0
    busy: str = ""


def warning_key(case_id: str, company_id: str) -> str:
    """The idempotency key of the first warning to a company about a case."""
    return f"warning|{case_id}|{company_id}|"


def update_key(case_id: str, company_id: str, event_id: str) -> str:
    """The idempotency key of an update email about one new event."""
    return f"update|{case_id}|{company_id}|{event_id}"


def eligible_matches(db: Database) -> dict[tuple[str, str], MatchRecord]:
    """The best warning-eligible match per (case, company); the gate is checked here, in Python."""
    best: dict[tuple[str, str], MatchRecord] = {}
    sql = "select * from matches where level = 'entity' order by score desc, id"
    for m in map(MatchRecord.from_row, rows(db, sql)):
        if warrants_warning(m):
            best.setdefault((m.case_id, m.company_id), m)
    return best


def _existing(db: Database, key: str) -> dict[str, Any] | None:
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


def _queue_warning(db: Database, cfg: Config, match: MatchRecord, now: datetime) -> str:
    case_id, company_id = match.case_id, match.company_id
    case = load_case(db, case_id, cfg.timezone)
    company = load_company(db, company_id)
    issued = now.astimezone(ZoneInfo(cfg.timezone)).date()
    related, peers = related_cases(db, company_id, case_id), product_peers(db, case_id)
    key = warning_key(case_id, company_id)
    notice_id = f"{case_id}|{company_id}"
    # Number allocation, notice row and outbox row share one transaction: a number is either
    # stored together with its message or not issued at all, and a stored one is never reused.
    with db.atomic():
        prior = list(rows(db, "select year, seq from notices where id = ?", (notice_id,)))
        year = prior[0]["year"] if prior else issued.year
        seq = prior[0]["seq"] if prior else next_seq(db, year)
        notice = build_notice(
            cfg, case, company, match_facts(match), (year, seq), issued, related, peers
        )
        html, text = render_notice(notice)
        html_path, text_path = write_notice(cfg, notice, html, text)
        db.table("notices").upsert(
            {
                "id": notice_id,
                "year": year,
                "seq": seq,
                "number": notice.number,
                "case_id": case_id,
                "company_id": company_id,
                "level": notice.level,
                "created_at": iso(now),
                "html_path": str(html_path),
                "text_path": str(text_path),
            },
            pk="id",
        )
        msg, env = compose_warning(cfg, notice, html, key, now)
        queue_message(db, key, "warning", (case_id, company_id, ""), msg, env, now)
        crash_point("alerts.render")
    return notice.number


def _queue_updates(db: Database, cfg: Config, warning: dict[str, Any], now: datetime) -> int:
    case_id, company_id = warning["case_id"], warning["company_id"]
    queued = 0
    for event in load_events(db, case_id, cfg.timezone):
        # Events known when the warning was queued are already in its notice.
        seen = iso(parse_iso(event.retrieved_at or event.published))
        if not KEY_EVENTS.intersection(event.kinds) or seen <= warning["created_at"]:
            continue
        key = update_key(case_id, company_id, event.id)
        if _existing(db, key):
            continue
        case = load_case(db, case_id, cfg.timezone)
        company = load_company(db, company_id)
        level = notice_level(cfg, case)
        msg, env = compose_update(cfg, case, company, event, level, warning["message_id"], key, now)
        queue_message(db, key, "update", (case_id, company_id, event.id), msg, env, now)
        queued += 1
    return queued


def queue_warnings(db: Database, cfg: Config, now: datetime | None = None) -> QueueResult:
    """Queue a notice and email per newly eligible (case, company), and updates on warned ones."""
    now = now or datetime.now(UTC)
    warnings, updates, numbers, errors = 0, 0, [], []
    try:
        check_subject(cfg)
    except AlertsError as exc:
        # Every email needs the subject: report once and leave the rest of the cycle running.
        return QueueResult(0, 0, [], [str(exc)])
    for (case_id, company_id), match in eligible_matches(db).items():
        warning = _existing(db, warning_key(case_id, company_id))
        try:
            if warning is None:
                numbers.append(_queue_warning(db, cfg, match, now))
                warnings += 1
            else:
                updates += _queue_updates(db, cfg, warning, now)
        except AlertsError as exc:
            # One broken pair (e.g. a company dropped from the registry) must not stop the others.
            errors.append(f"match {match.id}: {exc}")
    return QueueResult(warnings, updates, numbers, errors)


def _backoff(cfg: Config, attempts: int) -> timedelta:
    return timedelta(seconds=cfg.alerts.retry_base_seconds * 2 ** (attempts - 1))


def deliver(
    db: Database, cfg: Config, sender: Sender | None = None, now: datetime | None = None
) -> DeliveryResult:
    """Send every due message (SMTP when configured, else .eml files), after crash recovery."""
    lock = delivery_lock(cfg)
    try:
        if lock:
            lock.acquire()
    except LockHeld as exc:
        return DeliveryResult(0, 0, 0, busy=str(exc))
    try:
        return _deliver(db, cfg, sender, now or datetime.now(UTC))
    finally:
        if lock:
            lock.release()


def _deliver(db: Database, cfg: Config, sender: Sender | None, now: datetime) -> DeliveryResult:
    folder = cfg.path(cfg.alerts.out_dir) / "outbox"
    held = recover(db, now)["held"]
    eml_mode = sender is None and cfg.smtp is None
    sent = failed = retrying = partial = 0
    written: list[str] = []
    sql = """select * from outbox where state = 'pending' and (next_attempt is null
             or next_attempt = '' or next_attempt <= ?) order by created_at, id"""
    for row in list(rows(db, sql, (iso(now),))):
        key = row["id"]
        path = str(eml_path(folder, key)) if eml_mode else ""
        send = sender or (smtp_sender(cfg.smtp) if cfg.smtp else eml_sender(folder, key))
        attempts = claim(db, key, now, path)
        if attempts is None:
            continue  # another run claimed it between our read and our update
        crash_point("outbox.sending")
        msg = cast(
            EmailMessage, email.message_from_string(row["message"], policy=email.policy.default)
        )
        recipients = Envelope(**json.loads(row["recipients"])).all()

        def handed_over(key: str = key) -> None:
            db.table("outbox").update(key, {"handed_at": iso(now)})

        try:
            result = send(msg, recipients, handed_over)
        except SendError as exc:
            if exc.ambiguous:
                # The server may hold the message already: an analyst decides, never a retry.
                db.table("outbox").update(key, {"state": "held", "last_error": _held(row, exc)})
                held += 1
                continue
            final = exc.permanent or attempts >= cfg.alerts.max_attempts
            db.table("outbox").update(
                key,
                {
                    "state": "failed" if final else "pending",
                    "last_error": str(exc)[:500],
                    "next_attempt": "" if final else iso(now + _backoff(cfg, attempts)),
                },
            )
            failed, retrying = failed + final, retrying + (not final)
            continue
        crash_point("outbox.sent")
        refused = result.refused if isinstance(result, Delivered) else []
        # Sent to the others, but the refused addresses stay visible (digest, `notices`).
        warning = f"部分收件人被拒收 refused recipients: {'; '.join(refused)}"[:500]
        db.table("outbox").update(
            key, {"state": "sent", "sent_at": iso(now), "last_error": warning if refused else ""}
        )
        sent, partial = sent + 1, partial + bool(refused)
        if path:
            written.append(path)
    return DeliveryResult(sent, failed, retrying, written, held, partial)


def held_messages(db: Database) -> tuple[str, ...]:
    """Every held message as 'KEY (Message-ID)': each waits for --release or --mark-sent."""
    sql = "select id, message_id from outbox where state = 'held' order by created_at, id"
    return tuple(f"{r['id']} ({r['message_id']})" for r in rows(db, sql))


def _held(row: dict[str, Any], exc: SendError) -> str:
    return (
        f"{str(exc)[:300]}: check the mail log for {row['message_id']}, then "
        f"`ipwatch notify --release {row['id']}` or `--mark-sent {row['id']}`"
    )
