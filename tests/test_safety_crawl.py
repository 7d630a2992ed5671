"""Findings 1–3 of issue 11 on real local servers: no fetch leaves its source, no token leaves
its origin, no link that is not http(s) is kept.

Each test crawls in the real crawl subprocess with a secret SMTP password and CourtListener
token in its environment, then reads every byte the crawl wrote (database, WAL, log) to prove
neither secret was stored anywhere.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from crawl_support import write_config
from pytest_httpserver import HTTPServer
from spider_support import EXAMPLES, FR, NOTICES, fr_page, source, stored, text_path

from core.config import load_config
from core.urls import is_loopback
from crawlers.allow import allowed_domains, url_problem
from crawlers.run import crawl

TESTS = Path(__file__).parent
SMTP_SECRET = "smtp-pass-5f1c9e"  # noqa: S105 - a test value that must never be stored
TOKEN_SECRET = "cl-token-83b2d7"  # noqa: S105
TOKEN_ENV = "IPWATCH_COURTLISTENER_TOKEN"
CL_PAGE = (EXAMPLES / "courtlistener" / "recap-search-built.json").read_text(encoding="utf-8")
CL_PATH = "/api/rest/v4/search/"


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The secrets an installed ipwatch has in its environment (the crawl subprocess inherits)."""
    monkeypatch.setenv("IPWATCH_SMTP_PASSWORD", SMTP_SECRET)
    monkeypatch.setenv(TOKEN_ENV, TOKEN_SECRET)
    yield


