"""The outbox state machine: .eml delivery, retries with backoff, fast failure, crash recovery."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from alerts_data import CASE_ID, NOW, insert_tcl_case, with_rules
from sqlite_utils import Database

from alerts.outbox import deliver, queue_warnings, warning_key
from alerts.recovery import recover, release
from alerts.send import SendError
from ipwatch.config import Config

KEY = warning_key(CASE_ID, "HZ001")


@pytest.fixture
def queued(db: Database, cfg: Config) -> Config:
    """The TCL warning queued; returns the config with level rules and a 300 s retry base."""
    acfg = with_rules(cfg, retry_base_seconds=300, max_attempts=3)
    insert_tcl_case(db)
    queue_warnings(db, acfg, now=NOW)
    return acfg


def failing(error: SendError) -> Callable[[EmailMessage, list[str], Callable[[], None]], None]:
    """A sender that always raises `error`, counting its calls."""

    def send(msg: EmailMessage, recipients: list[str], before_data: Callable[[], None]) -> None:
        send.calls += 1  # type: ignore[attr-defined]
        raise error

    send.calls = 0  # type: ignore[attr-defined]
    return send


def test_eml_delivery_writes_one_file_once(db: Database, queued: Config) -> None:
    first = deliver(db, queued, now=NOW)
    assert (first.sent, first.failed, first.retrying) == (1, 0, 0)
    path = Path(first.written_files[0])
    assert path.parent == Path(queued.alerts.out_dir) / "outbox"
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert msg["To"] == "ip-legal@tcl.example.com"
    again = deliver(db, queued, now=NOW + timedelta(hours=1))
    assert (again.sent, again.written_files) == (0, [])
    row = db["outbox"].get(KEY)
    assert (row["state"], row["attempts"], row["sent_at"]) == (
        "sent",
        1,
        "2022-12-07T01:30:00+00:00",
    )


def test_temporary_error_retries_with_exponential_backoff(db: Database, queued: Config) -> None:
    sender = failing(SendError("SMTP 421 try later", permanent=False))
    r1 = deliver(db, queued, sender=sender, now=NOW)
    assert (r1.sent, r1.failed, r1.retrying) == (0, 0, 1)
    row = db["outbox"].get(KEY)
    assert (row["state"], row["attempts"], row["last_error"]) == (
        "pending",
        1,
        "SMTP 421 try later",
    )
    assert row["next_attempt"] == "2022-12-07T01:35:00+00:00"  # 300 s
    assert deliver(db, queued, sender=sender, now=NOW + timedelta(seconds=299)).retrying == 0
    deliver(db, queued, sender=sender, now=NOW + timedelta(seconds=300))
    assert db["outbox"].get(KEY)["next_attempt"] == "2022-12-07T01:45:00+00:00"  # +600 s
    final = deliver(db, queued, sender=sender, now=NOW + timedelta(seconds=900))
    assert (final.failed, final.retrying) == (1, 0)
    assert db["outbox"].get(KEY)["state"] == "failed" and sender.calls == 3  # type: ignore[attr-defined]


def test_permanent_error_fails_fast(db: Database, queued: Config) -> None:
    sender = failing(SendError("SMTP 550 mailbox unavailable", permanent=True))
    result = deliver(db, queued, sender=sender, now=NOW)
    assert (result.failed, result.retrying) == (1, 0)
    row = db["outbox"].get(KEY)
    assert (row["state"], row["attempts"], row["next_attempt"]) == ("failed", 1, "")
    assert row["last_error"] == "SMTP 550 mailbox unavailable"


def _crash_in_sending(db: Database, **fields: str) -> None:
    db["outbox"].update(KEY, {"state": "sending", "attempts": 1, **fields})


def test_crash_before_handover_is_resent(db: Database, queued: Config) -> None:
    _crash_in_sending(db, handed_at=None)
    sent: list[EmailMessage] = []
    result = deliver(db, queued, sender=lambda m, r, before: (before(), sent.append(m)), now=NOW)
    assert result.sent == 1 and len(sent) == 1
    assert db["outbox"].get(KEY)["attempts"] == 2


def test_crash_during_smtp_data_is_held_never_resent(db: Database, queued: Config) -> None:
    _crash_in_sending(db, handed_at="2022-12-07T01:30:00+00:00")
    sent: list[EmailMessage] = []
    result = deliver(db, queued, sender=lambda m, r, before: sent.append(m), now=NOW)
    assert (result.held, result.sent, sent) == (1, 0, [])
    row = db["outbox"].get(KEY)
    assert row["state"] == "held"
    assert row["message_id"] in row["last_error"] and "--release" in row["last_error"]
    assert deliver(db, queued, sender=lambda m, r, before: sent.append(m), now=NOW).sent == 0
    assert release(db, KEY, mark_sent=True, now=NOW) == "sent"
    assert db["outbox"].get(KEY)["state"] == "sent" and sent == []


def test_released_message_is_resent_once(db: Database, queued: Config) -> None:
    _crash_in_sending(db, handed_at="2022-12-07T01:30:00+00:00")
    recover(db, NOW)
    assert release(db, KEY, now=NOW) == "pending"
    sent: list[EmailMessage] = []
    assert deliver(db, queued, sender=lambda m, r, b: sent.append(m), now=NOW).sent == 1
    assert len(sent) == 1
    with pytest.raises(KeyError, match="no outbox message 'nope'"):
        release(db, "nope")


def test_crash_while_writing_eml_is_resolved_by_the_file(db: Database, queued: Config) -> None:
    folder = Path(queued.alerts.out_dir) / "outbox"
    folder.mkdir(parents=True)
    done = folder / "done.eml"
    done.write_bytes(b"x")
    _crash_in_sending(db, handed_at="2022-12-07T01:30:00+00:00", eml_path=str(done))
    assert recover(db, NOW) == {"pending": 0, "sent": 1, "held": 0}
    assert db["outbox"].get(KEY)["sent_at"] == "2022-12-07T01:30:00+00:00"
    _crash_in_sending(db, handed_at="2022-12-07T01:30:00+00:00", eml_path=str(folder / "x.eml"))
    assert recover(db, NOW) == {"pending": 1, "sent": 0, "held": 0}


def test_queue_is_idempotent_across_runs(db: Database, queued: Config) -> None:
    later = NOW + timedelta(days=1)
    assert queue_warnings(db, queued, now=later).warnings == 0
    deliver(db, queued, now=later)
    assert queue_warnings(db, queued, now=later + timedelta(days=1)).warnings == 0
    states = [(r["id"], r["state"]) for r in db.query("select id, state from outbox")]
    assert states == [(KEY, "sent")]
    assert datetime.fromisoformat(db["outbox"].get(KEY)["created_at"]) == NOW.astimezone(UTC)
