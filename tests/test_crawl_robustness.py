"""A broken source is recorded as failed with its cause; others run, stored events stay intact.

One module-scoped run: crawl 1 serves a good feed for every source, crawl 2 serves each
source's fault. Each test then checks one source of crawl 2.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from crawl_support import (
    LAUGHS,
    PACER_EXAMPLES,
    check_recorded_failure,
    leaked_entities,
    pacer_source,
    write_config,
)
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from core.config import load_config
from core.store import open_db
from crawlers.run import SourceResult, crawl

TESTS = Path(__file__).parent
GOOD = (PACER_EXAMPLES / "txed_2022-12-06_patent_excerpt.xml").read_bytes()
TOMCAT_404 = (PACER_EXAMPLES / "errors" / "txed_tomcat_404.html").read_bytes()
MAX_BYTES = 200_000  # well above the 21 kB excerpt; the oversize body exceeds it
TIMEOUT = 1
XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    b'<rss version="2.0"><channel><title>x</title><item>'
    b"<title>2:22-cv-00001 XXEPROBE v. &e;</title>"
    b"<guid>https://ecf.txed.uscourts.gov/cgi-bin/DktRpt.pl?1&amp;1</guid>"
    b"<pubDate>Tue, 06 Dec 2022 21:00:00 GMT</pubDate><description>[Order]</description>"
    b"</item></channel></rss>"
)
LOGIN_PAGE = b"<html><head><title>CM/ECF - Login</title></head><body><form/></body></html>"
NEW_BUILD = GOOD.replace(b"21:22:52 GMT</lastBuild", b"21:30:00 GMT</lastBuild")
OVERSIZE = GOOD.replace(b"</channel>", b"<!--" + b"x" * (MAX_BYTES + 50_000) + b"--></channel>")


def slow(request: Request) -> Response:
    """A handler that answers after the crawl's timeout."""
    time.sleep(TIMEOUT + 1.5)
    return Response(GOOD, content_type="text/xml")


# source id -> (how the second crawl answers, words last_error must contain)
FAULTS: dict[str, tuple[dict[str, Any], str]] = {
    "pacer_html404_200": (
        {"response_data": TOMCAT_404, "content_type": "text/html"},
        "got an HTML page, not an RSS feed (HTTP Status 404 – Not Found)",
    ),
    "pacer_html404_404": (
        {"response_data": TOMCAT_404, "status": 404, "content_type": "text/html"},
        "HTTP 404 from http://127.0.0.1",
    ),
    "pacer_http500": ({"response_data": b"oops", "status": 500}, "HTTP 500 from http://127.0.0.1"),
    "pacer_timeout": ({"handler": slow}, f"timed out after {TIMEOUT} s (crawl.timeout)"),
    "pacer_truncated": (
        # A new build cut short; with the stored lastBuildDate it would be skipped as unchanged.
        {"response_data": NEW_BUILD[:6000], "content_type": "text/xml"},
        "feed is not well-formed XML (unclosed token at line 98, column 87; truncated?)",
    ),
    "pacer_xxe": ({"response_data": XXE}, "xml: refused hostile XML (EntitiesForbidden)"),
    "pacer_laughs": ({"response_data": LAUGHS}, "xml: refused hostile XML (EntitiesForbidden)"),
    "pacer_oversize": (
        {"response_data": OVERSIZE, "content_type": "text/xml"},
        "response too large, download cancelled (crawl.max_response_bytes)",
    ),
    # Crawl 2 points this source elsewhere through url_overrides: a closed port on 127.0.0.1.
    "pacer_refused": ({"override": "http://127.0.0.1:1/rss_outside.pl"}, "connection refused by"),
    # before: "parser error: AttributeError: object has no attribute 'version'", with a traceback
    "pacer_empty": (
        {"response_data": b"", "content_type": "text/xml"},
        "pacer_empty: feed: 空响应 empty response: the server answered with no body",
    ),
    "pacer_html_page": (
        {"response_data": LOGIN_PAGE, "content_type": "text/html"},
        "got an HTML page, not an RSS feed (CM/ECF - Login)",
    ),
}


