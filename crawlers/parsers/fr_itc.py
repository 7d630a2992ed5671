"""Federal Register API: USITC Section 337 notices (search pages, then each notice's text)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from crawlers.items import DocketEvent
from crawlers.parsers import (
    BODY_LIMIT,
    EASTERN,
    ParseError,
    clean_text,
    day_iso,
    keep_good,
    load_json,
    not_html,
    stable_id,
)
from crawlers.parsers.itc_notice import (
    investigation_keys,
    itc_case_key,
    notice_kinds,
    notice_parties,
    split_title,
)
from crawlers.parsers.safexml import parse_xml

SOURCE = "fr_itc"
API = "https://www.federalregister.gov/api/v1/documents.json"
FIELDS = (
    "document_number",
    "title",
    "type",
    "publication_date",
    "html_url",
    "raw_text_url",
    "docket_ids",
)
_REQUIRED = ("document_number", "title", "publication_date", "html_url", "raw_text_url")


@dataclass(frozen=True)
class FrDocument:
    """One Federal Register search result: enough to fetch and file the notice."""

    document_number: str
    title: str
    publication_date: str  # YYYY-MM-DD as the API gives it
    html_url: str
    raw_text_url: str
    docket_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchPage:
    """One page of search results and the URL of the next page (None on the last)."""

    documents: list[FrDocument]
    next_page_url: str | None


def search_url(since: date | None, per_page: int = 100) -> str:
    """The documents.json URL for USITC Section 337 notices, newest first, since a day."""
    params: list[tuple[str, str]] = [
        ("conditions[agencies][]", "international-trade-commission"),
        ("conditions[type][]", "NOTICE"),
        ("conditions[term]", "337"),
        ("order", "newest"),
        ("per_page", str(per_page)),
    ]
    params += [("fields[]", f) for f in FIELDS]
    if since is not None:
        params.append(("conditions[publication_date][gte]", since.isoformat()))
    return f"{API}?{urlencode(params)}"


def _number(raw: object) -> str:
    return str(raw.get("document_number") or "no document_number") if isinstance(raw, dict) else "?"


def _document(raw: object, index: int) -> FrDocument:
    if not isinstance(raw, dict):
        raise ParseError(SOURCE, f"results[{index}]", "is not an object")
    for key in _REQUIRED:
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ParseError(SOURCE, f"results[{index}].{key}", "missing or empty")
    return FrDocument(
        document_number=raw["document_number"],
        title=raw["title"],
        publication_date=raw["publication_date"],
        html_url=raw["html_url"],
        raw_text_url=raw["raw_text_url"],
        docket_ids=tuple(str(d) for d in raw.get("docket_ids") or ()),
    )


def parse_search(payload: bytes, skipped: list[str] | None = None) -> SearchPage:
    """The documents and next page of a documents.json response.

    A result without a required field (raw_text_url, …) is named in `skipped` (when given).
    """
    not_html(payload, SOURCE, "documents.json", "JSON")
    data: Any = load_json(payload, SOURCE, "documents.json")
    if not isinstance(data, dict) or "count" not in data:
        raise ParseError(SOURCE, "documents.json", "not a search envelope (no 'count')")
    # The API leaves "results" out entirely when nothing matched.
    results = data.get("results", [])
    if not isinstance(results, list):
        raise ParseError(SOURCE, "results", "is not a list")
    docs = keep_good(
        list(enumerate(results)),
        lambda pair: [_document(pair[1], pair[0])],
        lambda pair: f"result {pair[0]} ({_number(pair[1])})",
        skipped,
    )
    return SearchPage(documents=docs, next_page_url=data.get("next_page_url") or None)


def _docket(doc_ids: tuple[str, ...], title: str, text: str) -> str:
    for candidate in (*doc_ids, title, text[:3000]):
        try:
            return itc_case_key(candidate)
        except ValueError:
            continue
    raise ParseError(SOURCE, "docket_number", "no 337-TA or DN number in docket ids, title or text")


def _event(doc: FrDocument, text: str, retrieved_at: str) -> DocketEvent:
    scope, action = split_title(doc.title)
    try:
        day = date.fromisoformat(doc.publication_date)
    except ValueError as exc:
        raise ParseError(SOURCE, "publication_date", f"{doc.publication_date!r}") from exc
    return DocketEvent(
        id=stable_id(SOURCE, doc.document_number),
        source=SOURCE,
        forum="itc",
        court="",
        docket_number=_docket(doc.docket_ids, doc.title, text),
        case_name=scope,
        event_types=tuple(dict.fromkeys((action, *notice_kinds(doc.title)))) if action else (),
        published=day_iso(day, EASTERN),
        link=doc.html_url,
        doc_number=doc.document_number,
        body=text[:BODY_LIMIT],
        parties=notice_parties(text),
        retrieved_at=retrieved_at,
    )


def parse_notice(doc: FrDocument, raw_text: str, retrieved_at: str) -> DocketEvent:
    """The DocketEvent for one notice, from its search entry and its raw_text_url body."""
    return parse_notice_events(doc, raw_text, retrieved_at)[0]


def parse_notice_events(doc: FrDocument, raw_text: str, retrieved_at: str) -> list[DocketEvent]:
    """One event per investigation the notice names in its docket ids or title.

    A notice that consolidates 337-TA-1401 and 337-TA-1402 concerns both cases, so it is filed
    under each; the first keeps the notice's own id (so earlier crawls stay idempotent).
    """
    text = clean_text(raw_text) if "<" in raw_text[:500] else " ".join(raw_text.split())
    if not text:
        raise ParseError(SOURCE, "raw_text", f"empty body for {doc.document_number}")
    return _events_of(doc, text, retrieved_at)


def _events_of(doc: FrDocument, text: str, retrieved_at: str) -> list[DocketEvent]:
    first = _event(doc, text, retrieved_at)
    events = [first]
    for key in investigation_keys(*doc.docket_ids, doc.title):
        if key != first.docket_number:
            event_id = stable_id(SOURCE, f"{doc.document_number}:{key}")
            events.append(replace(first, id=event_id, docket_number=key))
    return events


def parse_issue_xml(payload: bytes, retrieved_at: str) -> list[DocketEvent]:
    """Section 337 notices of one daily Federal Register XML issue, through the same parser."""
    root = parse_xml(payload, SOURCE, "FEDREG")
    issued = datetime.strptime(root.findtext("DATE", "").strip(), "%A, %B %d, %Y").date()
    events = []
    for notice in root.iter("NOTICE"):
        agency = notice.findtext("PREAMB/AGENCY", "").strip().upper()
        depdoc = notice.findtext("PREAMB/DEPDOC", "")
        if agency != "INTERNATIONAL TRADE COMMISSION" or "337" not in depdoc:
            continue
        frdoc = re.search(r"FR Doc\.\s*(\S+)", notice.findtext("FRDOC", ""))
        if not frdoc:
            raise ParseError(SOURCE, "FRDOC", f"no document number for {depdoc.strip()}")
        number = frdoc.group(1)
        doc = FrDocument(
            document_number=number,
            title=" ".join(notice.findtext("PREAMB/SUBJECT", "").split()),
            publication_date=issued.isoformat(),
            html_url=f"https://www.federalregister.gov/d/{number}",
            raw_text_url="",
            docket_ids=(depdoc.strip(" []\n"),),
        )
        events += _events_of(doc, " ".join(" ".join(notice.itertext()).split()), retrieved_at)
    return events
