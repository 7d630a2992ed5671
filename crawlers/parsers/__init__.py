"""Source-specific parsers: pure functions from recorded payloads to DocketEvent records."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

# US federal sources (Federal Register, USITC) publish in Washington time without an offset.
EASTERN = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")
BODY_LIMIT = 20000  # notice bodies run to 30k chars; the parties and dates are in the first part

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


class ParseError(ValueError):
    """A payload is not what its source should send; the message names the source and field."""

    def __init__(self, source: str, field: str, reason: str) -> None:
        self.source, self.field, self.reason = source, field, reason
        super().__init__(f"{source}: {field}: {reason}")


def stable_id(source: str, key: str) -> str:
    """The event id "<source>:<key>", hashing keys that are long URLs or free text."""
    if len(key) > 64 or not re.fullmatch(r"[\w.:/-]+", key):
        key = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    return f"{source}:{key}"


def clean_text(text: str) -> str:
    """Markup removed, entities decoded once, whitespace collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()


def iso_date(value: str, fmt: str, tz: ZoneInfo, source: str, field: str) -> str:
    """A source date string in `fmt` as ISO 8601 with the source's timezone."""
    try:
        parsed = datetime.strptime(value.strip(), fmt)
    except ValueError as exc:
        raise ParseError(source, field, f"date {value!r} does not match {fmt!r}") from exc
    return parsed.replace(tzinfo=tz).isoformat()


def day_iso(day: date, tz: ZoneInfo) -> str:
    """Midnight of a calendar day in `tz`, as ISO 8601."""
    return datetime(day.year, day.month, day.day, tzinfo=tz).isoformat()


def not_html(payload: bytes, source: str, field: str, expected: str) -> None:
    """Raise ParseError when an HTML page (login wall, error page) came instead of `expected`."""
    head = payload[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:200]:
        raise ParseError(source, field, f"got an HTML page where {expected} was expected")