def _serve(server: HTTPServer, faults: bool) -> None:
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    server.expect_request("/pacer_ok").respond_with_data(
        NEW_BUILD if faults else GOOD,
        content_type="text/xml",
    )
    for source_id, (answer, _) in FAULTS.items():
        handler = server.expect_request(f"/{source_id}")
        if not faults:
            handler.respond_with_data(GOOD, content_type="text/xml")
        elif "override" in answer:
            continue
        elif "handler" in answer:
            handler.respond_with_handler(answer["handler"])
        else:
            handler.respond_with_data(**answer)


def _rows(db_path: Path, table: str) -> dict[str, dict]:
    db = open_db(db_path)
    try:
        return {row["id"]: row for row in db.query(f"select * from {table}")}
    finally:
        db.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Crawl 1 (all good), then crawl 2 (faults); events and health before and after."""
    tmp = tmp_path_factory.mktemp("robust")
    base = load_config(TESTS / "config.test.yaml")
    cfg = base.model_copy(update={"database": str(tmp / "ipwatch.db")})
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        ids = ["pacer_ok", *FAULTS]
        sources = [pacer_source(i, server.url_for(f"/{i}"), "txed") for i in ids]
        path = write_config(
            cfg,
            tmp,
            sources,
            download_delay=0,
            retries=0,
            timeout=TIMEOUT,
            max_response_bytes=MAX_BYTES,
        )
        _serve(server, faults=False)
        first = crawl(str(path))
        before = _rows(cfg.path(cfg.database), "events")
        health_before = _rows(cfg.path(cfg.database), "sources")
        _serve(server, faults=True)
        overrides = {k: a["override"] for k, (a, _) in FAULTS.items() if "override" in a}
        second = crawl(str(path), url_overrides=overrides)
        yield {
            "first": first,
            "second": second,
            "before": before,
            "after": _rows(cfg.path(cfg.database), "events"),
            "health_before": health_before,
            "health": _rows(cfg.path(cfg.database), "sources"),
            "db": cfg.path(cfg.database),
        }
    finally:
        server.stop()


def test_first_crawl_stored_every_source(runs: dict[str, Any]) -> None:
    """Baseline: every source stored the 39 merged events of the txed excerpt."""
    first: dict[str, SourceResult] = runs["first"]
    assert {r.status for r in first.values()} == {"ok"}
    assert {r.new_items for r in first.values()} == {39}
    assert len(runs["before"]) == 39 * len(first)


def test_healthy_source_in_the_same_run_succeeds(runs: dict[str, Any]) -> None:
    """The good source crawls fine in the run where all the others fail."""
    ok = runs["second"]["pacer_ok"]
    assert (ok.status, ok.items_seen, ok.new_items, ok.error) == ("ok", 41, 0, "")
    assert runs["health"]["pacer_ok"]["last_build_date"] == "2022-12-06T21:30:00+00:00"


@pytest.mark.parametrize("source_id", list(FAULTS))
def test_fault_is_recorded_and_events_stay_intact(runs: dict[str, Any], source_id: str) -> None:
    """Status failed with the cause in last_error; stored events and last success unchanged."""
    health, before = check_recorded_failure(runs, source_id, FAULTS[source_id][1])
    assert health["last_build_date"] == before["last_build_date"] == "2022-12-06T21:22:52+00:00"
    mine = {k: v for k, v in runs["before"].items() if v["source"] == source_id}
    assert len(mine) == 39
    assert {k: v for k, v in runs["after"].items() if v["source"] == source_id} == mine


def test_entities_never_expanded_into_storage(runs: dict[str, Any]) -> None:
    """Neither /etc/passwd nor expanded 'lol' text appears in any stored row."""
    assert leaked_entities(runs["db"]) == []
