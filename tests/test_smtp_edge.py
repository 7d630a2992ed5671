"""Delivery edge cases on real local SMTP servers: partial refusal, stalled DATA, 454, races."""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult
from alerts_data import NOW, insert_tcl_case
from smtp_support import (
    Recorder,
    smtp_cfg,
    start,
    two_warnings_and_three_gated,
)
from sqlite_utils import Database

from alerts.digest import write_digest
from alerts.outbox import deliver, queue_warnings
from core.config import Config
from core.store import open_db

# Plain AUTH without TLS is deliberate: the test server has no certificate.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


class Picky(Recorder):
    """Refuses one mailbox with 550 and can stall DATA past the client's timeout."""

    def __init__(
        self, refuse: str = "", stall: float = 0.0, delay: float = 0.0, busy: str = ""
    ) -> None:
        super().__init__()
        self.refuse, self.stall, self.delay, self.busy = refuse, stall, delay, busy

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address == self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        if address == self.busy:
            return "450 4.2.1 Mailbox busy, try later"
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
        assert "9. 投递异常（1）" in text and "refused recipients: ip-legal@tcl.example.com" in text
    finally:
        controller.stop()


def test_a_recipient_refused_for_now_gets_the_message_on_a_later_run(
    db: Database, cfg: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 450 for the company's address: the desk's copy goes now, the company's is not lost.
    handler = Picky(busy="ip-legal@tcl.example.com")
    controller, port = start(handler)
    try:
        scfg = smtp_cfg(cfg, port, monkeypatch).model_copy(update={"cc": ["desk@example.org"]})
        insert_tcl_case(db)
        queue_warnings(db, scfg, now=NOW)
        assert deliver(db, scfg, now=NOW).partial == 1
        assert [rcpts for rcpts, _ in handler.messages] == [["desk@example.org"]]
        [retry] = db.query("select * from outbox where id like '%|retry'")
        assert (retry["state"], retry["attempts"]) == ("pending", 1)
        assert retry["last_error"] == "暂时拒收，稍后重发 refused for now: ip-legal@tcl.example.com"
        assert deliver(db, scfg, now=NOW).sent == 0, "not before its backoff"
        handler.busy = ""
        later = NOW + scfg.alerts.retry_base_seconds * timedelta(seconds=1)
        assert deliver(db, scfg, now=later).sent == 1
        (first, body1), (second, body2) = handler.messages
        assert second == ["ip-legal@tcl.example.com"]
        one, two = (
            email.message_from_bytes(b, policy=email.policy.default) for b in (body1, body2)
        )
        assert one["Message-ID"] == two["Message-ID"] and one["Subject"] == two["Subject"]
        states = {r["id"].endswith("|retry"): r["state"] for r in db.query("select * from outbox")}
        assert states == {False: "sent", True: "sent"}
        assert deliver(db, scfg, now=later + timedelta(days=1)).sent == 0, "nothing twice"
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
