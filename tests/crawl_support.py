"""Helpers for the crawler tests: parse a recorded feed, write a crawl config for a subprocess."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import expected
import yaml
from scrapy.http import Request, XmlResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from core.config import Config, Source
from core.store import open_db
from crawlers.base import SourceOutcome
from crawlers.items import DocketEvent
from crawlers.spiders.pacer_rss import PacerRssSpider

PACER_EXAMPLES = Path(__file__).parent / "examples" / "pacer_rss"
# A "billion laughs" feed: nested entities that would expand 'lol' a billion times.
LAUGHS = b"".join(
    [b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY l0 "lol">']
    + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">'.encode() for i in range(1, 10)]
    + [b']>\n<rss version="2.0"><channel><title>&l9;</title></channel></rss>']
)


def court_of(path: Path) -> str:
    """The court id of a recorded feed: the file-name prefix before '_' or '.'."""
    return path.name.split("_")[0].split(".")[0]


def parse_feed(
    path: Path, court: str | None = None, last_build_date: str = ""
) -> tuple[list[DocketEvent], SourceOutcome]:
    """Run the spider's parse on a recorded file, as scrapy would hand it the response."""
    court = court or court_of(path)
    source_id = f"pacer_{court}"
    url = f"https://ecf.{court}.uscourts.gov/cgi-bin/rss_outside.pl"
    crawler = get_crawler(PacerRssSpider, {"STATS_CLASS": MemoryStatsCollector})
    spider = PacerRssSpider.from_crawler(
        crawler,
        sources=[{"id": source_id, "url": url, "court": court, "last_build_date": last_build_date}],
    )
    request = Request(url, meta={"source_id": source_id})
    response = XmlResponse(url=url, body=path.read_bytes(), request=request)
    events = list(spider.parse(response))
    return events, spider.outcomes[source_id]


def event_record(event: DocketEvent) -> dict[str, Any]:
    """An event as plain JSON data, without the volatile retrieval time."""
    record = asdict(event)
    record.pop("retrieved_at")
    record["event_types"] = list(event.event_types)
    record["parties"] = [list(p) for p in event.parties]
    return record


def check_expected(actual: Any, expected_path: Path) -> None:
    """Compare with a reviewed crawl expected file, kept with one-space indent and sorted keys."""
    expected.check_expected(actual, expected_path, indent=1, sort_keys=True)


def write_config(cfg: Config, tmp_path: Path, sources: list[Source], **crawl: Any) -> Path:
    """Write a crawl config YAML (absolute paths) for the crawl subprocess; return its path."""
    data = cfg.model_copy(
        update={"sources": sources, "crawl": cfg.crawl.model_copy(update=crawl)}
    ).model_dump(exclude={"base_dir"})
    data["database"] = str(cfg.path(cfg.database).resolve())
    data["registry"] = str(cfg.path(cfg.registry).resolve())
    data["log_file"] = str((tmp_path / "ipwatch.log").resolve())
    path = tmp_path / "config.crawl.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def pacer_source(source_id: str, url: str, court: str = "") -> Source:
    """A pacer_rss source pointing at a local URL."""
    return Source(id=source_id, kind="pacer_rss", url=url, court=court or source_id.split("_")[-1])


def check_recorded_failure(
    runs: dict[str, Any], source_id: str, words: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Crawl 2 failed the source with `words` in its error, and its health row records that
    failure while keeping the last success; returns the health rows after and before crawl 2."""
    result = runs["second"][source_id]
    assert result.status == "failed", f"{source_id}: {result}"
    assert words in result.error, f"{source_id}: {words!r} not in {result.error!r}"
    health, before = runs["health"][source_id], runs["health_before"][source_id]
    assert (health["status"], health["consecutive_failures"]) == ("failed", 1), health
    assert health["last_error"] == result.error, health
    assert health["last_success"] == before["last_success"], (health, before)
    return health, before


def leaked_entities(db_path: Path) -> list[str]:
    """Which of /etc/passwd's first line, expanded 'lol' text and the XXE probe word appear in
    any stored row (none should: hostile entities must never be expanded into storage)."""
    passwd = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    db = open_db(db_path)
    try:
        dump = "\n".join(str(row) for t in db.table_names() for row in db[t].rows)
    finally:
        db.close()
    return [text for text in (passwd, "lollollol", "XXEPROBE") if text in dump]
