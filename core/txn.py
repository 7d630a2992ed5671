"""Write transactions that take SQLite's write lock first, for databases with several writers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database


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
