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

from sqlite_utils import Database

from alerts.compose import Envelope, check_subject, compose_update
from alerts.deadlines import iso, parse_iso
from alerts.dispatch import auto_signoff, release_held, requeue
from alerts.events import KEY_EVENTS
from alerts.facts import (
    AlertsError,
    load_case,
    load_company,
    load_events,
    warrants_warning,
)
from alerts.notices import notice_level
from alerts.queue import existing, queue_message, update_key, warning_key
from alerts.recovery import claim, delivery_lock, recover
from alerts.send import Delivered, Sender, SendError, eml_path, eml_sender, smtp_sender
from alerts.signoff import ISSUED, SignoffError, draft_for, notice_id_for
from core.config import Config
from core.faults import crash_point
from core.lock import LockHeld
from core.notices import get_notice, mark_sent
from core.records import MatchRecord
from core.store import dumps, rows


@dataclass(frozen=True)
class QueueResult:
    """What one queue run added: first warnings, update emails and the notice numbers issued."""

    warnings: int
    updates: int
    notices: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # pairs skipped: case or company missing
    drafts: list[str] = field(default_factory=list)  # notices drafted now, waiting for 签发
    released: list[str] = field(default_factory=list)  # held notices sent now that contacts exist


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


def eligible_matches(db: Database) -> dict[tuple[str, str], MatchRecord]:
    """The best warning-eligible match per (case, company); the gate is checked here, in Python."""
    best: dict[tuple[str, str], MatchRecord] = {}
    sql = """select * from matches where level = 'entity'
             or (level in ('group', 'review') and status = 'confirmed') order by score desc, id"""
    for m in map(MatchRecord.from_row, rows(db, sql)):
        if warrants_warning(m):
            best.setdefault((m.case_id, m.company_id), m)
    return best


def _queue_updates(db: Database, cfg: Config, warning: dict[str, Any], now: datetime) -> int:
    case_id, company_id = warning["case_id"], warning["company_id"]
    queued = 0
    for event in load_events(db, case_id, cfg.timezone):
        # Events known when the warning was queued are already in its notice.
        seen = iso(parse_iso(event.retrieved_at or event.published))
        if not KEY_EVENTS.intersection(event.kinds) or seen <= warning["created_at"]:
            continue
        key = update_key(case_id, company_id, event.id)
        if existing(db, key):
            continue
        case = load_case(db, case_id, cfg.timezone)
        company = load_company(db, company_id)
        level = notice_level(cfg, case)
        msg, env = compose_update(cfg, case, company, event, level, warning["message_id"], key, now)
        queue_message(db, key, "update", (case_id, company_id, event.id), msg, env, now)
        queued += 1
    return queued


def queue_warnings(db: Database, cfg: Config, now: datetime | None = None) -> QueueResult:
    """Draft a notice per newly eligible (case, company); queue signed ones and updates.

    A draft waits for an approver's 签发 (`ipwatch notices approve`) unless config
    `alerts.auto_signoff` allows its level and forum. Held notices (待转发) go to the company
    once its contact exists.
    """
    now = now or datetime.now(UTC)
    warnings, updates, numbers, errors, drafts = 0, 0, [], [], []
    try:
        check_subject(cfg)
    except AlertsError as exc:
        # Every email needs the subject: report once and leave the rest of the cycle running.
        return QueueResult(0, 0, [], [str(exc)])
    for (case_id, company_id), match in eligible_matches(db).items():
        try:
            notice = get_notice(db, notice_id_for(case_id, company_id))
            drafted = notice is None
            if notice is None:
                notice = draft_for(db, cfg, match, now)
            if notice.status == "draft":
                # Retried each cycle: a crash mid-sign-off leaves an untouched draft behind.
                number = auto_signoff(db, cfg, notice.id, now)
                if number is None:
                    drafts.extend([notice.id] if drafted else [])
                    continue
                numbers.append(number)
                warnings += 1
            elif (
                notice.status in ISSUED and notice.outbox_id and not existing(db, notice.outbox_id)
            ):
                # A signed notice whose message row was lost keeps its number.
                numbers.append(requeue(db, cfg, notice.id, now))
                warnings += 1
            warning = existing(db, warning_key(case_id, company_id))
            # A withdrawn notice stops its updates too: the bureau took the warning back.
            if warning is not None and notice.status != "withdrawn":
                updates += _queue_updates(db, cfg, warning, now)
        except (AlertsError, SignoffError) as exc:
            # One broken pair (e.g. a company dropped from the registry) must not stop the others.
            errors.append(f"match {match.id}: {exc}")
    released = release_held(db, cfg, now)
    return QueueResult(warnings, updates, numbers, errors, drafts, released)


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
        deferred = result.deferred if isinstance(result, Delivered) else []
        # Sent to the others, but the refused addresses stay visible (digest, `notices`).
        warning = f"部分收件人被拒收 refused recipients: {'; '.join(refused)}"[:500]
        with db.atomic():
            db.table("outbox").update(
                key,
                {"state": "sent", "sent_at": iso(now), "last_error": warning if refused else ""},
            )
            if deferred and attempts < cfg.alerts.max_attempts:
                retry_refused(db, row, deferred, attempts, now + _backoff(cfg, attempts))
        mark_sent(db, key, iso(now))
        sent, partial = sent + 1, partial + bool(refused)
        if path:
            written.append(path)
    return DeliveryResult(sent, failed, retrying, written, held, partial)


def retry_refused(
    db: Database, row: dict[str, Any], addresses: list[str], attempts: int, when: datetime
) -> str:
    """Queue the same message again for the recipients a server refused for now (4xx), under
    its own key: the others have it, and a temporary refusal must not lose anyone."""
    key = f"{row['id']}|retry"
    again = {
        **row,
        "id": key,
        "recipients": dumps({"to": addresses, "cc": [], "bcc": []}),
        "state": "pending",
        "attempts": attempts,  # the retries share the message's budget of attempts
        "last_error": f"暂时拒收，稍后重发 refused for now: {', '.join(addresses)}"[:500],
        "next_attempt": iso(when),
        "sent_at": "",
        "eml_path": "",
        "handed_at": None,
    }
    db.table("outbox").upsert(again, pk="id")
    return key


def held_messages(db: Database) -> tuple[str, ...]:
    """Every held message as 'KEY (Message-ID)': each waits for --release or --mark-sent."""
    sql = "select id, message_id from outbox where state = 'held' order by created_at, id"
    return tuple(f"{r['id']} ({r['message_id']})" for r in rows(db, sql))


def _held(row: dict[str, Any], exc: SendError) -> str:
    return (
        f"{str(exc)[:300]}: check the mail log for {row['message_id']}, then "
        f"`ipwatch notify --release {row['id']}` or `--mark-sent {row['id']}`"
    )
