"""Build the enterprise warning, update and digest emails as multipart EmailMessage objects."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from alerts.facts import AlertsError, CaseFacts, CompanyFacts, EventFact
from alerts.notices import POLICY_SUPPORT, Notice
from alerts.render import LEVELS_ZH, inline_css, one_line, render
from core.config import Config
from core.vocabulary import SUBJECT_FIELDS

FORWARD_PREFIX = "[待转发]"
UPDATE_PREFIX = "【案件进展】"
SUBJECT_LIMIT = 160
# The placeholders `alerts.subject` may use (str.format names); config validation checks the same.


@dataclass(frozen=True)
class Envelope:
    """Who receives a message: visible To and Cc, and Bcc that never appears in the headers."""

    to: list[str]
    cc: list[str]
    bcc: list[str]

    def all(self) -> list[str]:
        """Every recipient address, in order, without duplicates."""
        return list(dict.fromkeys([*self.to, *self.cc, *self.bcc]))


def message_id(key: str, domain: str) -> str:
    """A Message-ID derived from the idempotency key, so a re-queued message keeps its id."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def mail_domain(cfg: Config) -> str:
    """The domain part of the bureau's address, used for Message-IDs."""
    return cfg.bureau.email.rpartition("@")[2] or "localhost"


def sender_address(cfg: Config) -> str:
    """The From address: the SMTP sender when configured, else the bureau desk."""
    if cfg.smtp:
        return cfg.smtp.sender
    return str(Address(display_name=cfg.bureau.name, addr_spec=cfg.bureau.email))


def envelope_for(cfg: Config, company: CompanyFacts | None) -> tuple[Envelope, bool]:
    """Company contacts To (else the bureau desk), bureau CC/BCC from config; True = forward."""
    if company is not None and company.contacts:
        return Envelope(company.contacts, list(cfg.cc), list(cfg.bcc)), False
    return Envelope([cfg.bureau.email], list(cfg.cc), list(cfg.bcc)), True


def subject_for(
    cfg: Config, case: CaseFacts, company: CompanyFacts, kind: str, forward: bool
) -> str:
    """The Chinese subject from the configured format, flattened to one line and clipped."""
    values = {
        "forum": case.forum_zh,
        "case_no": one_line(case.docket_number, 60),
        "company": company.name_zh,
        "case_name": one_line(case.case_name, 80),
    }
    subject = format_subject(cfg.alerts.subject, values)
    if kind == "update":
        subject = UPDATE_PREFIX + subject
    if forward:
        subject = f"{FORWARD_PREFIX} {subject}"
    return one_line(subject, SUBJECT_LIMIT)


def format_subject(template: str, values: dict[str, str]) -> str:
    """Fill the configured subject; a bad placeholder is an AlertsError naming the setting."""
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        allowed = ", ".join("{" + name + "}" for name in SUBJECT_FIELDS)
        raise AlertsError(
            f"config alerts.subject {template!r} is invalid ({type(exc).__name__}: {exc}); "
            f"allowed placeholders: {allowed}"
        ) from None


def check_subject(cfg: Config) -> None:
    """Raise AlertsError when `alerts.subject` uses anything but the allowed placeholders."""
    format_subject(cfg.alerts.subject, {name: "" for name in SUBJECT_FIELDS})


def build_message(
    cfg: Config,
    *,
    key: str,
    subject: str,
    text: str,
    html: str,
    envelope: Envelope,
    now: datetime,
    in_reply_to: str = "",
    attachment: tuple[str, str] | None = None,
    pdf: tuple[str, bytes] | None = None,
) -> EmailMessage:
    """A multipart/alternative message (text + inlined HTML), optionally with HTML/PDF copies."""
    msg = EmailMessage()
    msg["Subject"] = one_line(subject, SUBJECT_LIMIT)
    msg["From"] = sender_address(cfg)
    msg["To"] = ", ".join(envelope.to)
    if envelope.cc:
        msg["Cc"] = ", ".join(envelope.cc)
    msg["Reply-To"] = cfg.bureau.email
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id(key, mail_domain(cfg))
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    msg.set_content(text)
    msg.add_alternative(inline_css(html), subtype="html")
    if attachment:
        name, content = attachment
        msg.add_attachment(content, subtype="html", filename=name)
    if pdf:
        pdf_name, data = pdf
        msg.add_attachment(data, maintype="application", subtype="pdf", filename=pdf_name)
    return msg


KIND_PREFIX: dict[str, str] = {"correction": "【更正】", "withdrawal": "【撤回】"}


def compose_warning(
    cfg: Config,
    notice: Notice,
    notice_html: str,
    key: str,
    now: datetime,
    pdf: bytes | None = None,
) -> tuple[EmailMessage, Envelope]:
    """A signed notice to a company, attached as HTML (and as PDF when one was printed)."""
    envelope, forward = envelope_for(cfg, notice.company)
    context = _context(cfg, notice.case, notice.company, "warning", forward, notice=notice)
    subject = subject_for(cfg, notice.case, notice.company, "warning", forward)
    prefix = KIND_PREFIX.get(notice.kind, "")
    if prefix:
        subject = one_line(
            f"{FORWARD_PREFIX} {prefix}{subject.removeprefix(FORWARD_PREFIX + ' ')}"
            if forward
            else prefix + subject,
            SUBJECT_LIMIT,
        )
    name = f"海外知识产权风险预警提示{notice.number}.html"
    msg = build_message(
        cfg,
        key=key,
        subject=subject,
        text=render("email.txt", **context),
        html=render("email.html", **context),
        envelope=envelope,
        now=now,
        attachment=(name, notice_html),
        pdf=(name.removesuffix(".html") + ".pdf", pdf) if pdf else None,
    )
    return msg, envelope


def compose_update(
    cfg: Config,
    case: CaseFacts,
    company: CompanyFacts,
    event: EventFact,
    level: str,
    first_message_id: str,
    key: str,
    now: datetime,
) -> tuple[EmailMessage, Envelope]:
    """An update on a warned case, threaded to the first warning by In-Reply-To/References."""
    envelope, forward = envelope_for(cfg, company)
    case = replace(case, now=now)  # 已届满 is judged at this instant in the court's zone
    context = _context(cfg, case, company, "update", forward, event=event, level=level)
    msg = build_message(
        cfg,
        key=key,
        subject=subject_for(cfg, case, company, "update", forward),
        text=render("email.txt", **context),
        html=render("email.html", **context),
        envelope=envelope,
        now=now,
        in_reply_to=first_message_id,
    )
    return msg, envelope


def _context(
    cfg: Config,
    case: CaseFacts,
    company: CompanyFacts,
    kind: str,
    forward: bool,
    notice: Notice | None = None,
    event: EventFact | None = None,
    level: str = "",
) -> dict[str, object]:
    level = notice.level if notice else level
    return {
        "kind": kind,
        "case": case,
        "company": company,
        "notice": notice,
        "event": event,
        "level_zh": LEVELS_ZH.get(level, ""),
        "forward": forward,
        "bureau": cfg.bureau,
        "policy": POLICY_SUPPORT,
        "footer_note": f"本邮件由{cfg.bureau.name}发送，答复请直接回复至 {cfg.bureau.email}。",
    }
