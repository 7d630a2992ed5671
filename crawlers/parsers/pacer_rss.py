"""PACER CM/ECF public RSS: a court's rss_outside.pl feed as merged DocketEvents, from bytes.

Items already stored (their content hash is in `known`) are skipped before their fields are
built; a feed whose lastBuildDate equals the stored one is not read past its head.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any
from xml.sax import SAXParseException

import feedparser
import lxml.html
from parsel import Selector

from crawlers.items import DocketEvent
from crawlers.parsers import ParseError, content_hash, iso_datetime, stable_id
from crawlers.parsers.rss_items import RawItem, feed_head, read_feedparser, read_lxml
from crawlers.parsers.safexml import check_xml

DISTRICT_DN = re.compile(r"((?:\d{1,2}:)?\d\d-[A-Za-z]{1,5}-\d{1,10})(?:-[A-Za-z0-9]+)*")
BANKRUPTCY_DN = re.compile(r"((?:\d{1,2}:)?(?:\d-)?\d\d-\d{1,10})(?:-[A-Za-z0-9]+)*")
APPELLATE_DN = re.compile(r"(\d\d-\d{1,10})")
GUID_FILING = re.compile(r"DktRpt\.pl\?(\d+)[&-](\d+)$")
CASE_ID = re.compile(r"(?:DktRpt\.pl\?|caseid=)(\d+)")
EVENT_TYPE = re.compile(r"\[(.*?)\]")
BANNER = re.compile(r"\*\*\*(.+?)\*\*\*")
COURT_LINK = re.compile(r"//ecf\.([a-z0-9]+)\.uscourts\.gov")
# The usual description, '[Type] (<a href="URL" >38</a>)', read without an HTML parser when
# nothing in it needs one (no other markup, no entity): the same result, a tenth of the time.
PLAIN_LINK = re.compile(r'([^<>&]*)<a href="([^"<>]*)"\s*>(\d+)</a>([^<>&]*)')
ENTITY_LIKE = re.compile(r"&(#?\w+);")


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


def forum_of(court: str) -> str:
    """Forum code from a PACER court id: cafc, usca (other circuits), usbc (…b), else usdc."""
    if court == "cafc":
        return "cafc"
    if re.fullmatch(r"ca\d{1,2}|cadc|cavc", court):
        return "usca"
    return "usbc" if court.endswith("b") else "usdc"


def fold(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return " ".join(text.split())


def html_text(value: str) -> str:
    """Text of an HTML fragment: tags stripped, entities decoded once."""
    if not value.strip():
        return ""
    return lxml.html.fragment_fromstring(value, create_parent="div").text_content()


def docket_number(token: str, forum: str) -> str:
    """Normalise a docket token like juriscraper: '1:16-cv-02914-KAM-JO' -> '1:16-cv-02914'."""
    patterns = {"usbc": (DISTRICT_DN, BANKRUPTCY_DN), "usdc": (DISTRICT_DN,)}
    for pattern in patterns.get(forum, (APPELLATE_DN,)):
        match = pattern.fullmatch(token)
        if match:
            return match.group(1)
    return ""


@dataclass(frozen=True)
class Title:
    """A feed item's title split into docket token, caption and any clerk banner."""

    token: str
    caption: str
    banner: str


def split_title(raw: str, is_html: bool) -> Title:
    """Split '<docket> <caption>'; HTML is stripped and '***…***' banners moved out of it."""
    text = fold(html_text(raw) if is_html else raw)
    banners = [fold(b) for b in BANNER.findall(text)]
    text = fold(BANNER.sub(" ", text))
    token, _, caption = text.partition(" ")
    return Title(token, caption, "; ".join(banners))


@dataclass(frozen=True)
class Description:
    """The parts of an item description: event type, document link and number, the rest."""

    event_type: str
    doc_url: str
    doc_number: str
    rest: str


def split_description(summary: str, is_html: bool) -> Description:
    """Parse '[Event type] (<a href=".../doc1/...">38</a>)' and its variants."""
    quick = _plain_link(summary) if is_html else None
    if quick is not None:
        text, doc_url, number = quick
        match = EVENT_TYPE.search(text)
        event_type = fold(match.group(1)) if match else ""
        rest = fold(EVENT_TYPE.sub(" ", text, count=1))
        return Description(event_type, doc_url, number, rest)
    if not is_html or not summary.strip() or not ("<" in summary or "&" in summary):
        text = fold(summary)
        links: list[Any] = []
    else:
        root = lxml.html.fragment_fromstring(summary, create_parent="div")
        text = fold(root.text_content())
        # The document link is the anchor whose text is the document number: doc1 (district),
        # docs1 (appellate) or show_case_doc (EDNY). It is stored as text and never fetched.
        links = [a for a in root.iter("a") if fold(a.text_content()).isdigit()]
    match = EVENT_TYPE.search(text)
    event_type = fold(match.group(1)) if match else ""
    rest = fold(EVENT_TYPE.sub(" ", text, count=1))
    doc_url = links[0].get("href", "") if links else ""
    number = fold(links[0].text_content()) if links else ""
    return Description(event_type, doc_url, number if number.isdigit() else "", rest)


def _plain_link(summary: str) -> tuple[str, str, str] | None:
    """(text, href, number) of a description with one plain document link, else None."""
    match = PLAIN_LINK.fullmatch(summary)
    if match is None or ENTITY_LIKE.search(match.group(2)):
        return None
    before, href, number, after = match.groups()
    return fold(before + number + after), href, number


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
    check_xml(payload, source_id)
    root, build_raw = feed_head(payload, "lastBuildDate")
    build_date = iso_datetime(build_raw, source_id, "lastBuildDate") if build_raw else ""
    if build_date and build_date == last_build_date:
        return FeedResult(status="unchanged", build_date=build_date)
    result = FeedResult(build_date=build_date)
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
    result.reader = "feedparser"
    parsed = feedparser.parse(payload)
    if not parsed.version:
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
