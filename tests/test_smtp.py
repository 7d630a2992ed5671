"""Delivery through real SMTP servers on 127.0.0.1 (aiosmtpd): login, 421 retries, 550 failures."""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta

import pytest
from alerts_data import NOW, insert_tcl_case
from smtp_support import (
    PASSWORD_ENV,
    USER,
    Recorder,
    free_port,
    smtp_cfg,
    start,
    two_warnings_and_three_gated,
)
from sqlite_utils import Database

from alerts.outbox import deliver, queue_warnings
from core.config import Config

# Plain AUTH without TLS is deliberate: the test server has no certificate.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def test_smtp_login_delivers_each_warning_once(
    db: Database, cfg: Config, server: tuple[Recorder, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    handler, port = server
    scfg = smtp_cfg(cfg, port, monkeypatch).model_copy(update={"bcc": ["archive@example.org"]})
    warranted = two_warnings_and_three_gated(db)
    assert queue_warnings(db, scfg, now=NOW).warnings == warranted
    first = deliver(db, scfg, now=NOW)
    errors = [r["last_error"] for r in db.query("select last_error from outbox")]
    assert (first.sent, first.failed, first.retrying) == (warranted, 0, 0), errors
    assert len(handler.messages) == warranted and handler.logins == [USER, USER]
    # A re-run queues and sends nothing new.
    assert queue_warnings(db, scfg, now=NOW + timedelta(days=1)).warnings == 0
    assert deliver(db, scfg, now=NOW + timedelta(days=1)).sent == 0
    assert len(handler.messages) == warranted
    received = {}
    for rcpts, content in handler.messages:
        msg = email.message_from_bytes(content, policy=email.policy.default)
        received[msg["To"]] = (rcpts, msg["Message-ID"])
        assert msg["Bcc"] is None
    assert sorted(received) == ["ip-legal@tcl.example.com", "legal@tcl-industries.example.com"]
    assert received["ip-legal@tcl.example.com"][0] == [
        "ip-legal@tcl.example.com",
        "archive@example.org",
    ]
    stored = {r["message_id"] for r in db.query("select message_id from outbox")}
    assert {mid for _, mid in received.values()} == stored


def test_421_retries_then_succeeds(
    db: Database, cfg: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy = Recorder(data_reply="421 4.3.2 Service not available, try again later")
    controller, port = start(busy)
    try:
        scfg = smtp_cfg(cfg, port, monkeypatch)
        two_warnings_and_three_gated(db)
        queue_warnings(db, scfg, now=NOW)
        result = deliver(db, scfg, now=NOW)
        assert (result.sent, result.failed, result.retrying) == (0, 0, 2)
        rows = list(db.query("select state, attempts, last_error, next_attempt from outbox"))
        assert {r["state"] for r in rows} == {"pending"}
        assert all(r["last_error"].startswith("SMTP") and "421" in r["last_error"] for r in rows)
        assert {r["next_attempt"] for r in rows} == {"2022-12-07T01:31:00+00:00"}
        busy.data_reply = ""  # the server recovers
        later = deliver(db, scfg, now=NOW + timedelta(minutes=1))
        assert (later.sent, later.failed) == (2, 0)
        assert len(busy.messages) == 2
        assert [r["attempts"] for r in db.query("select attempts from outbox")] == [2, 2]
    finally:
        controller.stop()


def test_550_fails_fast_and_shows_the_error(
    db: Database, cfg: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    refusing = Recorder(rcpt_reply="550 5.1.1 Mailbox unavailable")
    controller, port = start(refusing)
    try:
        scfg = smtp_cfg(cfg, port, monkeypatch)
        two_warnings_and_three_gated(db)
        queue_warnings(db, scfg, now=NOW)
        result = deliver(db, scfg, now=NOW)
        assert (result.sent, result.failed, result.retrying) == (0, 2, 0)
        rows = list(db.query("select state, attempts, last_error from outbox"))
        assert [(r["state"], r["attempts"]) for r in rows] == [("failed", 1), ("failed", 1)]
        assert "550" in rows[0]["last_error"] and "Mailbox unavailable" in rows[0]["last_error"]
        assert deliver(db, scfg, now=NOW + timedelta(hours=1)).sent == 0
        assert refusing.messages == []
    finally:
        controller.stop()


def test_wrong_password_and_refused_connection(
    db: Database, cfg: Config, server: tuple[Recorder, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, port = server
    scfg = smtp_cfg(cfg, port, monkeypatch)
    monkeypatch.setenv(PASSWORD_ENV, "wrong")
    insert_tcl_case(db)
    queue_warnings(db, scfg, now=NOW)
    result = deliver(db, scfg, now=NOW)
    errors = [r["last_error"] for r in db.query("select last_error from outbox")]
    assert result.failed == 1, errors
    assert (
        db.execute("select last_error from outbox")
        .fetchone()[0]
        .startswith("SMTP login refused: 535")
    )
    db.execute("update outbox set state = 'pending', attempts = 0")
    db.conn.commit()
    down = scfg.model_copy(update={"smtp": scfg.smtp.model_copy(update={"port": free_port()})})  # type: ignore[union-attr]
    result = deliver(db, down, now=NOW)
    assert (result.retrying, result.failed) == (1, 0)
    assert "Connection refused" in db.execute("select last_error from outbox").fetchone()[0]