@pytest.fixture
def recorder() -> Iterator[HTTPServer]:
    """A second local server on another port: it answers everything and keeps each request."""
    server = HTTPServer(host="localhost", port=0)  # same host as httpserver, another port
    server.expect_request("/robots.txt").respond_with_data("")
    server.expect_request("/steal").respond_with_data("{}", content_type="application/json")
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _crawl(tmp_path: Path, sources: list) -> tuple[dict, Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    cfg = load_config(TESTS / "config.test.yaml").model_copy(
        update={"database": str(tmp_path / "ipwatch.db")}
    )
    path = write_config(cfg, tmp_path, sources, download_delay=0, retries=0, timeout=5)
    return crawl(str(path)), cfg.path(cfg.database)


def _assert_no_secret(folder: Path) -> None:
    """No file the program wrote holds either secret (database, its WAL, the log, configs)."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert any(p.name == "ipwatch.db" for p in files)
    for path in files:
        data = path.read_bytes()
        assert SMTP_SECRET.encode() not in data, path
        assert TOKEN_SECRET.encode() not in data, path


def test_federal_register_payload_urls_are_refused(
    tmp_path: Path, httpserver: HTTPServer, secrets: None
) -> None:
    """raw_text_url file:///proc/self/environ and off-host URLs are not fetched; source failed."""
    base = httpserver.url_for("").rstrip("/")
    page = json.loads(fr_page(base, ["1420"], None))
    hostile = {
        "2099-00001": "file:///proc/self/environ",
        "2099-00002": "https://evil.example.net/steal.txt",
        "2099-00003": "http://169.254.169.254/latest/meta-data/",
    }
    for number, url in hostile.items():
        page["results"].append(
            {**page["results"][0], "document_number": number, "raw_text_url": url}
        )
    httpserver.expect_request("/robots.txt").respond_with_data("")
    httpserver.expect_request("/fr/api/v1/documents.json").respond_with_json(page)
    name, number, *_ = NOTICES["1420"]
    httpserver.expect_request(text_path(number)).respond_with_data(
        (FR / name).read_bytes(), content_type="text/plain; charset=utf-8"
    )
    results, db_path = _crawl(
        tmp_path, [source("fr_itc", "fr_itc", f"{base}/fr/api/v1/documents.json")]
    )

    result = results["fr_itc"]
    assert result.status == "failed"  # before: "ok" with only file: URLs
    assert result.error == (
        "refused 3 request(s): scheme 'file' is not allowed (https only): file:///proc/self/environ"
    )
    (row,) = stored(db_path, "sources")
    assert row["refused"] == 3 and row["consecutive_failures"] == 1
    # The one notice on the source's own host was fetched and stored; nothing else was.
    assert [e["id"] for e in stored(db_path, "events")] == ["fr_itc:2024-21000"]
    assert [r.path for r, _ in httpserver.log] == [
        "/robots.txt",
        "/fr/api/v1/documents.json",
        text_path(number),
    ]
    _assert_no_secret(tmp_path)


def test_courtlistener_next_on_another_port_gets_no_token(
    tmp_path: Path, httpserver: HTTPServer, recorder: HTTPServer, secrets: None
) -> None:
    """A `next` cursor URL on a second local port is refused: the recorder sees no token."""
    evil_next = recorder.url_for("/steal") + "?cursor=abc"
    body = {**json.loads(CL_PAGE), "next": evil_next}
    httpserver.expect_request("/robots.txt").respond_with_data("")
    httpserver.expect_request(CL_PATH).respond_with_json(body)
    spec = source(
        "courtlistener",
        "courtlistener",
        httpserver.url_for(CL_PATH),
        options={"courts": ["txed"], "per_minute": 100},
    )
    results, db_path = _crawl(tmp_path, [spec])

    asked = [r for r, _ in httpserver.log if r.path == CL_PATH]
    assert [r.headers.get("Authorization") for r in asked] == [f"Token {TOKEN_SECRET}"]
    assert [r.headers.get("Authorization") for r, _ in recorder.log] == []
    result = results["courtlistener"]
    assert result.status == "failed"
    assert result.error == f"refused 1 request(s): next page off the API's origin: {evil_next}"
    assert len(stored(db_path, "events")) == 1  # the first page's case is still stored
    _assert_no_secret(tmp_path)


def test_redirect_to_another_origin_drops_token_and_off_host_redirect_is_refused(
    tmp_path: Path, httpserver: HTTPServer, recorder: HTTPServer, secrets: None
) -> None:
    """A redirect to another port arrives without the token; one to another host is not sent."""
    httpserver.expect_request("/robots.txt").respond_with_data("")
    httpserver.expect_request(CL_PATH).respond_with_data(
        "", status=302, headers={"Location": recorder.url_for("/steal")}
    )
    httpserver.expect_request("/feed/").respond_with_data(
        "", status=301, headers={"Location": "https://evil.example.net/feed/"}
    )
    specs = [
        source("courtlistener", "courtlistener", httpserver.url_for(CL_PATH)),
        source("news", "feed", httpserver.url_for("/feed/")),
    ]
    results, _ = _crawl(tmp_path, specs)

    steals = [r for r, _ in recorder.log if r.path == "/steal"]
    assert len(steals) == 1 and steals[0].headers.get("Authorization") is None
    assert results["news"].status == "failed"
    assert results["news"].error == (
        "refused 1 request(s): host evil.example.net is not one of the source's hosts "
        "(localhost): https://evil.example.net/feed/"
    )
    _assert_no_secret(tmp_path)


def test_feed_javascript_link_is_dropped_and_recorded(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    """A feed <link>javascript:…</link> is not stored as a link; the source names it, failed."""
    feed = (EXAMPLES / "feeds" / "juve-style.rss.xml").read_text(encoding="utf-8")
    first_link = feed.split("<link>")[2].split("</link>")[0]  # [1] is the channel's own link
    hostile = feed.replace(f"<link>{first_link}</link>", "<link>javascript:alert(1)</link>", 1)
    httpserver.expect_request("/robots.txt").respond_with_data("")
    httpserver.expect_request("/feed/").respond_with_data(
        hostile, content_type="application/rss+xml"
    )
    results, db_path = _crawl(tmp_path, [source("news", "feed", httpserver.url_for("/feed/"))])

    events = stored(db_path, "events")
    assert events and all(not e["link"].lower().startswith("javascript") for e in events)
    assert sum(e["link"] == "" for e in events) == 1
    result = results["news"]
    assert result.status == "failed"
    assert result.error.startswith("refused 1 request(s): link of news:")
    assert result.error.endswith("is not http(s): javascript:alert(1)")


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://www.federalregister.gov/documents/full_text/text/x.txt", None),
        ("https://federalregister.gov.evil.net/x", "host federalregister.gov.evil.net is not"),
        ("http://www.federalregister.gov/x", "plain http is allowed only on loopback hosts"),
        ("http://127.0.0.5:8080/x", "host 127.0.0.5 is not one of"),
        ("ftp://www.federalregister.gov/x", "scheme 'ftp' is not allowed"),
        ("data:text/plain,hi", "scheme 'data' is not allowed"),
    ],
)
def test_url_rules(url: str, problem: str | None) -> None:
    """The documented API host is allowed over https only; look-alike hosts are not."""
    domains = allowed_domains("fr_itc", "https://www.federalregister.gov/api/v1/documents.json")
    found = url_problem(url, domains)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_loopback_hosts() -> None:
    """Plain http is allowed on 127.0.0.0/8, localhost and ::1 only."""
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.9.9.9", "localhost", "[::1]", "::1"))
    assert not any(is_loopback(h) for h in ("10.0.0.1", "169.254.169.254", "localhost.evil"))


