"""Every new spider crawls its real recorded payloads from 127.0.0.1 in a crawl subprocess.

One module-scoped run crawls all sources twice; the first crawl's stored events are compared
with reviewed expected files (missing file fails; UPDATE_EXPECTED=1 rewrites them).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from crawl_support import check_expected, write_config
from pytest_httpserver import HTTPServer
from spider_support import (
    EXAMPLES,
    TOKEN,
    TOKEN_ENV,
    edis_query,
    event_json,
    serve_fr,
    source,
    stored,
)

from core.config import load_config
from crawlers.run import SourceResult, crawl

TESTS = Path(__file__).parent
UA = "ipwatch-test/0.1 (test@example.org)"
CL_PAGE1 = (EXAMPLES / "courtlistener" / "recap-search-built.json").read_text(encoding="utf-8")
CL_NEXT = {"cursor": "cz0yMDI1LTA1LTMw", "type": "r", "nature_of_suit": "830"}
UPC_PAGE = (EXAMPLES / "upc" / "decisions-page0.html").read_bytes()
EDIS_FILES = {
    "337-3673": "documents-337-3673-2023.xml",
    "337-1145": "documents-337-1145-violation.xml",
    "337-145": "documents-337-145-prefix.xml",
}
# source id -> (examples folder, expected (status, items_seen, new_items, skipped) of crawl 1)
EXPECTED: dict[str, tuple[str, tuple[str, int, int, int]]] = {
    "fr_itc": ("fr_itc", ("ok", 3, 3, 0)),
    "edis": ("edis", ("ok", 9, 9, 0)),  # 337-145 asked: its 337-1451/3/4 rows are dropped
    "edis_rss": ("edis", ("ok", 4, 4, 0)),
    "courtlistener": ("courtlistener", ("ok", 1, 1, 0)),
    "news_juve": ("feeds", ("ok", 3, 2, 1)),
    "news_ipwatchdog": ("feeds", ("ok", 1, 1, 0)),
    "upc": ("upc", ("ok", 8, 4, 0)),  # page ?page=1 repeats page 0: same ids, merged
}


def _serve(server: HTTPServer) -> None:
    base = server.url_for("").rstrip("/")
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    serve_fr(server, "/fr/api/v1", [["1420", "3673"], ["1318"]])
    for inv, name in EDIS_FILES.items():
        server.expect_request(
            "/edis/data/document", query_string=edis_query(inv)
        ).respond_with_data((EXAMPLES / "edis" / name).read_bytes(), content_type="application/xml")
    server.expect_request("/edis/rss.xml").respond_with_data(
        (EXAMPLES / "edis" / "feed-2022-05-27.xml").read_bytes(), content_type="application/xml"
    )
    # Page 2 is the last page: the recorded envelope with no further results and no cursor.
    last = {**json.loads(CL_PAGE1), "next": None, "results": []}
    auth = {"Authorization": f"Token {TOKEN}"}
    cl = "/api/rest/v4/search/"
    server.expect_request(cl, query_string=CL_NEXT, headers=auth).respond_with_json(last)
    server.expect_request(cl, headers=auth).respond_with_data(
        CL_PAGE1.replace("https://www.courtlistener.com", base), content_type="application/json"
    )
    for name, path in (
        ("juve-style.rss.xml", "/juve/feed/"),
        ("ipwatchdog-style.atom.xml", "/ipw/"),
    ):
        server.expect_request(path).respond_with_data(
            (EXAMPLES / "feeds" / name).read_bytes(), content_type="application/rss+xml"
        )
    # The recording is the listing's first page only; its pager says more pages follow, so
    # the same recorded page answers ?page=1 (max_pages 2 stops the spider there).
    upc = "/upc/en/decisions-and-orders"
    server.expect_request(upc, query_string={"page": "1"}).respond_with_data(
        UPC_PAGE, content_type="text/html; charset=utf-8"
    )
    server.expect_request(upc, query_string="").respond_with_data(
        UPC_PAGE, content_type="text/html; charset=utf-8"
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Crawl every new source twice from the local server; results, rows and the request log."""
    tmp = tmp_path_factory.mktemp("spiders")
    cfg = load_config(TESTS / "config.test.yaml").model_copy(
        update={"database": str(tmp / "ipwatch.db")}
    )
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    mp = pytest.MonkeyPatch()
    try:
        url = server.url_for
        sources = [
            source("fr_itc", "fr_itc", url("/fr/api/v1/documents.json"), options={"max_pages": 3}),
            source(
                "edis",
                "edis",
                url("/edis/data/document"),
                options={"investigations": list(EDIS_FILES)},
            ),
            source("edis_rss", "edis", url("/edis/rss.xml")),
            source(
                "courtlistener",
                "courtlistener",
                url("/api/rest/v4/search/"),
                token_env=TOKEN_ENV,
                options={"courts": ["txed"], "per_minute": 100},
            ),
            source("news_juve", "feed", url("/juve/feed/")),
            source("news_ipwatchdog", "feed", url("/ipw/")),
            source("upc", "upc", url("/upc/en/decisions-and-orders"), options={"max_pages": 2}),
        ]
        path = write_config(cfg, tmp, sources, download_delay=0, retries=0, timeout=5)
        _serve(server)
        mp.setenv(TOKEN_ENV, TOKEN)
        first = crawl(str(path))
        first_log = [req for req, _ in server.log]
        events = stored(cfg.path(cfg.database), "events")
        server.clear_log()
        second = crawl(str(path))
        yield {
            "first": first,
            "second": second,
            "events": events,
            "after": stored(cfg.path(cfg.database), "events"),
            "first_log": first_log,
            "second_log": [req for req, _ in server.log],
            "base": url("").rstrip("/"),
        }
    finally:
        mp.undo()
        server.stop()


