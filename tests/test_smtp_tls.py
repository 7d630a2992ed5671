"""Delivery over STARTTLS and implicit TLS to real SMTP servers on 127.0.0.1, with login.

The servers present a certificate for 127.0.0.1 signed by a throwaway CA (trustme); the sender
trusts it through `smtp.ca_file`, as an operator would for a bureau mail server with an internal CA.
"""

from __future__ import annotations

import email
import email.policy
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from aiosmtpd.controller import Controller
from alerts_data import NOW
from smtp_support import Recorder, free_port, smtp_cfg, two_warnings_and_three_gated
from sqlite_utils import Database

from alerts.outbox import deliver, queue_warnings
from core.config import Config

# aiosmtpd warns when AUTH does not demand STARTTLS; with implicit TLS there is nothing to demand.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(
    ca: trustme.CA, request: pytest.FixtureRequest
) -> Iterator[tuple[Recorder, int, str]]:
    """A server with login: "starttls" demands STARTTLS before AUTH; "ssl" is TLS throughout."""
    mode = request.param
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    handler, port = Recorder(), free_port()
    if mode == "starttls":
        tls = {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
    else:
        # Implicit TLS: the whole session is encrypted, but aiosmtpd only counts STARTTLS as TLS
        # for its AUTH rule, so that rule is off here; a plain client cannot even greet it.
        tls = {"ssl_context": context, "auth_require_tls": False}
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, authenticator=handler.authenticate,
        auth_required=True, **tls,
    )  # fmt: skip
    controller.start()
    yield handler, port, mode
    controller.stop()


def _tls_cfg(
    cfg: Config, port: int, mode: str, ca_file: Path, monkeypatch: pytest.MonkeyPatch
) -> Config:
    base = smtp_cfg(cfg, port, monkeypatch)
    assert base.smtp is not None
    smtp = base.smtp.model_copy(update={"security": mode, "ca_file": str(ca_file)})
    return base.model_copy(update={"smtp": smtp})


@pytest.mark.parametrize("tls_server", ["starttls", "ssl"], indirect=True)
def test_tls_login_delivers_each_warning_once(
    db: Database, cfg: Config, ca: trustme.CA, tls_server, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    handler, port, mode = tls_server
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    scfg = _tls_cfg(cfg, port, mode, ca_file, monkeypatch)
    warranted = two_warnings_and_three_gated(db)
    assert queue_warnings(db, scfg, now=NOW).warnings == warranted
    result = deliver(db, scfg, now=NOW)
    errors = [r["last_error"] for r in db.query("select last_error from outbox")]
    assert (result.sent, result.failed, result.retrying) == (warranted, 0, 0), errors
    assert handler.logins == ["ipwatch"] * warranted  # AUTH happened inside TLS
    subjects = sorted(
        email.message_from_bytes(raw, policy=email.policy.default)["Subject"]
        for _, raw in handler.messages
    )
    assert len(subjects) == warranted and all("6:22-cv-00217" in s for s in subjects)
    again = deliver(db, scfg, now=NOW)
    assert again.sent == 0 and len(handler.messages) == warranted


@pytest.mark.parametrize("tls_server", ["starttls"], indirect=True)
def test_untrusted_certificate_is_a_temporary_failure(
    db: Database, cfg: Config, tls_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the CA the handshake fails: nothing sent, the error names the cause, it retries."""
    handler, port, mode = tls_server
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    scfg = _tls_cfg(cfg, port, mode, other, monkeypatch)
    two_warnings_and_three_gated(db)
    queue_warnings(db, scfg, now=NOW)
    result = deliver(db, scfg, now=NOW)
    assert (result.sent, result.retrying) == (0, 2)
    errors = {
        r["last_error"] for r in db.query("select last_error from outbox where kind = 'warning'")
    }
    assert len(errors) == 1 and "CERTIFICATE_VERIFY_FAILED" in errors.pop()
    assert handler.messages == [] and handler.logins == []
