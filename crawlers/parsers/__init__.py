"""Source-specific parsers: pure functions from recorded payloads to DocketEvent records.

Every source shares one error type (ParseError), one id helper (stable_id, with content_hash
for items that carry no key), one date helper (iso_datetime) and one hostile-XML guard
(crawlers.parsers.safexml.check_xml).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

# US federal sources (Federal Register, USITC) publish in Washington time without an offset.
EASTERN = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")
BODY_LIMIT = 20000  # notice bodies run to 30k chars; the parties and dates are in the first part

_TAG = re.compile(r"<[^>]+>")
# The RFC 822 form every PACER court uses; read without the email module (same result).
_RFC822_GMT = re.compile(r"[A-Z][a-z]{2}, (\d\d) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d) GMT")
_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_SPACE = re.compile(r"\s+")


class ParseError(ValueError):
    """A payload is not what its source should send; the message names the source and field."""

    def __init__(self, source: str, field: str, reason: str) -> None:
        self.source, self.field, self.reason = source, field, reason
        super().__init__(f"{source}: {field}: {reason}")


R = TypeVar("R")
T = TypeVar("T")


def keep_good(
    records: Iterable[R],
    build: Callable[[R], list[T]],
    name: Callable[[R], str],
    skipped: list[str] | None,
) -> list[T]:
    """What `build` makes of each record; a broken record is named in `skipped` and left out.

    One bad record must not cost a page its good ones (as the PACER feed parser skips an
    item). Without a `skipped` list the first broken record raises, as before.
    """
    out: list[T] = []
    for record in records:
        try:
            out += build(record)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            if skipped is None:
                raise
            cause = str(exc) if isinstance(exc, ParseError) else f"{type(exc).__name__}: {exc}"
            skipped.append(f"{name(record)}: {cause}")
    return out


def stable_id(source: str, *parts: str) -> str:
    """The event id "<source>:<key>" (parts joined by ':'), hashing long or free-text keys."""
    key = ":".join(p for p in parts if p)
    if not key:
        raise ParseError(source, "id", "no stable key for this item")
    if len(key) > 64 or not re.fullmatch(r"[\w.:/-]+", key):
        key = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    return f"{source}:{key}"


def content_hash(*parts: str) -> str:
    """A short sha1 over the parts ('h…'), for items whose source gives them no usable key."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return "h" + digest[:20]


def clean_text(text: str) -> str:
    """Markup removed, entities decoded once, whitespace collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text))).strip()


def iso_datetime(value: str, source: str, field: str, fmt: str = "", tz: ZoneInfo = UTC) -> str:
    """A source date as ISO 8601 with timezone: RFC 822 or ISO 8601, or `fmt` when given.

    A date without a zone gets `tz` (UTC unless the source publishes in local time).
    """
    text = (value or "").strip()
    if not text:
        raise ParseError(source, field, "missing date")
    gmt = _RFC822_GMT.fullmatch(text) if not fmt else None
    if gmt and gmt.group(2) in _MONTHS:
        day, month, year, hour, minute, second = (
            int(g) if g.isdigit() else 0 for g in gmt.groups()
        )
        try:
            return datetime(
                year, _MONTHS[gmt.group(2)], day, hour, minute, second, tzinfo=UTC
            ).isoformat()
        except ValueError:
            pass  # e.g. 31 Feb: the general reader below names the problem
    if fmt:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError as exc:
            raise ParseError(source, field, f"date {value!r} does not match {fmt!r}") from exc
    else:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError:
                raise ParseError(source, field, f"unreadable date {text!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.isoformat()


def day_iso(day: date, tz: ZoneInfo) -> str:
    """Midnight of a calendar day in `tz`, as ISO 8601."""
    return datetime(day.year, day.month, day.day, tzinfo=tz).isoformat()


EMPTY = "空响应 empty response"
TOO_DEEP = "JSON 嵌套过深 nested too deeply"


def not_empty(payload: bytes, source: str, field: str) -> None:
    """Raise ParseError for a 200 answer with no body (or only white space)."""
    if not payload.strip():
        raise ParseError(source, field, f"{EMPTY}: the server answered with no body")


def load_json(payload: bytes, source: str, field: str) -> object:
    """The payload as JSON; ParseError for invalid JSON and for nesting Python cannot follow."""
    try:
        return json.loads(payload)
    except RecursionError:
        # Thousands of nested brackets exhaust the parser's stack: hostile, or a broken server.
        raise ParseError(source, field, TOO_DEEP) from None
    except ValueError as exc:
        raise ParseError(source, field, f"not valid JSON ({exc})") from None


def not_html(payload: bytes, source: str, field: str, expected: str) -> None:
    """Raise ParseError when an HTML page (login wall, error page) came instead of `expected`."""
    not_empty(payload, source, field)
    head = payload[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:200]:
        raise ParseError(source, field, f"got an HTML page where {expected} was expected")
