"""Any RSS or Atom news feed (JUVE Patent, ipwatchdog, …): entries as free-text events."""

from __future__ import annotations

from calendar import timegm
from datetime import UTC, datetime

import feedparser

from crawlers.items import DocketEvent
from crawlers.parsers import ParseError, clean_text, not_html, stable_id
from crawlers.parsers.safexml import check_xml


def _published(entry: feedparser.FeedParserDict, fallback: str) -> str:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    # News items without a date still matter; the retrieval time is the honest upper bound.
    return datetime.fromtimestamp(timegm(stamp), UTC).isoformat() if stamp else fallback


def _entry_event(
    entry: feedparser.FeedParserDict, source_id: str, url: str, retrieved_at: str
) -> DocketEvent | None:
    key = entry.get("id") or entry.get("link")
    if not key:
        return None
    title = clean_text(entry.get("title", ""))
    summary = clean_text(entry.get("summary", ""))
    return DocketEvent(
        id=stable_id(source_id, key),
        source=source_id,
        forum="news",
        court="",
        docket_number="",
        case_name=title,
        event_types=(),
        published=_published(entry, retrieved_at),
        link=entry.get("link", url),
        body=f"{title}\n{summary}".strip(),
        retrieved_at=retrieved_at,
    )


def parse_feed(
    payload: bytes, source_id: str, url: str, retrieved_at: str
) -> tuple[list[DocketEvent], str | None]:
    """The feed's entries as news events, plus a warning naming any problem (None when clean).

    A malformed feed (feedparser's bozo) keeps every entry that could be read; entries with
    neither id nor link are skipped and counted in the warning, since they have no stable id.
    """
    not_html(payload, source_id, "feed", "RSS or Atom")
    parsed = feedparser.parse(check_xml(payload, source_id))
    if not parsed.entries and (parsed.bozo or not parsed.version):
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise ParseError(source_id, "feed", f"not a readable feed ({reason})")
    problems = [f"feed is malformed ({parsed.bozo_exception})"] if parsed.bozo else []
    events = [_entry_event(e, source_id, url, retrieved_at) for e in parsed.entries]
    skipped = events.count(None)
    if skipped:
        problems.append(f"{skipped} entries without id or link skipped")
    warning = f"{source_id}: {'; '.join(problems)}" if problems else None
    return [e for e in events if e is not None], warning