def _tls_crawl(tmp_path: Path, cert_host: str, trusted: bool) -> tuple[dict, HTTPServer, str]:
    """Crawl CourtListener and EDIS on a local https server whose certificate names cert_host."""
    ca = trustme.CA()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert(cert_host).configure_cert(context)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.expect_request("/robots.txt").respond_with_data("")
    body = json.dumps({**json.loads(CL_PAGE), "next": None})
    server.expect_request(CL_PATH).respond_with_data(body, content_type="application/json")
    server.expect_request("/data/document").respond_with_data(b"<results/>")
    server.start()
    base = server.url_for("").rstrip("/")
    specs = [
        source("courtlistener", "courtlistener", f"{base}{CL_PATH}", options={"per_minute": 100}),
        source(
            "edis",
            "edis",
            f"{base}/data/document",
            token_env="EDIS_TOKEN",
            options={"investigations": ["337-1145"]},
        ),
    ]
    try:
        with ca.cert_pem.tempfile() as ca_file, pytest.MonkeyPatch.context() as patch:
            patch.setenv("EDIS_TOKEN", "edis-token-1")
            if trusted:  # the test CA stands for a public CA: OpenSSL reads SSL_CERT_FILE
                patch.setenv("SSL_CERT_FILE", ca_file)
            results, _ = _crawl(tmp_path, specs)
    finally:
        server.stop()
    return results, server, base


@pytest.mark.parametrize(
    ("cert_host", "trusted", "why"),
    [
        (
            "127.0.0.1",
            False,
            "the certificate is not signed by a trusted authority (or has expired)",
        ),
        ("evil.example.net", True, "the certificate is not for this host name"),
    ],
)
def test_untrusted_certificate_gets_no_token(
    tmp_path: Path, secrets: None, cert_host: str, trusted: bool, why: str
) -> None:
    """A self-signed certificate, or a trusted one for another host, fails the source unsent."""
    results, server, base = _tls_crawl(tmp_path, cert_host, trusted)

    assert server.log == []  # before: both tokens (and robots.txt) went to the impostor
    assert {r.status for r in results.values()} == {"failed"}
    assert {r.error.split(": https://")[0] for r in results.values()} == {
        f"TLS certificate of 127.0.0.1 refused, nothing sent: {why}"
    }
    assert results["edis"].error.endswith(
        f": {base}/data/document?investigationNumber="
        "337-1145&investigationPhase=Violation&pageNumber=1"
    )
    _assert_no_secret(tmp_path)


def test_trusted_certificate_for_the_host_is_used(tmp_path: Path, secrets: None) -> None:
    """A certificate for the host from a trusted authority: the API is asked, with its token."""
    results, server, _ = _tls_crawl(tmp_path, "127.0.0.1", trusted=True)

    asked = {r.path: r.headers.get("Authorization") for r, _ in server.log}
    assert asked[CL_PATH] == f"Token {TOKEN_SECRET}"
    assert asked["/data/document"] == "Bearer edis-token-1"
    assert results["courtlistener"].status == "ok", results


def test_environment_proxy_is_not_used_by_the_crawl(
    tmp_path: Path,
    httpserver: HTTPServer,
    recorder: HTTPServer,
    secrets: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """http_proxy/https_proxy in the environment: the crawl goes direct, the proxy sees nothing."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(name, recorder.url_for("").rstrip("/"))
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    httpserver.expect_request("/robots.txt").respond_with_data("")
    body = json.dumps({**json.loads(CL_PAGE), "next": None})
    httpserver.expect_request(CL_PATH).respond_with_data(body, content_type="application/json")
    spec = source("courtlistener", "courtlistener", httpserver.url_for(CL_PATH))
    results, _ = _crawl(tmp_path, [spec])

    assert recorder.log == []  # before: the crawl sent its requests, token included, to it
    asked = [r.headers.get("Authorization") for r, _ in httpserver.log if r.path == CL_PATH]
    assert asked == [f"Token {TOKEN_SECRET}"]
    assert results["courtlistener"].status == "ok"


def test_robots_txt_redirect_to_another_sources_host_is_not_followed(
    tmp_path: Path, httpserver: HTTPServer, secrets: None
) -> None:
    """Source A's robots.txt answers 302 to source B's host: that redirect is never sent."""
    other = HTTPServer(host="127.0.0.1", port=0)  # source A's host; httpserver is localhost
    other.start()
    feed = (EXAMPLES / "feeds" / "juve-style.rss.xml").read_bytes()
    try:
        other.expect_request("/robots.txt").respond_with_data(
            "", status=302, headers={"Location": httpserver.url_for("/robots-from-a.txt")}
        )
        other.expect_request("/feed/").respond_with_data(feed, content_type="application/rss+xml")
        httpserver.expect_request("/robots.txt").respond_with_data("")
        httpserver.expect_request("/robots-from-a.txt").respond_with_data("User-agent: *\n")
        httpserver.expect_request("/feed/").respond_with_data(
            feed, content_type="application/rss+xml"
        )
        specs = [
            source("news_a", "feed", other.url_for("/feed/")),
            source("news_b", "feed", httpserver.url_for("/feed/")),
        ]
        results, _ = _crawl(tmp_path, specs)
    finally:
        other.stop()

    # before: B's host was asked for /robots-from-a.txt on A's behalf
    assert sorted(r.path for r, _ in httpserver.log) == ["/feed/", "/robots.txt"]
    assert [r.path for r, _ in other.log] == ["/robots.txt", "/feed/"]
    assert results["news_a"].items_seen == results["news_b"].items_seen > 0
