"""End-to-end crawl: scrapy fetches real recorded feeds from 127.0.0.1 in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from crawl_support import PACER_EXAMPLES, pacer_source, write_config
from pytest_httpserver import HTTPServer

from core.config import Config, ConfigError
from core.store import open_db
from crawlers.health import source_health
from crawlers.run import crawl
from ipwatch.cli import cli

TXWD = (PACER_EXAMPLES / "txwd_2022-12-06_china_ip_excerpt.xml").read_bytes()
ILND = (PACER_EXAMPLES / "ilnd_2022-12-06_schedule_a_excerpt.xml").read_bytes()
TXWD_BUILD = b"<lastBuildDate>Tue, 06 Dec 2022 14:14:01 GMT</lastBuildDate>"
ROBOTS = "User-agent: *\nDisallow: /cgi-bin/DktRpt.pl\nDisallow: /doc1/\n"


def serve(httpserver: HTTPServer, txwd: bytes) -> None:
    """Serve robots.txt and the two court feeds, replacing earlier handlers."""
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data(ROBOTS, content_type="text/plain")
    httpserver.expect_request("/txwd/rss_outside.pl").respond_with_data(
        txwd, content_type="text/xml"
    )
    httpserver.expect_request("/ilnd/rss_outside.pl").respond_with_data(
        ILND, content_type="text/xml"
    )


@pytest.fixture
def config_path(cfg: Config, tmp_path: Path, httpserver: HTTPServer) -> Path:
    """A config with pacer_txwd and pacer_ilnd pointing at the local server."""
    sources = [
        pacer_source("pacer_txwd", httpserver.url_for("/txwd/rss_outside.pl")),
        pacer_source("pacer_ilnd", httpserver.url_for("/ilnd/rss_outside.pl")),
    ]
    return write_config(cfg, tmp_path, sources, download_delay=0, retries=0, timeout=5)


def stored_events(cfg: Config) -> dict[str, dict]:
    """Every stored event row by id."""
    db = open_db(cfg.path(cfg.database))
    try:
        return {row["id"]: row for row in db.query("select * from events")}
    finally:
        db.close()


def test_crawl_stores_events_and_health_then_skips_unchanged(
    cfg: Config, config_path: Path, httpserver: HTTPServer
) -> None:
    """Crawl 1 stores both feeds; same lastBuildDate is 'unchanged'; a new one adds nothing."""
    serve(httpserver, TXWD)
    first = crawl(str(config_path))
    assert {
        k: (r.status, r.items_seen, r.new_items, r.skipped, r.error) for k, r in first.items()
    } == {
        "pacer_txwd": ("ok", 48, 38, 0, ""),
        "pacer_ilnd": ("ok", 69, 54, 0, ""),
    }
    events = stored_events(cfg)
    assert len(events) == 38 + 54
    arigna = [e for e in events.values() if e["docket_number"] == "6:22-cv-00217"]
    assert [(e["case_name"], e["source"], e["court"], e["forum"]) for e in arigna] == [
        (
            "ARIGNA TECHNOLOGY LIMITED v. TCL Technology Group Corp. et al",
            "pacer_txwd",
            "txwd",
            "usdc",
        )
    ]
    assert json.loads(arigna[0]["event_types"]) == ["Answer to Complaint"]
    merged = events["pacer_txwd:1189103:48"]
    assert json.loads(merged["event_types"]) == [
        "~Util - Terminate Deadlines and Hearings",
        "~Util - Terminate Motions",
        "Order",
    ]
    db = open_db(cfg.path(cfg.database))
    health = {row["id"]: row for row in source_health(db)}
    # The extract stage marks what it has read; a re-crawl must keep that mark.
    db["events"].update("pacer_txwd:1189103:48", {"extracted_at": "2022-12-06T15:00:00+00:00"})
    db.close()
    txwd = health["pacer_txwd"]
    assert (txwd["status"], txwd["consecutive_failures"], txwd["last_error"]) == ("ok", 0, "")
    assert txwd["last_build_date"] == "2022-12-06T14:14:01+00:00"
    assert txwd["last_success"] == txwd["last_attempt"] == txwd["last_changed"]
    assert (health["pacer_ilnd"]["items_seen"], health["pacer_ilnd"]["new_items"]) == (69, 54)

    second = crawl(str(config_path))
    assert {k: (r.status, r.new_items) for k, r in second.items()} == {
        "pacer_txwd": ("unchanged", 0),
        "pacer_ilnd": ("unchanged", 0),
    }
    assert stored_events(cfg).keys() == events.keys()

    serve(httpserver, TXWD.replace(TXWD_BUILD, TXWD_BUILD.replace(b"14:14:01", b"14:19:01")))
    third = crawl(str(config_path), ["pacer_txwd"])
    assert list(third) == ["pacer_txwd"]
    assert (third["pacer_txwd"].status, third["pacer_txwd"].new_items) == ("ok", 0)
    after = stored_events(cfg)
    assert after.keys() == events.keys()
    assert after["pacer_txwd:1189103:48"]["extracted_at"] == "2022-12-06T15:00:00+00:00"
    assert after["pacer_txwd:1189103:48"]["event_types"] == merged["event_types"]
    db = open_db(cfg.path(cfg.database))
    row = next(r for r in source_health(db) if r["id"] == "pacer_txwd")
    db.close()
    assert row["last_build_date"] == "2022-12-06T14:19:01+00:00"


def test_cli_crawl_and_sources(cfg: Config, config_path: Path, httpserver: HTTPServer) -> None:
    """`ipwatch crawl` prints one line per source; `ipwatch sources --json` lists health."""
    serve(httpserver, TXWD)
    runner = CliRunner()
    result = runner.invoke(cli, ["crawl", "pacer_txwd", "--config", str(config_path)])
    assert result.exit_code == 0, result.output
    assert "pacer_txwd       ok        seen    48  new    38  skipped   0" in result.output
    listed = runner.invoke(cli, ["sources", "--json", "--config", str(config_path)])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [(r["id"], r["status"], r["new_items"], r["stale"]) for r in rows] == [
        ("pacer_txwd", "ok", 38, False)
    ]
    unknown = runner.invoke(cli, ["crawl", "pacer_nowhere", "--config", str(config_path)])
    assert unknown.exit_code == 1
    assert "Error: no source 'pacer_nowhere' in config.yaml (known: pacer_txwd, pacer_ilnd)" in (
        unknown.output
    )


def test_unknown_source_is_a_config_error(config_path: Path) -> None:
    """crawl() refuses an unknown id before starting anything, naming the known ones."""
    with pytest.raises(ConfigError, match=r"known: pacer_txwd, pacer_ilnd"):
        crawl(str(config_path), ["pacer_xx"])


def test_429_with_retry_after_is_throttled_not_failed(
    cfg: Config, config_path: Path, httpserver: HTTPServer
) -> None:
    """HTTP 429 (seconds or a date in Retry-After): throttled with the wait, never a failure."""
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("", content_type="text/plain")
    httpserver.expect_request("/txwd/rss_outside.pl").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "120"}
    )
    httpserver.expect_request("/ilnd/rss_outside.pl").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}
    )
    for _ in range(2):  # before: "failed" twice, two failures in a row
        results = crawl(str(config_path))

    txwd, ilnd = results["pacer_txwd"], results["pacer_ilnd"]
    assert (txwd.status, ilnd.status) == ("throttled", "throttled")
    url = httpserver.url_for("/txwd/rss_outside.pl")
    assert txwd.error.startswith(f"HTTP 429 from {url}: throttled for 120 s (Retry-After), until ")
    # A date years away is read as a date, and shown as at most a week's wait.
    assert "throttled for 604800 s (Retry-After)" in ilnd.error
    db = open_db(cfg.path(cfg.database))
    try:
        rows = {r["id"]: r for r in source_health(db)}
    finally:
        db.close()
    assert {r["consecutive_failures"] for r in rows.values()} == {0}
    assert not any(r["stale"] for r in rows.values())


def test_a_429_holds_courtlistener_until_its_retry_after(
    cfg: Config, tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server asked for 120 s: the next run sends nothing before then, and says so."""
    from spider_support import source

    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("", content_type="text/plain")
    search = "/api/rest/v4/search/"
    httpserver.expect_request(search).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "120"}
    )
    cl = source(
        "courtlistener",
        "courtlistener",
        httpserver.url_for(search),
        token_env="IPWATCH_TEST_CL_TOKEN",
        options={"courts": ["txed"], "per_minute": 100},
    )
    path = write_config(cfg, tmp_path, [cl], download_delay=0, retries=0, timeout=5)
    monkeypatch.setenv("IPWATCH_TEST_CL_TOKEN", "test-token")
    first = crawl(str(path))["courtlistener"]
    assert first.status == "throttled" and "throttled for 120 s (Retry-After)" in first.error
    asked = [r.path for r, _ in httpserver.log].count(search)
    second = crawl(str(path))["courtlistener"]
    assert second.status == "throttled"
    assert second.error.startswith("courtlistener: request budget used up; next request in 1")
    assert [r.path for r, _ in httpserver.log].count(search) == asked == 1
