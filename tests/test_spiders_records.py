"""One broken record costs only itself: the real payloads of each source, one record edited to
break, served from 127.0.0.1 and crawled by scrapy. The good records are stored, the broken one
is counted as skipped and named in the source's health row, and the source stays ok.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from crawl_support import write_config
from pytest_httpserver import HTTPServer
from spider_support import EXAMPLES, FR, NOTICES, fr_page, source, stored, text_path

from core.config import load_config
from crawlers.run import SourceResult, crawl

TESTS = Path(__file__).parent
CL_PATH = "/api/rest/v4/search/"
EDIS_DOCS = (EXAMPLES / "edis" / "documents-337-1145-violation.xml").read_text(encoding="utf-8")
EDIS_FEED = (EXAMPLES / "edis" / "feed-2022-05-27.xml").read_text(encoding="utf-8")
UPC_PAGE = (EXAMPLES / "upc" / "decisions-page0.html").read_text(encoding="utf-8")


def _edis_documents() -> str:
    """Document 714228 without documentType; 714161 with an ISO date instead of EDIS's own."""
    text = EDIS_DOCS.replace("<documentType>Motion Response/Reply</documentType>", "", 1)
    at = text.index("<id>714161</id>")
    head, tail = text[:at], text[at:]
    tail = re.sub(
        r"<officialReceivedDate>[^<]*</officialReceivedDate>",
        "<officialReceivedDate>2020-07-09T10:00:00</officialReceivedDate>",
        tail,
        count=1,
    )
    return head + tail


def _edis_feed() -> str:
    """Item 770964 without its guid, item 770981 without its pubDate."""
    text = EDIS_FEED.replace("<guid>770964</guid>", "", 1)
    at = text.index("<guid>770981</guid>")
    item = text.rindex("<item>", 0, at)
    end = text.index("</item>", at)
    body = re.sub(r"<pubDate>[^<]*</pubDate>", "", text[item:end], count=1)
    return text[:item] + body + text[end:]


def _courtlistener() -> str:
    """The recorded hit, and a second docket whose dateFiled is null."""
    page = json.loads((EXAMPLES / "courtlistener" / "recap-search-built.json").read_text("utf-8"))
    bad = {**page["results"][0], "docket_id": 1000002, "dateFiled": None}
    page["results"].append(bad)
    page["next"] = None
    return json.dumps(page)


def _upc() -> str:
    """The CFI-478-2025 decision's <a> without its href."""
    old = '<a href="/sites/default/files/files/api_order/CFI-478-2025-decision.pdf">'
    assert old in UPC_PAGE
    return UPC_PAGE.replace(old, "<a>", 1)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, SourceResult], Path]:
    """One crawl of every source kind with a broken record; results and the database path."""
    folder = tmp_path_factory.mktemp("records")
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    base = server.url_for("").rstrip("/")
    server.expect_request("/robots.txt").respond_with_data("")
    server.expect_request("/edis/document").respond_with_data(
        _edis_documents(), content_type="text/xml"
    )
    server.expect_request("/edis/feed").respond_with_data(_edis_feed(), content_type="text/xml")
    server.expect_request(CL_PATH).respond_with_data(
        _courtlistener(), content_type="application/json"
    )
    page = json.loads(fr_page(base, ["1420", "1318"], None))
    del page["results"][1]["raw_text_url"]
    server.expect_request("/fr/api/v1/documents.json").respond_with_json(page)
    for name, number, *_ in NOTICES.values():
        server.expect_request(text_path(number)).respond_with_data(
            (FR / name).read_bytes(), content_type="text/plain; charset=utf-8"
        )
    server.expect_request("/upc/decisions").respond_with_data(_upc(), content_type="text/html")
    cfg = load_config(TESTS / "config.test.yaml").model_copy(
        update={"database": str(folder / "ipwatch.db")}
    )
    sources = [
        source("edis", "edis", f"{base}/edis/document", options={"investigations": ["337-1145"]}),
        source("edis_rss", "edis", f"{base}/edis/feed"),
        source("courtlistener", "courtlistener", f"{base}{CL_PATH}", options={"per_minute": 100}),
        source("fr_itc", "fr_itc", f"{base}/fr/api/v1/documents.json"),
        source("upc", "upc", f"{base}/upc/decisions", options={"max_pages": 1}),
    ]
    path = write_config(cfg, folder, sources, download_delay=0, retries=0, timeout=5)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IPWATCH_COURTLISTENER_TOKEN", "cl-token")
        try:
            results = crawl(str(path))
        finally:
            server.stop()
    return results, cfg.path(cfg.database)


def _health(db: Path, source_id: str) -> dict:
    (row,) = stored(db, "sources", "id = ?", [source_id])
    return row


def _events(db: Path, source_id: str) -> list[str]:
    return [e["id"] for e in stored(db, "events", "source = ?", [source_id])]


@pytest.mark.parametrize(
    ("source_id", "skipped", "first", "kept"),
    [
        (
            "edis",
            2,
            "document 714228: edis: documentType: missing in document 714228",
            4,
        ),
        (
            "edis_rss",
            2,
            "item 'Document Approved : 337-1281 Violation : Doc ID 770964, Pre-Hearing Statement':"
            " edis: item: no guid or investigation in",
            2,
        ),
        (
            "courtlistener",
            1,
            "hit 1 (docket 1000002): courtlistener: results[1].dateFiled: missing or empty",
            None,
        ),
        (
            "fr_itc",
            1,
            "result 1 (2022-12049): fr_itc: results[1].raw_text_url: missing or empty",
            1,
        ),
        (
            "upc",
            1,
            "row 'UPC-CFI-478/2025UPC-CFI-478/2025 Full Details The Hague (NL)': upc: document"
            " link: <a> without href in row UPC_CFI_478/2025",
            3,
        ),
    ],
)
def test_one_bad_record_is_skipped_and_named(
    crawled: tuple[dict[str, SourceResult], Path],
    source_id: str,
    skipped: int,
    first: str,
    kept: int | None,
) -> None:
    """Before: the whole page or feed failed; now the source is ok and names what it left out."""
    results, db = crawled
    result = results[source_id]
    assert (result.status, result.skipped) == ("ok", skipped), result
    health = _health(db, source_id)
    assert health["status"] == "ok" and health["consecutive_failures"] == 0
    assert health["last_error"].startswith(f"skipped {skipped} record(s), first: {first}")
    events = _events(db, source_id)
    assert events and (kept is None or len(events) == kept), events


def test_the_skipped_records_are_the_broken_ones(
    crawled: tuple[dict[str, SourceResult], Path],
) -> None:
    """Exactly the edited records are missing; every other record of each payload is stored."""
    _, db = crawled
    assert "edis:714228" not in _events(db, "edis") and "edis:714161" not in _events(db, "edis")
    assert _events(db, "fr_itc") == ["fr_itc:2024-21000"]
    assert not any("CFI-478-2025" in e for e in _events(db, "upc"))
    assert _events(db, "edis_rss") == ["edis_rss:770876", "edis_rss:770984"]  # 770981: no date
