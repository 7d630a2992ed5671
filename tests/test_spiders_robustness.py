"""Hostile or broken payloads fail only their own source, with the cause; stored data stays.

One module-scoped run: crawl 1 serves a good payload for every source, crawl 2 serves each
source's fault. Each test then checks one source of crawl 2.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from crawl_support import LAUGHS, check_recorded_failure, leaked_entities, write_config
from pytest_httpserver import HTTPServer
from spider_support import EXAMPLES, NOTICES, fr_page, source, stored, text_path
from werkzeug import Request, Response

from core.config import load_config
from core.store import open_db
from crawlers.run import SourceResult, crawl
from ipwatch.cli import cli

TESTS = Path(__file__).parent
TIMEOUT = 1
MAX_BYTES = 200_000  # well above every recorded payload; the oversize body is 50 MB
EDIS_DOCS = (EXAMPLES / "edis" / "documents-337-3673-2023.xml").read_bytes()
EDIS_FEED = (EXAMPLES / "edis" / "feed-2022-05-27.xml").read_bytes()
CL_PAGE = (EXAMPLES / "courtlistener" / "recap-search-built.json").read_bytes()
CL_LAST = json.dumps({**json.loads(CL_PAGE), "next": None}).encode()
JUVE = (EXAMPLES / "feeds" / "juve-style.rss.xml").read_bytes()
UPC_PAGE = (EXAMPLES / "upc" / "decisions-page0.html").read_bytes()
LOGIN = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body><form/></body></html>"
XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE results [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    b"<results><documents><document><id>1</id><documentType>XXEPROBE &e;</documentType>"
    b"</document></documents></results>"
)
FEED_XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    b'<rss version="2.0"><channel><title>x</title><item><title>XXEPROBE &e;</title>'
    b"<link>https://news.example.org/x</link></item></channel></rss>"
)
DEEP_JSON = b'{"count": 1, "results": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"  # 100 kB
UPC_REDESIGN = b"<html><head><title>Decisions</title></head><body><p>New site</p></body></html>"
CL_TOKEN_ENV = "IPWATCH_TEST_CL_TOKEN_A"
THROTTLED_ENV = "IPWATCH_TEST_CL_TOKEN_B"
UNSET_ENV = "IPWATCH_TEST_CL_TOKEN_NEVER_SET"


def slow(request: Request) -> Response:
    """An answer that comes after the crawl's timeout."""
    time.sleep(TIMEOUT + 1.5)
    return Response(b"{}", content_type="application/json")


# source id -> (kind, good answer, faulty answer, words last_error must contain)
FAULTS: dict[str, tuple[str, dict[str, Any], dict[str, Any], str]] = {}
_FR_GOOD: dict[str, Any] = {"fr": True}
FAULTS.update(
    {
        "fr_html": ("fr_itc", _FR_GOOD, {"response_data": LOGIN, "content_type": "text/html"},
                    "fr_html: documents.json: got an HTML page where JSON was expected"),
        "fr_http500": ("fr_itc", _FR_GOOD, {"response_data": b"oops", "status": 500},
                       "HTTP 500 from http://127.0.0.1"),
        "fr_timeout": ("fr_itc", _FR_GOOD, {"handler": slow},
                       f"timed out after {TIMEOUT} s (crawl.timeout)"),
        "fr_oversize": ("fr_itc", _FR_GOOD, {"oversize": True},
                        "response too large, download cancelled (crawl.max_response_bytes)"),
        "fr_truncated": ("fr_itc", _FR_GOOD, {"truncate": 700},
                         "fr_truncated: documents.json: not valid JSON"),
        "edis_xxe": ("edis", {"response_data": EDIS_DOCS}, {"response_data": XXE},
                     "edis_xxe: xml: refused hostile XML (EntitiesForbidden)"),
        "edis_laughs": ("edis", {"response_data": EDIS_DOCS}, {"response_data": LAUGHS},
                        "edis_laughs: xml: refused hostile XML (EntitiesForbidden)"),
        "edis_truncated": ("edis", {"response_data": EDIS_DOCS},
                           {"response_data": EDIS_DOCS[:1500]},
                           "edis_truncated: xml: not well-formed XML (unclosed token"),
        "edis_html": ("edis", {"response_data": EDIS_DOCS},
                      {"response_data": LOGIN, "content_type": "text/html"},
                      "edis_html: /data/document: got an HTML page where XML was expected"),
        "edisrss_truncated": ("edis", {"response_data": EDIS_FEED},
                              {"response_data": EDIS_FEED[:3000]},
                              # the cut-off last item is skipped; the damage fails the source
                              "feed is malformed (<unknown>:20:905: unclosed CDATA section); "
                              "kept the 1 items parsed before it"),
        "cl_html": ("courtlistener", {"response_data": CL_LAST},
                    {"response_data": LOGIN, "content_type": "text/html"},
                    "cl_html: search: got an HTML page where JSON was expected"),
        # before: "parser error: RecursionError: maximum recursion depth exceeded", a traceback
        "cl_deep": ("courtlistener", {"response_data": CL_LAST},
                    {"response_data": DEEP_JSON, "content_type": "application/json"},
                    "cl_deep: search: JSON 嵌套过深 nested too deeply"),
        "fr_deep": ("fr_itc", _FR_GOOD,
                    {"response_data": DEEP_JSON, "content_type": "application/json"},
                    "fr_deep: documents.json: JSON 嵌套过深 nested too deeply"),
        "fr_empty": ("fr_itc", _FR_GOOD, {"response_data": b"", "content_type": "application/json"},
                     "fr_empty: documents.json: 空响应 empty response: the server answered "
                     "with no body"),
        "cl_401": ("courtlistener", {"response_data": CL_LAST},
                   {"response_data": b'{"detail": "Invalid token."}', "status": 401},
                   "HTTP 401 from http://127.0.0.1"),
        "feed_xxe": ("feed", {"response_data": JUVE}, {"response_data": FEED_XXE},
                     "feed_xxe: xml: refused hostile XML (EntitiesForbidden)"),
        "feed_laughs": ("feed", {"response_data": JUVE}, {"response_data": LAUGHS},
                        "feed_laughs: xml: refused hostile XML (EntitiesForbidden)"),
        "feed_truncated": ("feed", {"response_data": JUVE}, {"response_data": JUVE[:900]},
                           "feed is malformed"),
        "upc_redesign": ("upc", {"response_data": UPC_PAGE},
                         {"response_data": UPC_REDESIGN, "content_type": "text/html"},
                         "upc_redesign: listing: no decisions table on http://127.0.0.1"),
        "upc_http500": ("upc", {"response_data": UPC_PAGE},
                        {"response_data": b"oops", "status": 500}, "HTTP 500 from"),
    }
)  # fmt: skip


