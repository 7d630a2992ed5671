"""SQLite storage through sqlite-utils: schema migrations, upserts and the read queries."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

import core.schema_console  # noqa: F401  (registers the console's and scale's, after those)
import core.schema_workflow  # noqa: F401  (registers the later migrations, in order)
from core.dbfile import DatabaseFileError, check_file, create_private, verify
from core.schema import migrations


class StoreError(Exception):
    """The database cannot be opened or written (read-only folder, full disk, corrupt file)."""


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def open_db(path: str | Path) -> Database:
    """Open the database and apply pending migrations; a new one only where no file exists."""
    p = Path(path)
    try:
        if str(p) != ":memory:" and check_file(p):
            create_private(p, lambda tmp: _connect(tmp).close())
        db = _connect(p)
    except DatabaseFileError as exc:
        raise StoreError(f"database {exc}") from None
    except (sqlite3.OperationalError, sqlite3.DatabaseError, OSError) as exc:
        raise StoreError(f"database {p}: {exc}") from exc
    return db


def _connect(p: Path) -> Database:
    """Connect in WAL mode and apply pending migrations."""
    conn = sqlite3.connect(str(p), timeout=30)
    verify(conn, p)
    db = Database(conn)
    # WAL lets the digest read while a crawl writes; busy_timeout waits for the other writer.
    db.execute("PRAGMA busy_timeout = 30000")
    if str(p) != ":memory:":
        db.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: a crashed process
        # loses nothing committed; only a power cut may lose the last transactions.
        db.execute("PRAGMA synchronous = NORMAL")
    migrations.apply(db)
    return db


def dumps(value: Any) -> str:
    """JSON for storage: stable key order, Chinese kept readable."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def rows(db: Database, sql: str, params: tuple | dict = ()) -> Iterator[dict[str, Any]]:
    """Run a read query and yield dict rows."""
    yield from db.query(sql, params)


@contextmanager
def immediate(db: Database) -> Iterator[Database]:
    """A transaction begun with BEGIN IMMEDIATE (a savepoint when one is already open).

    A deferred transaction that reads and then writes fails at once with "database is locked"
    when another connection committed in between; taking the write lock first makes concurrent
    crawl processes, or two approvers signing at once, wait their turn (busy_timeout) instead.
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
