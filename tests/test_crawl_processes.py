"""How many crawl processes a poll starts: a second one only when the last crawl's parsing of
the sources outweighs what starting a process costs (PROCESS_START_SECONDS = 1.0)."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from crawlers.health import last_parse_seconds
from crawlers.run import PROCESS_START_SECONDS, processes_worth


@pytest.mark.parametrize(
    ("configured", "parsed", "expected"),
    [
        (2, [None, None], 2),  # never crawled: unknown, all configured processes
        (2, [3.5, None], 2),  # one source new: unknown again
        (2, [3.5, 3.6], 2),  # a first nationwide cycle parsed 7 s: both processes pay off
        (2, [0.004, 0.003], 1),  # an unchanged re-poll read two heads: one process
        (2, [0.6, 0.5], 1),  # 1.1 s of parsing is one process start-up's worth: still one
        (4, [1.2, 1.3, 0.5], 3),  # 3.0 s: three of four
        (1, [5.0, 5.0], 1),  # never more than configured
    ],
)
def test_processes_worth(configured: int, parsed: list[float | None], expected: int) -> None:
    assert PROCESS_START_SECONDS == 1.0
    assert processes_worth(configured, parsed) == expected


def test_last_parse_seconds_per_source(db: Database) -> None:
    """Read from the sources table; a source without a row is None (never crawled)."""
    db["sources"].insert_all(
        [{"id": "pacer_txwd", "parse_seconds": 0.25}, {"id": "pacer_cand", "parse_seconds": None}],
        alter=True,
    )
    assert last_parse_seconds(db, ["pacer_txwd", "pacer_cand", "pacer_ilnd"]) == {
        "pacer_txwd": 0.25,
        "pacer_cand": None,
        "pacer_ilnd": None,
    }
