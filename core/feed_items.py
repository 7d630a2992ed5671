"""Crawl storage helpers: feed items already read (per source, by content hash: what a re-poll
need not parse again), and write transactions that take the lock at once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlite_utils import Database

# PACER feeds roll over every 24 hours; three days of keys cover a feed that lags or repeats.
KEEP_DAYS = 3


def known_items(db: Database, source_ids: Iterable[str]) -> dict[str, frozenset[str]]:
    """The item keys stored for each of these sources (empty for a source never read)."""
    found: dict[str, frozenset[str]] = {}
    for source in source_ids:
        cursor = db.execute("select key from feed_items where source = ?", [source])
        found[source] = frozenset(row[0] for row in cursor)
    return found


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


@contextmanager
def immediate(db: Database) -> Iterator[Database]:
    """A transaction begun with BEGIN IMMEDIATE (a savepoint when one is already open).

    A deferred transaction that reads and then writes fails at once with "database is locked"
    when another process committed in between; taking the write lock first makes concurrent
    crawl processes wait their turn (busy_timeout) instead.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")
