"""Validators and annotated types behind config.yaml's settings: addresses, cron, URLs, options."""

from __future__ import annotations

import string
from datetime import datetime
from email.utils import parseaddr
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator

from core.urls import source_url_problem
from core.vocabulary import SOURCE_OPTIONS, SUBJECT_FIELDS
from core.yamlsafe import shown


def _time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (e.g. Asia/Shanghai)") from None
    return name


TimeZone = Annotated[str, AfterValidator(_time_zone)]


def _email(value: str) -> str:
    """One plain address (no display name, no CR/LF), checked by email-validator."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid email address {shown(value)}: {exc}") from None
    return value


def _mailbox(value: str) -> str:
    """An address with an optional display name: 'ipwatch <ipwatch@example.org>'."""
    if any(ch in value for ch in "\r\n\x00"):
        raise ValueError(f"line breaks are not allowed in an address: {shown(value)}")
    _, address = parseaddr(value)
    _email(address or value)
    return value


# crontab counts weekdays from Sunday (0 and 7); the scheduler from Monday (0): numbers are
# read the crontab way, as an operator means them, and handed on as names.
_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def crontab_weekdays(field: str) -> str:
    """A crontab day-of-week field with its numbers as day names ("1-5" → "mon,…,fri")."""
    parts = []
    for part in field.lower().split(","):
        span, _, step = part.partition("/")
        if span == "*" and step:
            span = "0-6"  # every n-th day counted from Sunday, as crontab counts
        if not any(ch.isdigit() for ch in span):
            parts.append(part)  # "*", "mon-fri": names mean the same to both
            continue
        first, _, last = span.partition("-")
        if not (first.isdigit() and (last or first).isdigit()):
            raise ValueError(f"day of week {field!r}: mix no numbers and names")
        low, high = int(first), int(last or first)
        if not (0 <= low <= high <= 7) or (step and not step.isdigit()):
            raise ValueError(f"day of week {field!r}: days are 0-7 (0 and 7 are Sunday)")
        days = range(low, high + 1, int(step) if step else 1)
        parts += [_DAY_NAMES[d] for d in days]
    return ",".join(dict.fromkeys(parts))


def cron_trigger(rule: str, timezone: str) -> CronTrigger:
    """A trigger from 5 crontab fields (or 6 with leading seconds) that fires at least once;
    ValueError names what is wrong."""
    fields = rule.split()
    if len(fields) not in (5, 6):
        raise ValueError("expected 5 fields (or 6 with seconds)")
    second = fields[0] if len(fields) == 6 else "0"
    minute, hour, day, month, dow = fields[-5:]
    trigger = CronTrigger(
        second=second, minute=minute, hour=hour, day=day, month=month,
        day_of_week=crontab_weekdays(dow), timezone=timezone,
    )  # fmt: skip
    if trigger.get_next_fire_time(None, datetime.now(trigger.timezone)) is None:
        raise ValueError("it never fires (no such date)")
    return trigger


def _cron(rule: str) -> str:
    """A crontab rule of 5 fields, or 6 with a leading seconds field (for short tests)."""
    try:
        cron_trigger(rule, "UTC")
    except (ValueError, LookupError) as exc:
        raise ValueError(f"bad cron rule {shown(rule)}: {exc}") from None
    return rule


def _source_url(url: str) -> str:
    problem = source_url_problem(url)
    if problem:
        raise ValueError(f"{problem}: {shown(url)}")
    return url


Email = Annotated[str, AfterValidator(_email)]
SourceUrl = Annotated[str, AfterValidator(_source_url)]
Mailbox = Annotated[str, AfterValidator(_mailbox)]
CronRule = Annotated[str, AfterValidator(_cron)]


def option_error(kind: str, key: str, value: object) -> str | None:
    """The problem with one source option for this kind, or None when it is fine."""
    expected = SOURCE_OPTIONS[kind].get(key)
    if expected is None:
        known = ", ".join(SOURCE_OPTIONS[kind]) or "none"
        return f"options.{key}: unknown option for kind {kind} (known: {known})"
    if expected == "int" and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        return f"options.{key}: must be a positive whole number, got {value!r}"
    if expected == "str" and not isinstance(value, str):
        return f"options.{key}: must be text, got {value!r}"
    if expected == "list" and not (
        isinstance(value, str)
        or (isinstance(value, list) and all(isinstance(v, str) for v in value))
    ):
        return f"options.{key}: must be a string or a list of strings, got {value!r}"
    return None


def _subject(template: str) -> str:
    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    unknown = sorted(fields - set(SUBJECT_FIELDS))
    if unknown:
        raise ValueError(
            f"unknown placeholder {{{unknown[0]}}} (allowed: "
            + ", ".join(f"{{{f}}}" for f in SUBJECT_FIELDS)
            + ")"
        )
    return template


_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def own_host(url: str, suffix: str) -> str:
    """An https URL on the service's own domain (http only on loopback, for local tests)."""
    parts = urlsplit(url.replace("{court}", "court"))
    host = parts.hostname or ""
    if host in _LOOPBACK and parts.scheme in ("http", "https"):
        return url
    if parts.scheme != "https" or not (host == suffix or host.endswith("." + suffix)):
        raise ValueError(f"must be an https URL on {suffix} (credentials go only there)")
    return url


Subject = Annotated[str, AfterValidator(_subject)]
UscourtsUrl = Annotated[str, AfterValidator(lambda u: own_host(u, "uscourts.gov"))]
CourtListenerUrl = Annotated[str, AfterValidator(lambda u: own_host(u, "courtlistener.com"))]