def _source(server: HTTPServer, source_id: str, kind: str) -> Any:
    url = server.url_for(f"/{source_id}/")
    if kind == "edis" and not source_id.startswith("edisrss"):
        return source(source_id, kind, url, options={"investigations": ["337-3673"]})
    if kind == "courtlistener":
        opts = {"per_minute": 100}
        return source(source_id, kind, url, token_env=CL_TOKEN_ENV, options=opts)
    if kind == "upc":
        return source(source_id, kind, url, options={"max_pages": 1})
    return source(source_id, kind, url)


def _answer(server: HTTPServer, source_id: str, answer: dict[str, Any]) -> None:
    handler = server.expect_request(f"/{source_id}/")
    good = fr_page(server.url_for("").rstrip("/"), ["1318"], None)
    if answer.get("fr"):
        handler.respond_with_data(good, content_type="application/json")
    elif "handler" in answer:
        handler.respond_with_handler(answer["handler"])
    elif answer.get("oversize"):
        padding = b" " * 50_000_000  # a 50 MB body: JSON whitespace, refused before it is read
        handler.respond_with_data(good[:-1] + padding + b"}", content_type="application/json")
    elif "truncate" in answer:
        handler.respond_with_data(good[: answer["truncate"]], content_type="application/json")
    else:
        handler.respond_with_data(**{"content_type": "application/xml", **answer})


def _serve(server: HTTPServer, faults: bool) -> None:
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
    for file_name, number, *_ in NOTICES.values():
        server.expect_request(text_path(number)).respond_with_data(
            (EXAMPLES / "fr_itc" / file_name).read_bytes(), content_type="text/plain"
        )
    for source_id, (_, good, bad, _) in FAULTS.items():
        _answer(server, source_id, bad if faults else good)
    server.expect_request("/cl_throttled/").respond_with_data(CL_LAST)