@pytest.mark.parametrize("source_id", list(EXPECTED))
def test_crawl_matches_expected_file(runs: dict[str, Any], source_id: str) -> None:
    """Health counts of crawl 1 and every stored event, compared with the reviewed file."""
    result: SourceResult = runs["first"][source_id]
    folder, counts = EXPECTED[source_id]
    assert (result.status, result.items_seen, result.new_items, result.skipped) == counts, (
        result.error
    )
    mine = [event_json(e, runs["base"]) for e in runs["events"] if e["source"] == source_id]
    assert len(mine) == counts[2]
    check_expected(mine, EXAMPLES / folder / f"crawl-{source_id}.expected.json")


def test_recrawl_adds_nothing_and_skips_known_notice_texts(runs: dict[str, Any]) -> None:
    """Crawl 2 stores no new event, and fetches no notice text it already has."""
    assert {k: (r.status, r.new_items) for k, r in runs["second"].items()} == {
        k: ("ok", 0) for k in EXPECTED
    }
    assert runs["after"] == runs["events"]
    texts = [r.path for r in runs["second_log"] if "/full_text/" in r.path]
    assert texts == []
    first_texts = sorted(r.path for r in runs["first_log"] if "/full_text/" in r.path)
    assert first_texts == [
        "/fr/documents/full_text/text/2022-12049.txt",
        "/fr/documents/full_text/text/2023-07500.txt",
        "/fr/documents/full_text/text/2024-21000.txt",
    ]
    # Newest first: page 1 held nothing new, so crawl 2 never asked for page 2.
    pages = [r.query_string.decode() for r in runs["second_log"] if r.path.endswith(".json")]
    assert pages == [""]


def test_fr_notice_respondents_and_scope(runs: dict[str, Any]) -> None:
    """337-TA-1318: product scope title, Huizhou respondents with their places, complainants."""
    event = next(e for e in runs["events"] if e["id"] == "fr_itc:2022-12049")
    assert event["docket_number"] == "337-TA-1318"
    assert event["case_name"] == (
        "Certain Graphics Systems, Components Thereof, and Digital Televisions Containing the Same"
    )
    parties = json.loads(event["parties"])
    assert ["defendant", "TCL King Electrical Appliances (Huizhou) Co. Ltd.",
            "Huizhou, Guangdong, China"] in parties  # fmt: skip
    assert ["plaintiff", "Advanced Micro Devices, Inc.", "Santa Clara, CA"] in parties
    receipt = next(e for e in runs["events"] if e["id"] == "fr_itc:2023-07500")
    assert (receipt["docket_number"], json.loads(receipt["event_types"])[-1]) == (
        "DN-3673",
        "Receipt of Complaint",
    )


def test_courtlistener_sent_token_and_followed_cursor(runs: dict[str, Any]) -> None:
    """The token goes in the Authorization header; the cursor page is fetched, then no more."""
    asked = [r for r in runs["first_log"] if r.path == "/api/rest/v4/search/"]
    assert [r.headers.get("Authorization") for r in asked] == [f"Token {TOKEN}"] * 2
    first = dict(asked[0].args)
    assert (first["type"], first["court"], first["order_by"]) == ("r", "txed", "dateFiled desc")
    assert first["nature_of_suit"] == "820 OR 830 OR 835 OR 840"
    assert dict(asked[1].args)["cursor"] == "cz0yMDI1LTA1LTMw"
    event = next(e for e in runs["events"] if e["source"] == "courtlistener")
    assert json.loads(event["parties"]) == [
        ["plaintiff", "Maxell Ltd", ""],
        ["defendant", "TCL Electronics Holdings Ltd", ""],
        ["other", "TTE Technology, Inc.", ""],
    ]


def test_polite_requests(runs: dict[str, Any]) -> None:
    """Every request carries the configured User-Agent, and robots.txt was read first."""
    log = runs["first_log"]
    assert {r.headers.get("User-Agent") for r in log} == {UA}
    assert log[0].path == "/robots.txt"


def test_news_and_upc_events(runs: dict[str, Any]) -> None:
    """News entries are 'News' events with the story as body; UPC parties come from 'A v. B'."""
    news = [e for e in runs["events"] if e["source"] == "news_juve"]
    assert {json.loads(e["event_types"])[0] for e in news} == {"News"}
    assert any("EVE Energy" in e["body"] for e in news)
    upc = [e for e in runs["events"] if e["source"] == "upc"]
    align = next(e for e in upc if e["docket_number"] == "UPC_CFI_1747/2025")
    assert json.loads(align["parties"]) == [
        ["plaintiff", "Align Technology, Inc.", ""],
        ["defendant", "Angelalign France Technology SASU", ""],
    ]
    upc_pages = [r.query_string.decode() for r in runs["first_log"] if r.path.startswith("/upc")]
    assert upc_pages == ["", "page=1"]
