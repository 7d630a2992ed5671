"""Delivery through real SMTP servers on 127.0.0.1 (aiosmtpd): login, 421 retries, 550 failures."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from alerts_data import CASE_ID, NOW, company_row, insert_tcl_case, with_rules
from sqlite_utils import Database

from alerts.digest import write_digest
from alerts.outbox import deliver, queue_warnings
from ipwatch.config import Config, Smtp
from ipwatch.store import open_db

# Plain AUTH without TLS is deliberate: the test server has no certificate.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

USER, PASSWORD, PASSWORD_ENV = "ipwatch", "s3cret-test", "IPWATCH_TEST_SMTP_PASSWORD"


class Recorder:
    """An SMTP handler that keeps what it accepts, or answers every DATA/RCPT with a fixed reply."""

    def __init__(self, data_reply: str = "", rcpt_reply: str = "") -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.logins: list[str] = []
        self.data_reply, self.rcpt_reply = data_reply, rcpt_reply

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:  # noqa: E501
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_reply:
            return self.data_reply
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:  # noqa: E501
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            USER.encode(),
            PASSWORD.encode(),
        )
        if ok:
            self.logins.append(data.login.decode())
        return AuthResult(success=ok, handled=False)


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(handler: Recorder) -> tuple[Controller, int]:
    """Start an authenticating SMTP server on 127.0.0.1."""
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=handler.authenticate,
        auth_require_tls=False,
        auth_required=True,
    )
    controller.start()
    return controller, port


@pytest.fixture
def server() -> Iterator[tuple[Recorder, int]]:
    handler = Recorder()
    controller, port = start(handler)
    yield handler, port
    controller.stop()


def smtp_cfg(cfg: Config, port: int, monkeypatch: pytest.MonkeyPatch) -> Config:
    """The test config delivering through 127.0.0.1:port with login from the environment."""
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    smtp = Smtp(
        host="127.0.0.1",
        port=port,
        user=USER,
        password_env=PASSWORD_ENV,
        security="none",
        sender="惠州市市场监督管理局 <ipwatch@example.org>",
        timeout=5,
    )
    return with_rules(cfg, retry_base_seconds=60, max_attempts=3).model_copy(update={"smtp": smtp})


def two_warnings_and_three_gated(db: Database) -> int:
    """HZ001 and HZ002 warranted; a pending, a group and a plaintiff match are not."""
    insert_tcl_case(db)
    db["companies"].insert(company_row("HZ002", "legal@tcl-industries.example.com"), pk="id")
    base = db["matches"].get(f"{CASE_ID}|TCL Technology Group Corp.|HZ001")
    extra = [
        ("m-hz002", "HZ002", "entity", "defendant", "auto"),
        ("m-pending", "HZ002", "entity", "defendant", "pending"),
        ("m-group", "HZ003", "group", "defendant", "pending"),
        ("m-plaintiff", "HZ004", "entity", "plaintiff", "enforcing"),
    ]
    for mid, company, level, role, status in extra:
        db["matches"].insert(
            {
                **base,
                "id": mid,
                "company_id": company,
                "level": level,
                "role": role,
                "status": status,
            }
        )
    return 2


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


class Picky(Recorder):
    """Refuses one mailbox with 550 and can stall DATA past the client's timeout."""

    def __init__(self, refuse: str = "", stall: float = 0.0, delay: float = 0.0) -> None:
        super().__init__()
        self.refuse, self.stall, self.delay = refuse, stall, delay

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address == self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.stall or self.delay)
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def test_partial_refusal_is_sent_and_shows_in_the_digest(
    db: Database, cfg: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = Picky(refuse="ip-legal@tcl.example.com")
    controller, port = start(handler)
    try:
        scfg = smtp_cfg(cfg, port, monkeypatch).model_copy(update={"cc": ["desk@example.org"]})
        insert_tcl_case(db)
        queue_warnings(db, scfg, now=NOW)
        result = deliver(db, scfg, now=NOW)
        assert (result.sent, result.partial, result.failed) == (1, 1, 0)
        assert [rcpts for rcpts, _ in handler.messages] == [["desk@example.org"]]
        row = next(iter(db.query("select state, last_error from outbox")))
        assert row["state"] == "sent" and "ip-legal@tcl.example.com: 550" in row["last_error"]
        text = write_digest(db, scfg, now=NOW).text_path.read_text(encoding="utf-8")
        assert "8. 投递异常（1）" in text and "refused recipients: ip-legal@tcl.example.com" in text
    finally:
        controller.stop()


def test_timeout_after_data_is_held_not_retried(
    db: Database, cfg: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = Picky(stall=3.0)
    controller, port = start(handler)
    try:
        scfg = smtp_cfg(cfg, port, monkeypatch)
        scfg = scfg.model_copy(update={"smtp": scfg.smtp.model_copy(update={"timeout": 1})})  # type: ignore[union-attr]
        insert_tcl_case(db)
        queue_warnings(db, scfg, now=NOW)
        result = deliver(db, scfg, now=NOW)
        assert (result.held, result.retrying, result.failed) == (1, 0, 0)
        row = next(iter(db.query("select state, last_error from outbox")))
        assert row["state"] == "held" and "may have accepted" in row["last_error"]
    finally:
        controller.stop()


def test_454_login_failure_is_temporary(
    db: Database, cfg: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = Recorder()
    handler.authenticate = lambda *a: AuthResult(  # type: ignore[method-assign]
        success=False, handled=False, message="454 4.7.0 Temporary authentication failure"
    )
    controller, port = start(handler)
    try:
        scfg = smtp_cfg(cfg, port, monkeypatch)
        insert_tcl_case(db)
        queue_warnings(db, scfg, now=NOW)
        result = deliver(db, scfg, now=NOW)
        assert (result.retrying, result.failed) == (1, 0)
        error = db.execute("select last_error from outbox").fetchone()[0]
        assert error.startswith("SMTP login refused: 454")
    finally:
        controller.stop()


def test_two_concurrent_deliveries_send_each_message_once(
    db: Database, cfg: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = Picky(delay=0.3)
    controller, port = start(handler)
    try:
        scfg = smtp_cfg(cfg, port, monkeypatch)
        warranted = two_warnings_and_three_gated(db)
        queue_warnings(db, scfg, now=NOW)
        results = []

        def run() -> None:
            own = open_db(scfg.path(scfg.database))
            results.append(deliver(own, scfg, now=NOW))
            own.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        ids = [
            email.message_from_bytes(c, policy=email.policy.default)["Message-ID"]
            for _, c in handler.messages
        ]
        assert len(ids) == warranted == len(set(ids)), ids
        assert sum(r.sent for r in results) == warranted
    finally:
        controller.stop()
