"""Crawl storage helpers: feed items already read (per source, by content hash: what a re-poll
need not parse again), and write transactions that take the lock at once."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

# PACER feeds roll over every 24 hours; three days of keys cover a feed that lags or repeats.
KEEP_DAYS = 3


class StoredKeys(Collection[str]):
    """One source's stored item keys, read from the database the first time they are asked for.

    A feed whose lastBuildDate did not change is never asked, so an identical re-poll reads no
    keys at all (a nationwide day stores 140,000 of them).
    """

    def __init__(self, db_path: str | Path, source: str) -> None:
        self.db_path = str(db_path)
        self.source = source
        self._keys: frozenset[str] | None = None

    def _load(self) -> frozenset[str]:
        if self._keys is None:
            # Read-only and without migrations: the crawl process has migrated the file already.
            uri = f"{Path(self.db_path).resolve().as_uri()}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=30)
            try:
                sql = "select key from feed_items where source = ?"
                self._keys = frozenset(row[0] for row in conn.execute(sql, [self.source]))
            finally:
                conn.close()
        return self._keys

    def __contains__(self, key: object) -> bool:
        return key in self._load()

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


def remember_items(db: Database, source: str, keys: Iterable[str], now: str) -> int:
    """Store the keys of items read from `source` (after their events); forget old ones."""
    rows = [(source, key, now) for key in keys]
    cutoff = (datetime.fromisoformat(now) - timedelta(days=KEEP_DAYS)).isoformat()
    with db.atomic():
        db.execute("delete from feed_items where source = ? and seen_at < ?", [source, cutoff])
        db.conn.executemany(
            "insert or replace into feed_items (source, key, seen_at) values (?, ?, ?)", rows
        )
    return len(rows)
