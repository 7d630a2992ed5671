"""PACER CM/ECF public RSS: a court's rss_outside.pl feed as merged DocketEvents, from bytes.

Items already stored (their hash is in `known`) are skipped before their fields are built, and a
feed whose items are all known is not parsed at all; a feed whose lastBuildDate equals the
stored one is not read past its head.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any
from xml.sax import SAXParseException

from parsel import Selector

from crawlers.items import DocketEvent
from crawlers.parsers import ParseError, content_hash, iso_datetime, not_empty, stable_id
from crawlers.parsers.pacer_fields import (
    docket_number,
    forum_of,
    split_description,
    split_title,
)
from crawlers.parsers.rss_items import (
    RawItem,
    feed_head,
    item_keys,
    read_feedparser,
    read_lxml,
)
from crawlers.parsers.safexml import check_xml

GUID_FILING = re.compile(r"DktRpt\.pl\?(\d+)[&-](\d+)$")
CASE_ID = re.compile(r"(?:DktRpt\.pl\?|caseid=)(\d+)")
COURT_LINK = re.compile(r"//ecf\.([a-z0-9]+)\.uscourts\.gov")


@dataclass
class FeedResult:
    """One court feed read: its events, counts and problems, and the keys of the items read."""

    status: str = "ok"  # ok | unchanged
    build_date: str = ""
    events: list[DocketEvent] = field(default_factory=list)
    items_seen: int = 0
    known: int = 0  # items skipped because an earlier poll stored them
    skip_reasons: list[str] = field(default_factory=list)
    bozo: str = ""  # feedparser's complaint about a malformed feed ("" when clean)
    error: str = ""  # set when the feed is not well-formed but its readable items were kept
    new_keys: list[str] = field(default_factory=list)
    reader: str = "lxml"  # lxml | feedparser


def parse_feed(
    payload: bytes,
    source_id: str,
    court: str,
    url: str,
    retrieved_at: str,
    last_build_date: str = "",
    known: Collection[str] = (),
) -> FeedResult:
    """A court feed's new items as merged events; ParseError when the payload is not a feed."""
    not_empty(payload, source_id, "feed")
    check_xml(payload, source_id)
    root, build_raw = feed_head(payload, "lastBuildDate")
    build_date = iso_datetime(build_raw, source_id, "lastBuildDate") if build_raw else ""
    if build_date and build_date == last_build_date:
        return FeedResult(status="unchanged", build_date=build_date)
    result = FeedResult(build_date=build_date)
    keys = item_keys(payload) if known else None
    if keys and all(key in known for key in keys):
        # A re-poll with nothing new (a new lastBuildDate only): every item known by its bytes.
        result.items_seen = result.known = len(keys)
        return result
    items = read_lxml(payload)
    if items is None:
        items = _read_loose(payload, source_id, url, root, result)
    result.items_seen = len(items)
    fresh = [(item, item.key) for item in items]
    if known:
        fresh = [(item, key) for item, key in fresh if key not in known]
        result.known = len(items) - len(fresh)
    result.new_keys = list(dict.fromkeys(key for _, key in fresh))
    loose = result.reader == "feedparser" and result.error != ""
    result.events = _events(source_id, court, [i for i, _ in fresh], retrieved_at, loose, result)
    return result


def _read_loose(
    payload: bytes, source_id: str, url: str, root: str, result: FeedResult
) -> list[RawItem]:
    """feedparser's reading of a feed lxml refused; a not-well-formed feed keeps what it can."""
    import feedparser  # only for feeds lxml refuses: a poll of well-formed feeds never loads it

    result.reader = "feedparser"
    parsed = feedparser.parse(payload)
    if not parsed.get("version"):
        raise ParseError(source_id, "feed", _not_a_feed(payload, url, root, parsed))
    if parsed.bozo:
        exc = parsed.get("bozo_exception")
        result.bozo = repr(exc)
        if isinstance(exc, SAXParseException):
            where = f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}"
            result.error = (
                f"feed is not well-formed XML ({exc.getMessage()} at {where}; truncated?); "
                f"kept the {len(parsed.entries)} items parsed before it"
            )
    items = read_feedparser(parsed.entries)
    if result.error:
        # After a fatal XML error feedparser's loose parser leaves '&amp;' in guids and links.
        items = [
            RawItem(
                i.title,
                i.title_html,
                i.summary,
                i.summary_html,
                i.published,
                html.unescape(i.guid),
                html.unescape(i.link),
            )
            for i in items
        ]
    return items


