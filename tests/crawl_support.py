"""Helpers for the crawler tests: parse a recorded feed, write a crawl config for a subprocess."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml
from scrapy.http import Request, XmlResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawlers.base import SourceOutcome
from crawlers.items import DocketEvent
from crawlers.spiders.pacer_rss import PacerRssSpider
from ipwatch.config import Config, Source

PACER_EXAMPLES = Path(__file__).parent / "examples" / "pacer_rss"


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
    """Compare with a reviewed expected file; UPDATE_EXPECTED=1 rewrites it, missing fails."""
    if os.environ.get("UPDATE_EXPECTED") == "1":
        text = json.dumps(actual, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        expected_path.write_text(text, encoding="utf-8")
    if not expected_path.exists():
        raise AssertionError(
            f"missing expected file {expected_path}; run with UPDATE_EXPECTED=1 and review it"
        )
    assert actual == json.loads(expected_path.read_text(encoding="utf-8"))


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
