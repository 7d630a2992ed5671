"""The outbox state machine: .eml delivery, retries with backoff, fast failure, crash recovery."""

from __future__ import annotations

import email
import email.policy
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from alerts_data import CASE_ID, NOW, insert_tcl_case, with_rules
from sqlite_utils import Database

from alerts.outbox import deliver, queue_warnings, warning_key
from alerts.recovery import claim, recover, release
from alerts.send import Delivered, SendError
from core.config import Config
from core.store import open_db

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


def test_claim_succeeds_once(db: Database, queued: Config) -> None:
    assert claim(db, KEY, NOW, "") == 1
    assert claim(db, KEY, NOW, "") is None, "a row already in `sending` cannot be claimed again"
    assert db["outbox"].get(KEY)["state"] == "sending"


def test_concurrent_runs_send_each_message_once(
    db: Database, queued: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second run neither sends nor recovers the first run's live `sending` row."""
    monkeypatch.setattr("alerts.recovery.DELIVER_LOCK_WAIT", 0.3)
    inside, finish = threading.Event(), threading.Event()
    sent: list[str] = []

    def slow(msg: EmailMessage, recipients: list[str], before: Callable[[], None]) -> None:
        inside.set()
        assert finish.wait(10)
        before()
        sent.append(str(msg["Message-ID"]))

    path = queued.path(queued.database)

    def run() -> None:
        own = open_db(path)  # one connection per thread, as two processes would have
        deliver(own, queued, sender=slow, now=NOW)
        own.close()

    first = threading.Thread(target=run)
    first.start()
    assert inside.wait(10)
    second = deliver(db, queued, sender=slow, now=NOW)
    assert "another delivery run holds" in second.busy and second.sent == 0
    assert db["outbox"].get(KEY)["state"] == "sending", "a live claim must not be recovered"
    finish.set()
    first.join(10)
    assert deliver(db, queued, sender=slow, now=NOW).sent == 0
    assert len(sent) == 1 and db["outbox"].get(KEY)["state"] == "sent"


def test_connection_lost_during_data_is_held(db: Database, queued: Config) -> None:
    def dropped(msg: EmailMessage, recipients: list[str], before: Callable[[], None]) -> None:
        before()
        raise SendError("connection lost during DATA", ambiguous=True)

    result = deliver(db, queued, sender=dropped, now=NOW)
    assert (result.held, result.retrying, result.failed) == (1, 0, 0)
    row = db["outbox"].get(KEY)
    assert row["state"] == "held" and "--release" in row["last_error"]
    assert deliver(db, queued, sender=dropped, now=NOW + timedelta(days=1)).held == 0


def test_partial_refusal_is_sent_with_a_visible_warning(db: Database, queued: Config) -> None:
    def partial(msg: EmailMessage, recipients: list[str], before: Callable[[], None]) -> Delivered:
        before()
        return Delivered(["ip-legal@tcl.example.com: 550 5.1.1 no such user"])

    result = deliver(db, queued, sender=partial, now=NOW)
    assert (result.sent, result.partial) == (1, 1)
    row = db["outbox"].get(KEY)
    assert row["state"] == "sent"
    assert "refused recipients: ip-legal@tcl.example.com: 550" in row["last_error"]


def test_bad_subject_placeholder_is_reported_not_raised(db: Database, cfg: Config) -> None:
    bad = with_rules(cfg, subject="【预警】{docket} {company}")
    insert_tcl_case(db)
    result = queue_warnings(db, bad, now=NOW)
    assert result.warnings == 0 and len(result.errors) == 1
    error = result.errors[0]
    assert "alerts.subject" in error and "'docket'" in error
    assert "{forum}, {case_no}, {company}, {case_name}" in error
    assert list(db.query("select id from outbox")) == []
    assert list(db.query("select id from notices")) == [], "no notice number spent"
