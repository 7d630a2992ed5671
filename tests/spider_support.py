"""Helpers for the spider tests: serve recorded payloads from 127.0.0.1, read what was stored.

The Federal Register search pages are built from the real `search-envelope.json`: its envelope
keys are kept, every `https://www.federalregister.gov` in it becomes the local server, and its
results are the real first result with only the identifying fields (number, title, dates, URLs,
docket ids) set to the fact-based notices under tests/examples/fr_itc/. The real results are
non-ITC documents whose texts were never recorded, so they cannot be served as notices.
"""

from __future__ import annotations

import json
from copy import deepcopy
from pathlib import Path
from typing import Any

from crawl_support import event_record
from pytest_httpserver import HTTPServer

from core.config import Source
from core.store import open_db
from crawlers.items import DocketEvent

EXAMPLES = Path(__file__).parent / "examples"
FR = EXAMPLES / "fr_itc"
FR_SITE = "https://www.federalregister.gov"
TITLE_1318 = (
    "Certain Graphics Systems, Components Thereof, and Digital Televisions Containing the Same; "
    "Institution of Investigation"
)
TITLE_1420 = "Certain Smart Televisions; Institution of Investigation"
TOKEN_ENV = "IPWATCH_TEST_COURTLISTENER_TOKEN"
TOKEN = "test-token-1"


def dn3673_title() -> str:
    """The receipt notice's title: the second line of its text."""
    return (FR / "notice-DN-3673-receipt.txt").read_text(encoding="utf-8").splitlines()[1]


# (text file, document number, publication date, title, docket ids)
NOTICES: dict[str, tuple[str, str, str, Any, list[str]]] = {
    "1420": ("notice-337-TA-1420-institution.txt", "2024-21000", "2024-09-27", TITLE_1420, []),
    "3673": ("notice-DN-3673-receipt.txt", "2023-07500", "2023-04-07", dn3673_title, []),
    "1318": (
        "notice-337-TA-1318-institution.txt",
        "2022-12049",
        "2022-06-07",
        TITLE_1318,
        ["337-TA-1318"],
    ),
}


def text_path(number: str) -> str:
    """Where the local server serves a notice's raw text, in the Federal Register's own shape."""
    return f"/fr/documents/full_text/text/{number}.txt"


def fr_result(key: str, base: str) -> dict[str, Any]:
    """The real first search result with its identity set to one fact-based notice."""
    real = json.loads((FR / "search-envelope.json").read_text(encoding="utf-8"))
    _, number, day, title, dockets = NOTICES[key]
    result = deepcopy(real["results"][0])
    result.update(
        document_number=number,
        publication_date=day,
        title=title() if callable(title) else title,
        type="Notice",
        docket_ids=dockets,
        html_url=f"{base}/fr/d/{number}",
        raw_text_url=f"{base}{text_path(number)}",
    )
    return result


def fr_page(base: str, keys: list[str], next_path: str | None) -> bytes:
    """A documents.json page: the real envelope, hosts made local, the given notices."""
    text = (FR / "search-envelope.json").read_text(encoding="utf-8")
    envelope = json.loads(text.replace(FR_SITE, f"{base}/fr"))
    envelope["results"] = [fr_result(k, base) for k in keys]
    envelope["count"] = len(keys)
    envelope["next_page_url"] = f"{base}{next_path}" if next_path else None
    return json.dumps(envelope).encode("utf-8")


def serve_fr(server: HTTPServer, prefix: str, pages: list[list[str]]) -> None:
    """Serve search pages at <prefix>/documents.json (page N as ?page=N) and every notice text."""
    base = server.url_for("").rstrip("/")
    for index, keys in enumerate(pages, start=1):
        more = index < len(pages)
        body = fr_page(base, keys, f"{prefix}/documents.json?page={index + 1}" if more else None)
        query: str | dict[str, str] = "" if index == 1 else {"page": str(index)}
        server.expect_request(f"{prefix}/documents.json", query_string=query).respond_with_data(
            body, content_type="application/json"
        )
    for file_name, number, *_ in NOTICES.values():
        server.expect_request(text_path(number)).respond_with_data(
            (FR / file_name).read_bytes(), content_type="text/plain; charset=utf-8"
        )


def edis_query(investigation: str) -> dict[str, str]:
    """The query the EDIS spider sends for one investigation's documents."""
    return {
        "investigationNumber": investigation,
        "investigationPhase": "Violation",
        "pageNumber": "1",
    }


def source(source_id: str, kind: str, url: str, **extra: Any) -> Source:
    """A configured source pointing at the local server."""
    return Source(id=source_id, kind=kind, url=url, **extra)


def stored(db_path: Path, table: str, where: str = "1", params: list[Any] | None = None) -> list:
    """Rows of one table, by id."""
    db = open_db(db_path)
    try:
        return list(db.query(f"select * from {table} where {where} order by id", params or []))
    finally:
        db.close()


def event_json(row: dict[str, Any], base: str) -> dict[str, Any]:
    """A stored event row as reviewed JSON: no volatile times, the server's port scrubbed."""
    fields = {k: row[k] for k in DocketEvent.__dataclass_fields__ if k in row}
    fields["event_types"] = tuple(json.loads(fields["event_types"]))
    fields["parties"] = tuple(tuple(p) for p in json.loads(fields["parties"]))
    record = event_record(DocketEvent(**fields))
    if record["forum"] == "upc":
        record.pop("published")  # the listing has no date: the spider stamps retrieval time
    text = json.dumps(record, ensure_ascii=False).replace(base, "http://LOCAL")
    return json.loads(text)
