"""Deliver one message over SMTP (STARTTLS, SSL or plain), or as an .eml file without SMTP."""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from core.config import Smtp


@dataclass(frozen=True)
class Delivered:
    """A delivery the server accepted, with the recipients it refused ("addr: code text") and
    those it refused for now only (a 4xx answer: "try again later"), to be sent again."""

    refused: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)


# A sender gets the message, every envelope recipient and a checkpoint to call right before the
# message data is handed over; the outbox records that moment to resolve crashes safely. It may
# return Delivered to report recipients the server refused while accepting the others.
Sender = Callable[[EmailMessage, list[str], Callable[[], None]], Delivered | None]


class SendError(Exception):
    """Delivery failed; `permanent` is True for 5xx answers that a retry cannot fix.

    `ambiguous` is True when the connection broke after the data was handed over without a
    reply: the server may have accepted the message, so it must never be resent automatically.
    """

    def __init__(self, message: str, permanent: bool = False, ambiguous: bool = False) -> None:
        super().__init__(message)
        self.permanent, self.ambiguous = permanent, ambiguous


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _check(reply: tuple[int, bytes], ok: tuple[int, ...], step: str) -> None:
    code, text = reply
    if code not in ok:
        raise SendError(f"SMTP {step}: {code} {text.decode(errors='replace')}", code >= 500)


def smtp_sender(settings: Smtp) -> Sender:
    """A sender that talks to the configured SMTP server, logging in with the password env var."""

    def send(
        msg: EmailMessage, recipients: list[str], before_data: Callable[[], None]
    ) -> Delivered | None:
        # A bureau mail server may use a certificate from an internal CA: trust it explicitly.
        context = ssl.create_default_context(cafile=settings.ca_file or None)
        stage = {"handed": False, "accepted": False}
        result = Delivered()

        def handing_over() -> None:
            before_data()
            stage["handed"] = True

        try:
            if settings.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.host, settings.port, timeout=settings.timeout, context=context
                )
            else:
                client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
            with client:
                if settings.security == "starttls":
                    client.starttls(context=context)
                if settings.user:
                    client.login(settings.user, settings.password())
                result = _transaction(client, settings, msg, recipients, handing_over)
                stage["accepted"] = True
        except SendError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            # 535 wrong credentials stay wrong until the operator fixes them: do not hammer the
            # server; 454 (temporary authentication failure) clears by itself, so retry.
            raise SendError(
                f"SMTP login refused: {exc.smtp_code} {_text(exc.smtp_error)}",
                exc.smtp_code >= 500,
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            if stage["accepted"]:
                return result  # only QUIT failed: the server already said 250 to DATA
            if isinstance(exc, smtplib.SMTPResponseException):
                # A reply, even to DATA, is definite: the server did not take the message.
                text = _text(exc.smtp_error)
                raise SendError(f"SMTP {exc.smtp_code} {text}", exc.smtp_code >= 500) from exc
            if stage["handed"]:
                raise SendError(
                    f"SMTP {settings.host}:{settings.port}: connection lost during DATA "
                    f"without a reply ({exc}); the server may have accepted the message",
                    ambiguous=True,
                ) from exc
            # Refused connections, timeouts and dropped sessions are temporary by nature.
            raise SendError(f"SMTP {settings.host}:{settings.port}: {exc}", False) from exc
        return result

    return send


def _transaction(
    client: smtplib.SMTP,
    settings: Smtp,
    msg: EmailMessage,
    recipients: list[str],
    before_data: Callable[[], None],
) -> Delivered:
    client.ehlo_or_helo_if_needed()
    _check(client.mail(parseaddr(settings.sender)[1]), (250,), "MAIL FROM")
    refused = []
    for rcpt in recipients:
        code, text = client.rcpt(rcpt)
        if code not in (250, 251):
            refused.append((rcpt, code, text.decode(errors="replace")))
    if len(refused) == len(recipients):
        permanent = all(code >= 500 for _, code, _ in refused)
        raise SendError(f"SMTP RCPT refused: {refused}", permanent)
    # smtplib only converts line endings for str data, and servers require CRLF on the wire.
    payload = msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))
    before_data()
    _check(client.data(payload), (250,), "DATA")
    return Delivered(
        [f"{rcpt}: {code} {text}" for rcpt, code, text in refused],
        [rcpt for rcpt, code, _ in refused if code < 500],
    )


def eml_path(folder: Path, key: str) -> Path:
    """The .eml file for an outbox key: readable, filesystem-safe and bounded in length."""
    safe = "".join(ch if ch.isalnum() or ch in ".-" else "_" for ch in key)
    return folder / f"{safe[:150]}.eml"


def eml_sender(folder: Path, key: str) -> Sender:
    """A sender writing the message as an .eml file; the final rename makes it all-or-nothing."""

    def send(
        msg: EmailMessage, recipients: list[str], before_data: Callable[[], None]
    ) -> Delivered | None:
        target = eml_path(folder, key)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".eml.tmp")
            tmp.write_bytes(msg.as_bytes())
            before_data()
            os.replace(tmp, target)
        except OSError as exc:
            raise SendError(f"cannot write {target}: {exc}", False) from exc
        return None

    return send
