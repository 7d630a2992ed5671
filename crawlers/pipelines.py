"""Item pipelines: validate DocketEvents, then store them idempotently and record health."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlite_utils import Database

from core.faults import crash_point
from core.feed_items import remember_items
from core.store import dumps, immediate, now_iso, open_db
from crawlers.base import DisputeSpider
from crawlers.health import record_outcomes
from crawlers.items import DocketEvent, EventBatch

BATCH = 500  # events per transaction: a crash loses at most one whole batch, never half an item
COURT_FORUMS = {"usdc", "usbc", "usca", "cafc", "itc"}

log = logging.getLogger(__name__)


def invalid_reason(item: Any) -> str:
    """Why an item cannot be stored, or '' when it is a valid DocketEvent."""
    if not isinstance(item, DocketEvent):
        return f"not a DocketEvent: {type(item).__name__}"
    if not item.id.startswith(f"{item.source}:") or item.id == f"{item.source}:":
        return f"id {item.id!r} does not start with its source '{item.source}:'"
    if not item.forum:
        return "forum is empty"
    if item.forum in COURT_FORUMS and not item.docket_number:
        return f"docket_number is empty for a {item.forum} event"
    if not item.event_types or not all(isinstance(t, str) and t for t in item.event_types):
        return f"event_types must be non-empty strings, got {item.event_types!r}"
    try:
        published = datetime.fromisoformat(item.published)
    except (TypeError, ValueError):
        return f"published {item.published!r} is not ISO 8601"
    # A bare date (YYYY-MM-DD) is a source's own day without a time; a moment needs its zone.
    if published.tzinfo is None and len(item.published) != 10:
        return f"published {item.published!r} has no timezone"
    return ""


EVENT_FIELDS = tuple(DocketEvent.__dataclass_fields__)
EVENT_COLUMNS = (*EVENT_FIELDS, "extracted_at")
INSERT_EVENT = "insert into events ({}) values ({})".format(
    ", ".join(EVENT_COLUMNS), ", ".join("?" * len(EVENT_COLUMNS))
)


def event_row(event: DocketEvent) -> dict[str, Any]:
    """The `events` row for a new event (lists stored as JSON, not yet extracted)."""
    # Fields read one by one: dataclasses.asdict deep-copies, a third of a crawl's CPU.
    row = {name: getattr(event, name) for name in EVENT_FIELDS}
    row["event_types"] = dumps(list(event.event_types))
    row["parties"] = dumps([list(p) for p in event.parties])
    row["extracted_at"] = None
    return row


def store_events(db: Database, events: Iterable[DocketEvent]) -> Counter[str]:
    """Insert new events and union event types into existing ones; new events per source.

    An existing event keeps every other column (extracted_at included), so a re-crawl of the
    same feed adds nothing and never undoes the extract stage's work.
    """
    merged: dict[str, DocketEvent] = {}
    for event in events:
        known = merged.get(event.id)
        if known is not None:
            types = tuple(dict.fromkeys(known.event_types + event.event_types))
            event = replace(known, event_types=types)
        merged[event.id] = event
    new: Counter[str] = Counter()
    with immediate(db):
        stored = _stored_types(db, list(merged))
        rows = []
        for event_id, event in merged.items():
            if event_id not in stored:
                rows.append(event_row(event))
                new[event.source] += 1
                continue
            union = list(dict.fromkeys([*stored[event_id], *event.event_types]))
            if union != stored[event_id]:
                db.table("events").update(event_id, {"event_types": dumps(union)})
        if rows:
            db.conn.executemany(INSERT_EVENT, [tuple(r[c] for c in EVENT_COLUMNS) for r in rows])
    return new


def _stored_types(db: Database, ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        sql = f"select id, event_types from events where id in ({marks})"
        for event_id, types in db.execute(sql, chunk).fetchall():
            found[event_id] = json.loads(types or "[]")
    return found


class _CrawlerPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> _CrawlerPipeline:
        """Scrapy's factory: keep the crawler to reach its spider and settings."""
        return cls(crawler)


class ValidatePipeline(_CrawlerPipeline):
    """Drop invalid items with a reason; each drop counts as skipped for its source."""

    def process_item(self, item: Any) -> Any:
        """Pass valid DocketEvents on; raise DropItem naming the problem otherwise.

        A batch passes on with its valid events; each invalid one is skipped with its reason.
        """
        if isinstance(item, EventBatch):
            valid = tuple(e for e in item.events if not self._invalid(e))
            return item if len(valid) == len(item.events) else replace(item, events=valid)
        reason = self._invalid(item)
        if reason:
            raise DropItem(reason)
        return item

    def _invalid(self, item: Any) -> str:
        """'' for a valid event; else the reason, counted as a skip of the item's source."""
        reason = invalid_reason(item)
        if not reason:
            return ""
        message = f"invalid item {getattr(item, 'id', '?')}: {reason}"
        spider = self.crawler.spider
        source = getattr(item, "source", "")
        if isinstance(spider, DisputeSpider) and source in spider.outcomes:
            spider.skip(source, message)
        return message


class StorePipeline(_CrawlerPipeline):
    """Write events in batched transactions; at the end, record every source's health."""

    def open_spider(self) -> None:
        """Open (and migrate) the configured database."""
        self.db = open_db(self.crawler.settings.get("IPWATCH_DATABASE"))
        self.pending: list[DocketEvent] = []
        self.unsaved: set[str] = set()  # sources with a batch that could not be written

    def process_item(self, item: DocketEvent | EventBatch) -> DocketEvent | EventBatch:
        """Queue the event (or a batch's events); flush each full batch in one transaction."""
        if isinstance(item, EventBatch):
            self.pending.extend(item.events)
        else:
            self.pending.append(item)
        while len(self.pending) >= BATCH:
            self._flush()
        return item

    def close_spider(self) -> None:
        """Flush the last batch, then record health for every source of the spider."""
        spider = self.crawler.spider
        try:
            while self.pending:
                self._flush()
            outcomes = getattr(spider, "outcomes", {})
            now = now_iso()
            with immediate(self.db):  # another crawl process may be writing too
                for outcome in outcomes.values():
                    # Only once its events are stored is an item known: a lost batch is read again.
                    if outcome.item_keys and outcome.source not in self.unsaved:
                        remember_items(self.db, outcome.source, outcome.item_keys, now)
                record_outcomes(self.db, outcomes.values(), now)
        except sqlite3.Error as exc:
            # A full or read-only disk: one clear line; the parent records the failure per source.
            logger = spider.logger if spider is not None else log
            logger.error("database write failed, health not recorded: %s", exc)
        finally:
            self.db.close()

    def _flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending[:BATCH], self.pending[BATCH:]
        outcomes = getattr(self.crawler.spider, "outcomes", {})
        try:
            new = store_events(self.db, batch)
        except sqlite3.Error as exc:
            # The transaction rolled back: nothing of this batch is stored, so say so per source.
            self.unsaved |= {e.source for e in batch}
            for source in {e.source for e in batch} & set(outcomes):
                outcomes[source].status = "failed"
                outcomes[source].error = f"database write failed, events not stored: {exc}"
            return
        for source, count in new.items():
            if source in outcomes:
                outcomes[source].new_items += count
        for _ in batch:
            # Crash tests kill the crawler here: events committed, health not yet recorded.
            crash_point("crawl.item")
