"""PACER CM/ECF public RSS: one spider for any list of courts, one source id per court."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.sax import SAXParseException

import feedparser
import lxml.html
from scrapy.http import Response

from crawlers.base import (
    DisputeSpider,
    SourceError,
    SourceOutcome,
    SourceSpec,
    iso_datetime,
    stable_hash,
    xml_head,
)
from crawlers.errors import page_title
from crawlers.items import DocketEvent

DISTRICT_DN = re.compile(r"((?:\d{1,2}:)?\d\d-[A-Za-z]{1,5}-\d{1,10})(?:-[A-Za-z0-9]+)*")
BANKRUPTCY_DN = re.compile(r"((?:\d{1,2}:)?(?:\d-)?\d\d-\d{1,10})(?:-[A-Za-z0-9]+)*")
APPELLATE_DN = re.compile(r"(\d\d-\d{1,10})")
GUID_FILING = re.compile(r"DktRpt\.pl\?(\d+)[&-](\d+)$")
CASE_ID = re.compile(r"(?:DktRpt\.pl\?|caseid=)(\d+)")
EVENT_TYPE = re.compile(r"\[(.*?)\]")
BANNER = re.compile(r"\*\*\*(.+?)\*\*\*")


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
    if not is_html or not summary.strip():
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


class PacerRssSpider(DisputeSpider):
    """Reads each court's rss_outside.pl feed; never requests DktRpt or doc1 (paid PACER)."""

    name = "pacer_rss"

    def parse_source(
        self, response: Response, source: SourceSpec, outcome: SourceOutcome
    ) -> Iterable[DocketEvent]:
        """Turn one court feed into merged DocketEvents, or raise SourceError for the feed."""
        root, build_raw = xml_head(response.body, source.id, "lastBuildDate")
        build_date = iso_datetime(build_raw, source.id, "lastBuildDate") if build_raw else ""
        if build_date and build_date == source.last_build_date:
            outcome.status = "unchanged"
            outcome.build_date = build_date
            return []
        parsed = feedparser.parse(response.body)
        if not parsed.version:
            raise SourceError(source.id, "feed", self._not_a_feed(response, root, parsed))
        if parsed.bozo:
            self._bozo(source.id, outcome, parsed)
        outcome.build_date = build_date
        outcome.items_seen = len(parsed.entries)
        # After a fatal XML error feedparser's loose parser leaves '&amp;' in guids and links.
        loose = isinstance(parsed.get("bozo_exception"), SAXParseException)
        return list(self._events(source, parsed.entries, self.now(), loose))

    def _not_a_feed(self, response: Response, root: str, parsed: Any) -> str:
        """Why a body is not RSS: an HTML page (with its title) or an unknown document."""
        head = response.body[:2048].lower()
        if b"<html" in head or b"<!doctype html" in head or "html" in parsed.feed:
            title = page_title(response) or "no title"
            return f"got an HTML page, not an RSS feed ({title}) from {response.url}"
        exc = parsed.get("bozo_exception")
        return f"not an RSS/Atom feed (root {root or 'unknown'!r}; {exc or 'no channel'})"

    def _bozo(self, source: str, outcome: SourceOutcome, parsed: Any) -> None:
        """Log and count feedparser's bozo flag; a feed that is not well-formed fails the source."""
        exc = parsed.get("bozo_exception")
        outcome.bozo += 1
        self.crawler.stats.inc_value(f"ipwatch/bozo/{source}")
        self.logger.warning("%s: feed is malformed (bozo): %r", source, exc)
        if isinstance(exc, SAXParseException):
            where = f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}"
            outcome.error = (
                f"feed is not well-formed XML ({exc.getMessage()} at {where}; truncated?); "
                f"kept the {len(parsed.entries)} items parsed before it"
            )

    def _events(
        self, source: SourceSpec, entries: list[Any], retrieved: str, loose: bool
    ) -> Iterator[DocketEvent]:
        """Group items of one filing (same key) in feed order and build one event per group."""
        groups: dict[str, list[dict[str, Any]]] = {}
        for entry in entries:
            try:
                fields = self._fields(source, entry, loose)
            except SourceError as exc:
                self.skip(source.id, str(exc))
                continue
            except ValueError as exc:  # e.g. lxml refusing control characters in a title
                self.skip(source.id, f"{source.id}: item: unreadable ({exc})")
                continue
            groups.setdefault(fields["id"], []).append(fields)
        for event_id, items in groups.items():
            types = list(dict.fromkeys(i["event_type"] for i in items if i["event_type"]))
            first = items[0]
            yield DocketEvent(
                id=event_id,
                source=source.id,
                forum=first["forum"],
                court=first["court"],
                docket_number=first["docket_number"],
                case_name=first["case_name"],
                event_types=tuple(types),
                published=first["published"],
                link=first["link"],
                doc_number=next((i["doc_number"] for i in items if i["doc_number"]), ""),
                doc_url=next((i["doc_url"] for i in items if i["doc_url"]), ""),
                body=first["banner"],
                source_case_id=first["case_id"],
                retrieved_at=retrieved,
            )

    def _fields(self, source: SourceSpec, entry: Any, loose: bool) -> dict[str, Any]:
        """The fields of one RSS item; SourceError names what is wrong with it."""
        court = source.court or _court_from_link(entry.get("link", ""))
        forum = forum_of(court)
        title_html = entry.get("title_detail", {}).get("type") == "text/html"
        title = split_title(entry.get("title", ""), title_html)
        dn = docket_number(title.token, forum)
        if not dn:
            raise SourceError(
                source.id, "docket_number", f"malformed docket number {title.token!r}"
            )
        summary_html = entry.get("summary_detail", {}).get("type") == "text/html"
        desc = split_description(entry.get("summary", ""), summary_html)
        if not desc.event_type:
            raise SourceError(source.id, "event_type", f"no [event type] in item for {dn}")
        published_raw = entry.get("published", "")
        published = iso_datetime(published_raw, source.id, "pubDate")
        guid, link = entry.get("id", ""), entry.get("link", "")
        if loose:
            guid, link = html.unescape(guid), html.unescape(link)
        case_id = _first(CASE_ID, guid) or _first(CASE_ID, link) or _first(CASE_ID, desc.doc_url)
        filing = GUID_FILING.search(guid)
        if filing:
            key: tuple[str, ...] = filing.groups()
        elif guid and "DktRpt.pl" not in guid:
            key = (stable_hash(guid),)
        else:
            # No per-filing guid: case, title, time and the document part identify the filing;
            # the event type is left out so several items of one filing share one id and merge.
            filing_hash = stable_hash(
                entry.get("title", ""), published_raw, desc.rest, desc.doc_url
            )
            key = (case_id, filing_hash)
        return {
            "id": self.event_id(source.id, *key),
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


def _court_from_link(link: str) -> str:
    match = re.search(r"//ecf\.([a-z0-9]+)\.uscourts\.gov", link)
    return match.group(1) if match else ""
