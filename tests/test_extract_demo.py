"""The extract stage on the whole demo day: the same cases, parties, matches and events as before.

The expected file holds, per table, the row count and a sha256 over every row (sorted, times
left out). It was written by the row-by-row extract that the set-based one replaced, so a
difference here means the rewrite changed what is stored, not only how fast.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from crawl_support import parse_feed
from expected import check_expected
from sqlite_utils import Database

from core.config import Config
from crawlers.pipelines import store_events
from matcher.extract import extract_all, sync_registry
from matcher.match import build_matcher

SAMPLES = Path(__file__).parents[1] / "data" / "samples" / "pacer_2022-12-06"
EXPECTED = Path(__file__).parent / "examples" / "extract" / "demo_tables.expected.json"
# Columns that hold the time of the run, not what was found.
VOLATILE = {"extracted_at", "retrieved_at", "first_seen", "created_at"}
TABLES = ("events", "cases", "parties", "matches")


def table_fingerprints(db: Database) -> dict[str, Any]:
    """Per table: row count and a sha256 over all rows sorted by id, volatile columns left out."""
    out: dict[str, Any] = {}
    for table in TABLES:
        digest = hashlib.sha256()
        count = 0
        for row in db.query(f"select * from [{table}] order by id"):
            kept = {k: v for k, v in row.items() if k not in VOLATILE}
            digest.update(json.dumps(kept, sort_keys=True, ensure_ascii=False).encode() + b"\n")
            count += 1
        out[table] = {"rows": count, "sha256": digest.hexdigest()}
    return out


def test_demo_day_extracts_exactly_as_before(cfg: Config, db: Database) -> None:
    """All 8 bundled court feeds crawled, extracted and matched: every stored row as before."""
    for feed in sorted(SAMPLES.glob("ecf.*.rss.xml")):
        events, outcome = parse_feed(feed, feed.name.split(".")[1])
        assert outcome.status == "ok", (feed.name, outcome.error)
        store_events(db, events)
    matcher = build_matcher(cfg, db)
    sync_registry(db, matcher.registry)
    result = extract_all(db, cfg, matcher)
    assert (result.events, result.new_cases) == (10885, 6140)
    assert result.levels == {"entity": 1, "group": 3, "review": 16}
    check_expected(table_fingerprints(db), EXPECTED)
