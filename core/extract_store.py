"""The extract stage's queries: the pending-event queue, look-ups by id and set-based writes.

Each batch is written with one prepared statement per table (executemany) inside the caller's
transaction, instead of one sqlite-utils call (with its schema look-ups) per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

CHUNK = 500  # ids per `in (…)` look-up, well under SQLite's variable limit

CASE_COLUMNS = (
    "id",
    "forum",
    "court",
    "docket_number",
    "case_name",
    "kind",
    "plaintiffs",
    "first_seen",
    "last_event",
    "link",
    "source",
)
PARTY_COLUMNS = ("id", "case_id", "role", "name", "location", "source")
MATCH_COLUMNS = (
    "id",
    "case_id",
    "party_id",
    "party",
    "role",
    "company_id",
    "group_name",
    "level",
    "score",
    "matched_name",
    "derived",
    "evidence",
    "status",
    "reason",
    "reviewed_by",
    "reviewed_at",
    "created_at",
)


def _insert(table: str, columns: tuple[str, ...], verb: str = "insert") -> str:
    marks = ", ".join("?" * len(columns))
    return f"{verb} into {table} ({', '.join(columns)}) values ({marks})"


# A batch's new cases go to a scratch table first, then into `cases` with one statement: the
# caption full-text index (kept by a trigger) then writes one segment per batch. Inserted row
# by row, it flushed and merged a segment after every case (FTS5 flushes at each statement).
NEW_CASES = "temp.extract_new_cases"
CREATE_NEW_CASES = f"create temp table if not exists {NEW_CASES} ({', '.join(CASE_COLUMNS)})"
STAGE_CASE = _insert(NEW_CASES, CASE_COLUMNS)
INSERT_CASES = "insert into cases ({0}) select {0} from {1} order by rowid".format(
    ", ".join(CASE_COLUMNS), NEW_CASES
)
INSERT_PARTY = _insert("parties", PARTY_COLUMNS)
# An existing match keeps its review status: re-runs never reset a decision.
INSERT_MATCH = _insert("matches", MATCH_COLUMNS, "insert or ignore")


@dataclass
class Writes:
    """Rows one batch adds or changes, written together by `write`."""

    cases: list[tuple[Any, ...]] = field(default_factory=list)
    parties: list[tuple[Any, ...]] = field(default_factory=list)
    matches: list[tuple[Any, ...]] = field(default_factory=list)
    last_event: dict[str, str] = field(default_factory=dict)  # case id -> newest event time
    extracted: list[tuple[str, str, str]] = field(default_factory=list)  # (case, at, event id)


def pending_count(db: Database) -> int:
    """How many stored events wait for extraction."""
    return int(db.execute("select count(*) from events where extracted_at is null").fetchone()[0])


def pending_events(db: Database, size: int) -> Iterator[list[dict[str, Any]]]:
    """Pending events in (published, id) order, one page at a time, by keyset.

    Each page starts after the last one's key, so the queue is never re-read or re-sorted;
    the partial index events_pending holds only the pending rows, in that order (named, since
    the planner would otherwise take the extracted_at index and sort every page).
    """
    after: tuple[str, str] | None = None
    while True:
        if after is None:
            sql = (
                "select * from events indexed by events_pending where extracted_at is null "
                "order by published, id limit ?"
            )
            params: list[Any] = [size]
        else:
            sql = (
                "select * from events indexed by events_pending where extracted_at is null "
                "and (published, id) > (?, ?) order by published, id limit ?"
            )
            params = [after[0], after[1], size]
        cursor = db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        page = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        if not page:
            return
        yield page
        after = (page[-1]["published"], page[-1]["id"])


def cases_by_id(db: Database, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(last_event, case_name) of the stored cases among these ids."""
    found: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(ids):
        sql = f"select id, last_event, case_name from cases where id in ({_marks(chunk)})"
        for cid, last, name in db.execute(sql, chunk):
            found[cid] = (last or "", name or "")
    return found


def existing_parties(db: Database, ids: Iterable[str]) -> set[str]:
    """Which of these party ids are stored."""
    found: set[str] = set()
    for chunk in _chunks(ids):
        sql = f"select id from parties where id in ({_marks(chunk)})"
        found.update(row[0] for row in db.execute(sql, chunk))
    return found


def write(db: Database, writes: Writes) -> None:
    """Write one batch's rows with one prepared statement per kind of row."""
    conn = db.conn
    if writes.cases:
        conn.execute(CREATE_NEW_CASES)
        conn.execute(f"delete from {NEW_CASES}")
        conn.executemany(STAGE_CASE, writes.cases)
        conn.execute(INSERT_CASES)
        conn.execute(f"delete from {NEW_CASES}")
    if writes.last_event:
        conn.executemany(
            "update cases set last_event = ? where id = ?",
            [(last, cid) for cid, last in writes.last_event.items()],
        )
    if writes.parties:
        conn.executemany(INSERT_PARTY, writes.parties)
    if writes.matches:
        conn.executemany(INSERT_MATCH, writes.matches)
    if writes.extracted:
        conn.executemany(
            "update events set case_id = ?, extracted_at = ? where id = ?", writes.extracted
        )


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), CHUNK):
        yield unique[start : start + CHUNK]


def _marks(chunk: list[str]) -> str:
    return ",".join("?" * len(chunk))