def _not_a_feed(payload: bytes, url: str, root: str, parsed: Any) -> str:
    """Why a body is not RSS: an HTML page (with its title) or an unknown document."""
    head = payload[:2048].lower()
    if b"<html" in head or b"<!doctype html" in head or "html" in parsed.feed:
        text = payload[:20_000].decode("utf-8", "replace")
        title = " ".join((Selector(text=text, type="html").css("title::text").get() or "").split())
        return f"got an HTML page, not an RSS feed ({title or 'no title'}) from {url}"
    exc = parsed.get("bozo_exception")
    return f"not an RSS/Atom feed (root {root or 'unknown'!r}; {exc or 'no channel'})"


def _events(
    source_id: str,
    court: str,
    items: list[RawItem],
    retrieved: str,
    loose: bool,
    result: FeedResult,
) -> list[DocketEvent]:
    """Group items of one filing (same key) in feed order and build one event per group."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        try:
            fields = _fields(source_id, court, item)
        except ParseError as exc:
            result.skip_reasons.append(str(exc))
            continue
        except ValueError as exc:  # e.g. lxml refusing control characters in a title
            result.skip_reasons.append(f"{source_id}: item: unreadable ({exc})")
            continue
        groups.setdefault(fields["id"], []).append(fields)
    events = []
    for event_id, group in groups.items():
        types = list(dict.fromkeys(i["event_type"] for i in group if i["event_type"]))
        first = group[0]
        events.append(
            DocketEvent(
                id=event_id,
                source=source_id,
                forum=first["forum"],
                court=first["court"],
                docket_number=first["docket_number"],
                case_name=first["case_name"],
                event_types=tuple(types),
                published=first["published"],
                link=first["link"],
                doc_number=next((i["doc_number"] for i in group if i["doc_number"]), ""),
                doc_url=next((i["doc_url"] for i in group if i["doc_url"]), ""),
                body=first["banner"],
                source_case_id=first["case_id"],
                retrieved_at=retrieved,
            )
        )
    return events


def _fields(source_id: str, configured_court: str, item: RawItem) -> dict[str, Any]:
    """The fields of one RSS item; ParseError names what is wrong with it."""
    court = configured_court or _first(COURT_LINK, item.link)
    forum = forum_of(court)
    title = split_title(item.title, item.title_html)
    dn = docket_number(title.token, forum)
    if not dn:
        raise ParseError(source_id, "docket_number", f"malformed docket number {title.token!r}")
    desc = split_description(item.summary, item.summary_html)
    if not desc.event_type:
        raise ParseError(source_id, "event_type", f"no [event type] in item for {dn}")
    published = iso_datetime(item.published, source_id, "pubDate")
    guid, link = item.guid, item.link
    case_id = _first(CASE_ID, guid) or _first(CASE_ID, link) or _first(CASE_ID, desc.doc_url)
    filing = GUID_FILING.search(guid)
    if filing:
        key: tuple[str, ...] = filing.groups()
    elif guid and "DktRpt.pl" not in guid:
        key = (content_hash(guid),)
    else:
        # No per-filing guid: case, title, time and the document part identify the filing;
        # the event type is left out so several items of one filing share one id and merge.
        key = (case_id, content_hash(item.title, item.published, desc.rest, desc.doc_url))
    return {
        "id": stable_id(source_id, *key),
        "forum": forum,
        "court": court,
        "docket_number": dn,
        "case_name": title.caption,
        "banner": title.banner,
        "event_type": desc.event_type,
        "published": published,
        "link": link,
        "doc_number": desc.doc_number,
        "doc_url": desc.doc_url,
        "case_id": case_id,
    }


def _first(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text or "")
    return match.group(1) if match else ""
