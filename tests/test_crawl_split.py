"""Sources are shared out among crawl processes that run side by side."""

from __future__ import annotations

import re

import pytest

from core.config import ConfigError, Crawl, Source
from crawlers.run import split_sources


def sources(n: int) -> list[Source]:
    """n PACER sources."""
    return [Source(id=f"pacer_c{i}", kind="pacer_rss", url=f"https://x/{i}") for i in range(n)]


def test_round_robin_and_never_an_empty_process() -> None:
    """Five sources in two processes: 3 + 2, dealt in turn; one source needs one process."""
    groups = split_sources(sources(5), 2)
    assert [[s.id for s in g] for g in groups] == [
        ["pacer_c0", "pacer_c2", "pacer_c4"],
        ["pacer_c1", "pacer_c3"],
    ]
    assert [[s.id for s in g] for g in split_sources(sources(1), 2)] == [["pacer_c0"]]
    assert split_sources([], 2) == [[]]


def test_processes_is_checked_at_load() -> None:
    """crawl.processes must be 1..8."""
    assert (Crawl().processes, Crawl(processes=2).processes) == (1, 2)
    with pytest.raises((ConfigError, ValueError), match="processes"):
        Crawl(processes=0)


def test_two_processes_store_both_feeds_and_skip_known_items(cfg, tmp_path, httpserver) -> None:  # type: ignore[no-untyped-def]
    """Two crawl processes write one database side by side; a re-poll with a new lastBuildDate
    finds every item known and stores nothing new."""
    from crawl_support import PACER_EXAMPLES, pacer_source, write_config

    from crawlers.run import crawl

    feeds = {
        court: (PACER_EXAMPLES / f"{court}_2022-12-06_{name}_excerpt.xml").read_bytes()
        for court, name in (("txwd", "china_ip"), ("ilnd", "schedule_a"))
    }

    def serve(stamp: bytes) -> None:
        httpserver.clear()
        for court, body in feeds.items():
            if stamp:
                body = re.sub(rb"<lastBuildDate>[^<]*", b"<lastBuildDate>" + stamp, body)
            httpserver.expect_request(f"/{court}/rss_outside.pl").respond_with_data(
                body, content_type="text/xml"
            )

    sources = [
        pacer_source(f"pacer_{c}", httpserver.url_for(f"/{c}/rss_outside.pl")) for c in feeds
    ]
    config = write_config(
        cfg, tmp_path, sources, download_delay=0, retries=0, timeout=5, processes=2,
        obey_robots=False,
    )  # fmt: skip
    serve(b"")
    first = crawl(str(config))
    assert {k: (r.status, r.items_seen, r.new_items) for k, r in first.items()} == {
        "pacer_txwd": ("ok", 48, 38),
        "pacer_ilnd": ("ok", 69, 54),
    }
    serve(b"Tue, 06 Dec 2022 23:59:59 GMT")  # a new lastBuildDate, the same items
    again = crawl(str(config))
    assert {k: (r.status, r.items_seen, r.new_items) for k, r in again.items()} == {
        "pacer_txwd": ("ok", 48, 0),
        "pacer_ilnd": ("ok", 69, 0),
    }