def _health(db_path: Path) -> dict[str, dict]:
    return {row["id"]: row for row in stored(db_path, "sources")}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Crawl 1 (all good), then crawl 2 (faults, and a used-up budget for cl_throttled)."""
    tmp = tmp_path_factory.mktemp("spider_faults")
    cfg = load_config(TESTS / "config.test.yaml").model_copy(
        update={"database": str(tmp / "ipwatch.db")}
    )
    db_path = cfg.path(cfg.database)
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    mp = pytest.MonkeyPatch()
    try:
        sources = [_source(server, sid, kind) for sid, (kind, *_) in FAULTS.items()]
        sources += [
            source("cl_disabled", "courtlistener", server.url_for("/cl_disabled/"),
                   token_env=UNSET_ENV),
            source("cl_throttled", "courtlistener", server.url_for("/cl_throttled/"),
                   token_env=THROTTLED_ENV, options={"per_minute": 5, "per_day": 125}),
        ]  # fmt: skip
        path = write_config(
            cfg, tmp, sources, download_delay=0, retries=0, timeout=TIMEOUT,
            max_response_bytes=MAX_BYTES,
        )  # fmt: skip
        mp.setenv(CL_TOKEN_ENV, "token-a")
        mp.setenv(THROTTLED_ENV, "token-b")
        mp.delenv(UNSET_ENV, raising=False)
        _serve(server, faults=False)
        first = crawl(str(path))
        before, health_before = stored(db_path, "events"), _health(db_path)
        # Another process used this account's 5 requests of the last minute.
        db = open_db(db_path)
        now = time.time()
        db["api_requests"].insert_all(
            [{"budget": f"courtlistener:{THROTTLED_ENV}", "at": now - i} for i in range(5)]
        )
        db.close()
        _serve(server, faults=True)
        server.clear_log()
        second = crawl(str(path))
        yield {
            "first": first,
            "second": second,
            "before": before,
            "after": stored(db_path, "events"),
            "health_before": health_before,
            "health": _health(db_path),
            "log": [req.path for req, _ in server.log],
            "db": db_path,
            "config": path,
        }
    finally:
        mp.undo()
        server.stop()


def test_first_crawl_stored_every_source(runs: dict[str, Any]) -> None:
    """Baseline: every faulty-to-be source was healthy and stored its events in crawl 1."""
    first: dict[str, SourceResult] = runs["first"]
    assert {k: r.status for k, r in first.items() if k in FAULTS} == {k: "ok" for k in FAULTS}
    stored_by = {k: sum(e["source"] == k for e in runs["before"]) for k in FAULTS}
    assert all(stored_by.values()), stored_by


@pytest.mark.parametrize("source_id", list(FAULTS))
def test_fault_is_recorded_and_events_stay_intact(runs: dict[str, Any], source_id: str) -> None:
    """Status failed with the cause in last_error; stored events and last success unchanged."""
    check_recorded_failure(runs, source_id, FAULTS[source_id][3])
    mine = [e for e in runs["before"] if e["source"] == source_id]
    assert [e for e in runs["after"] if e["source"] == source_id] == mine


def test_truncated_feeds_keep_the_entries_read_before_the_damage(runs: dict[str, Any]) -> None:
    """A cut-off news feed names the XML error and keeps the entries read before it."""
    result = runs["second"]["feed_truncated"]
    assert result.error.startswith("feed is malformed (<unknown>:16:6: unclosed token)")
    assert result.error.endswith("kept the 1 entries parsed before it")
    assert (result.items_seen, result.skipped) == (2, 1)


def test_disabled_courtlistener_without_token(runs: dict[str, Any]) -> None:
    """No token: 'disabled' with how to enable it, no request sent, not a failure, not stale."""
    for crawl_no in ("first", "second"):
        result = runs[crawl_no]["cl_disabled"]
        assert result.status == "disabled"
        assert result.error == (
            f"cl_disabled: set {UNSET_ENV} (a CourtListener API token, "
            "https://www.courtlistener.com/help/api/rest/) to enable"
        )
    health = runs["health"]["cl_disabled"]
    assert (health["consecutive_failures"], health["last_success"]) == (0, None)
    assert "/cl_disabled/" not in runs["log"]


def test_throttled_courtlistener_waits_for_its_budget(runs: dict[str, Any]) -> None:
    """5 requests in the last minute by another process: no request now, not a failure."""
    assert runs["first"]["cl_throttled"].status == "ok"
    result = runs["second"]["cl_throttled"]
    assert result.status == "throttled"
    assert result.error.startswith("cl_throttled: request budget used up; next request in ")
    assert "/cl_throttled/" not in runs["log"]
    health, before = runs["health"]["cl_throttled"], runs["health_before"]["cl_throttled"]
    assert (health["consecutive_failures"], health["last_success"]) == (0, before["last_success"])


def test_entities_never_expanded_into_storage(runs: dict[str, Any]) -> None:
    """Neither /etc/passwd nor expanded 'lol' text appears in any stored row."""
    assert leaked_entities(runs["db"]) == []


def test_sources_command_shows_failing_sources(runs: dict[str, Any]) -> None:
    """`ipwatch sources --json` after the run: every faulty source failed, with its error."""
    result = CliRunner().invoke(cli, ["sources", "--json", "--config", str(runs["config"])])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert {k: rows[k]["status"] for k in FAULTS} == {k: "failed" for k in FAULTS}
    assert FAULTS["fr_oversize"][3] in rows["fr_oversize"]["last_error"]
    assert (rows["cl_disabled"]["status"], rows["cl_disabled"]["stale"]) == ("disabled", False)
    assert rows["cl_throttled"]["status"] == "throttled"
