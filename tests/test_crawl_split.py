"""Sources are shared out among crawl processes that run side by side."""

from __future__ import annotations

import pytest

from core.config import ConfigError, Crawl, Source
from crawlers.run import split_sources


def sources(n: int) -> list[Source]:
    """n PACER sources."""
    return [Source(id=f"pacer_c{i}", kind="pacer_rss", url=f"https://x/{i}") for i in range(n)]


def test_round_robin_and_never_an_empty_process() -> None:
    """Five sources in two processes: 3 + 2, dealt in turn; one source needs one process."""
    groups = split_sources(sources(5), 2)
    assert [[s.id for s in g] for g in groups] == [
        ["pacer_c0", "pacer_c2", "pacer_c4"],
        ["pacer_c1", "pacer_c3"],
    ]
    assert [[s.id for s in g] for g in split_sources(sources(1), 2)] == [["pacer_c0"]]
    assert split_sources([], 2) == [[]]


def test_processes_is_checked_at_load() -> None:
    """crawl.processes must be 1..8."""
    assert (Crawl().processes, Crawl(processes=2).processes) == (1, 2)
    with pytest.raises((ConfigError, ValueError), match="processes"):
        Crawl(processes=0)
