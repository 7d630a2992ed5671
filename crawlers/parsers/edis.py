"""USITC EDIS: the /data/document web service (XML) and the document-notification RSS feed."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from calendar import timegm
from datetime import UTC, datetime
from urllib.parse import urlencode

import feedparser

from crawlers.items import DocketEvent
from crawlers.parsers import (
    EASTERN,
    ParseError,
    clean_text,
    iso_datetime,
    keep_good,
    not_html,
    stable_id,
)
from crawlers.parsers.itc_notice import itc_case_key, split_names, split_title
from crawlers.parsers.safexml import check_xml, parse_xml

SOURCE = "edis"
DATA = "https://edis.usitc.gov/data"
_FILED = re.compile(
    r"filed\s+on\s+\S+\s+\S+\s+by\s+(?P<filer>.+?)\s+of\s+(?P<firm>.+?)\s+on behalf of\s+"
    r"(?P<client>.+?)</p>",
    re.S,
)
_TITLE = re.compile(r"Document Title:\s*(?P<title>.+?)<br", re.S)
_INV = re.compile(r"Investigation\s+(?P<inv>\d{3}-\d+)")


def document_url(investigation: str, phase: str = "Violation", page: int = 1) -> str:
    """The /data/document URL listing one investigation's documents (EDIS form 337-NNNN)."""
    query = urlencode(
        {"investigationNumber": investigation, "investigationPhase": phase, "pageNumber": page}
    )
    return f"{DATA}/document?{query}"


def _text(node: ET.Element, tag: str, required: bool = False) -> str:
    # EDIS double-escapes apostrophes ("Investigations&amp;#39;"): XML decodes once, we once more.
    value = html.unescape((node.findtext(tag) or "").strip())
    if required and not value:
        raise ParseError(SOURCE, tag, f"missing in document {node.findtext('id') or '?'}")
    return value


def _edis_parties(doc_type: str, filed_by: str, firm: str, on_behalf: str) -> tuple:
    if firm.upper() == "USITC":
        return ()  # Commission staff and judges file for the Commission, not for a party
    # Only a complaint tells us the role: whoever it is filed for is the complainant.
    role = "plaintiff" if doc_type.lower().startswith("complaint") else "other"
    parties = [(role, name, "") for name in split_names(on_behalf)]
    if filed_by:
        parties.append(("other", f"{filed_by} ({firm})" if firm else filed_by, ""))
    return tuple(parties)


def _document_event(node: ET.Element, retrieved_at: str) -> DocketEvent:
    doc_id = _text(node, "id", required=True)
    doc_type = _text(node, "documentType", required=True)
    number = _text(node, "investigationNumber", required=True)
    status = _text(node, "investigationStatus")
    title = _text(node, "documentTitle")
    received = _text(node, "officialReceivedDate") or _text(node, "documentDate", required=True)
    return DocketEvent(
        id=stable_id(SOURCE, doc_id),
        source=SOURCE,
        forum="itc",
        court="",
        docket_number=itc_case_key(number, preinstitution=status.lower() == "preinstitution"),
        case_name=split_title(_text(node, "investigationTitle"))[0],
        event_types=tuple(t for t in (doc_type, title) if t),
        published=iso_datetime(
            received, SOURCE, "officialReceivedDate", fmt="%Y/%m/%d %H:%M:%S", tz=EASTERN
        ),
        link=f"https://edis.usitc.gov/external/search/document/{doc_id}",
        doc_number=doc_id,
        doc_url=_text(node, "attachmentListUri"),
        parties=_edis_parties(
            doc_type,
            _text(node, "filedBy"),
            _text(node, "firmOrganization"),
            _text(node, "onBehalfOf"),
        ),
        retrieved_at=retrieved_at,
        source_case_id=number,
    )


def parse_documents(
    payload: bytes, investigation: str, retrieved_at: str, skipped: list[str] | None = None
) -> list[DocketEvent]:
    """One event per document of `investigation` ('337-1145'); rows of other numbers dropped.

    A document that cannot be read is named in `skipped` (when given) and left out.
    """
    not_html(payload, SOURCE, "/data/document", "XML")
    root = parse_xml(payload, SOURCE, "results")
    docs = root.find("documents")
    if docs is None:
        raise ParseError(SOURCE, "documents", "no <documents> element in the response")
    # EDIS matches investigationNumber as a prefix (337-145 returns 337-1451…): keep exact ones.
    mine = [
        node
        for node in docs.findall("document")
        if (node.findtext("investigationNumber") or "").strip() == investigation
    ]
    return keep_good(
        mine,
        lambda node: [_document_event(node, retrieved_at)],
        lambda node: f"document {(node.findtext('id') or '?').strip()}",
        skipped,
    )


def _feed_entry(entry: feedparser.FeedParserDict, retrieved_at: str) -> DocketEvent:
    content = entry.get("content", [{}])[0].get("value", "")
    inv = _INV.search(content) or _INV.search(entry.get("title", ""))
    if not entry.get("id") or not inv:
        raise ParseError(SOURCE, "item", f"no guid or investigation in {entry.get('title')!r}")
    doc_type = entry.get("category", "")
    title_m = _TITLE.search(content)
    filed = _FILED.search(content)
    parties = ()
    if filed:
        parties = _edis_parties(
            doc_type,
            clean_text(filed["filer"]),
            clean_text(filed["firm"]),
            clean_text(filed["client"]),
        )
    stamp = entry.get("published_parsed")
    if stamp is None:
        raise ParseError(SOURCE, "pubDate", f"missing or unreadable on item {entry['id']}")
    return DocketEvent(
        id=stable_id(SOURCE, entry["id"]),
        source=SOURCE,
        forum="itc",
        court="",
        docket_number=itc_case_key(inv["inv"]),
        case_name="",
        event_types=tuple(
            t for t in (doc_type, clean_text(title_m["title"]) if title_m else "") if t
        ),
        published=datetime.fromtimestamp(timegm(stamp), UTC).isoformat(),
        link=f"https://edis.usitc.gov/external/search/document/{entry['id']}",
        doc_number=entry["id"],
        body=clean_text(content),
        parties=parties,
        retrieved_at=retrieved_at,
    )


def parse_feed(
    payload: bytes, retrieved_at: str, skipped: list[str] | None = None
) -> tuple[list[DocketEvent], str | None]:
    """Events of an EDIS notification RSS feed, plus feedparser's bozo warning (or None).

    An item without guid, investigation or pubDate is named in `skipped` (when given).
    """
    not_html(payload, SOURCE, "rss", "RSS")
    parsed = feedparser.parse(check_xml(payload, SOURCE))
    if not parsed.entries and parsed.bozo:
        raise ParseError(SOURCE, "rss", f"unreadable feed ({parsed.bozo_exception})")
    warning = f"{SOURCE}: feed is malformed ({parsed.bozo_exception})" if parsed.bozo else None
    events = keep_good(
        parsed.entries,
        lambda e: [_feed_entry(e, retrieved_at)],
        lambda e: f"item {e.get('id') or e.get('title') or '?'!r}",
        skipped,
    )
    return events, warning
