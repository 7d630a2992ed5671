"""Files private by default (umask 0077), and the database file itself: refuse an empty or
foreign file, create a new one private.

An existing file that is empty (a truncated copy, a failed restore) or not SQLite must never be
taken as a fresh database: that would restart notice numbers at 〔YYYY〕第1号 and re-send every
warning. Only a path where no file exists gets a new database, created 0600.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

# New databases appear whole (see create_private), so an empty file is never one being made by
# this version; the short wait covers a database an older version of ipwatch is creating.
CREATE_GRACE = 1.0
RESTORE_HINT = "restore it from a backup, or move it away to start a new database"


class DatabaseFileError(Exception):
    """The database path holds a file that is not a usable SQLite database."""


def _wal_has_data(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def check_file(path: Path) -> bool:
    """True when `path` must be created; DatabaseFileError for an empty or non-SQLite file."""
    if not path.exists():
        return True
    if path.is_dir():
        raise DatabaseFileError(f"{path} is a folder, not a database file")
    deadline = time.monotonic() + CREATE_GRACE
    while path.stat().st_size == 0 and not _wal_has_data(path):
        if time.monotonic() >= deadline:
            raise DatabaseFileError(
                f"{path} is an empty file (0 bytes), not a database; {RESTORE_HINT}"
            )
        time.sleep(0.1)
    # The header is checked through sqlite (`verify`), never by opening the file here: closing
    # any other descriptor of the file would drop the POSIX locks of this process's open
    # connections, and a crawl process writing meanwhile would corrupt the database.
    return False


def verify(conn: sqlite3.Connection, path: Path) -> None:
    """DatabaseFileError when the file sqlite opened is not an SQLite database."""
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise DatabaseFileError(
                f"{path} is not an SQLite database (bad header); {RESTORE_HINT}"
            ) from None
        raise


def create_private(path: Path, build: Callable[[Path], None]) -> None:
    """Create a new database at `path`, whole or not at all, readable by its owner only.

    `build` makes the schema in a temporary file beside it (0600, folder 0700); the finished
    file is then linked into place, so no other process ever sees an empty or half-made
    database. When another process won the race, its database is kept and ours dropped.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.new-{os.getpid()}-{secrets.token_hex(4)}")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        build(tmp)
        os.link(tmp, path)  # fails if the path exists: never replaces a database
    except FileExistsError:
        pass
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)


def write_private(path: Path, chunks: Iterable[bytes | memoryview]) -> None:
    """Write a file whole or not at all, readable by its owner only (its folder 0700): the
    chunks go to a temporary file beside it, which then replaces it."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def quick_check(conn: sqlite3.Connection) -> str:
    """'ok', or what `PRAGMA quick_check` (or reading the file at all) found wrong."""
    try:
        found = [str(row[0]) for row in conn.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "ok" if found == ["ok"] else "; ".join(found)


PRIVATE_UMASK = 0o077


def private_umask() -> int:
    """Make new files 0600 and folders 0700 for the rest of this process; the old umask."""
    return os.umask(PRIVATE_UMASK)
