"""Real SMTP servers on 127.0.0.1 for delivery tests: a recording handler with login."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from alerts_data import CASE_ID, company_row, insert_tcl_case, with_rules
from sqlite_utils import Database

from core.config import Config, Smtp

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
