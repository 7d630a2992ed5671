"""Matching many parties on every core: the matcher is built once, then the process forks.

A nationwide day names a hundred thousand parties, each matched on its own. Workers forked
from the process that built the matcher share its registry and its mapped index (copy on
write) and need no start-up; each returns its parties' verdicts. Few parties, one core, a
platform without fork or a process running other threads: matched here, one by one, with the
same verdicts.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool

from matcher.index_build import can_fork, usable_cores
from matcher.match import Matcher
from matcher.types import MatchResult, Party, Role

# Fewer new parties than this are matched here: forking costs more than it saves.
MIN_PARALLEL = 2_000
# Parties per task: large enough that sending them costs little beside matching them.
CHUNK = 1_000
# Tasks after which a worker is replaced by a fresh fork (see MatchPool._start).
TASKS_PER_WORKER = 50

_FORKED: Matcher | None = None  # the matcher a forked worker inherited


def _match_chunk(parties: list[tuple[str, Role, str]]) -> list[MatchResult | None]:
    """Verdicts for (name, role, location) triples; None stands for a bare "none" verdict,
    most of a day's parties, so that little is sent back."""
    assert _FORKED is not None, "workers are forked from the process holding the matcher"
    found: list[MatchResult | None] = []
    for name, role, location in parties:
        party = Party(name, role, location)
        result = _FORKED.match(party)
        found.append(None if _bare_none(result) else result)
    return found


def _bare_none(result: MatchResult) -> bool:
    """The verdict equals _nothing(its party), read field by field (cheaper than building it)."""
    return (
        result.level == "none"
        and result.score == 0.0
        and not result.explanations
        and not (result.company_id or result.group or result.matched_name or result.matched_kind)
        and not (result.runner_up or result.derived or result.tied)
    )


def _nothing(party: Party) -> MatchResult:
    return MatchResult(party, "none", 0.0)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block, then as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class MatchPool:
    """Verdicts for many parties at once, on forked workers when that is faster and safe."""

    def __init__(self, matcher: Matcher, workers: int = 0, min_parallel: int = MIN_PARALLEL):
        self.matcher = matcher
        self.workers = workers or usable_cores()
        self.min_parallel = min_parallel
        self.forked = 0  # parties matched by forked workers (reported by the benchmark)
        self._pool: Pool | None = None

    def match_all(self, parties: Iterable[Party]) -> dict[Party, MatchResult]:
        """Each distinct party's verdict, as Matcher.match gives it."""
        # Matching makes no reference cycles (verdicts are plain records), yet the collector
        # would walk the growing verdict cache again and again: a fifth of one core's time at
        # a million companies. It is paused here as it is off in the workers.
        with _collector_paused():
            return self._match_all(parties)

    def _match_all(self, parties: Iterable[Party]) -> dict[Party, MatchResult]:
        matcher = self.matcher
        # Each distinct party once, in order; None until its verdict is known.
        found: dict[Party, MatchResult | None] = {}
        todo: list[Party] = []
        for party in parties:
            if party not in found:
                found[party] = known = matcher.known(party)
                if known is None:
                    todo.append(party)
        if len(todo) >= self.min_parallel and self._parallel():
            pool = self._start()
            chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
            sent = [[(p.raw, p.role, p.location) for p in chunk] for chunk in chunks]
            for chunk, results in zip(chunks, pool.imap(_match_chunk, sent), strict=True):
                self.forked += len(chunk)
                for party, result in zip(chunk, results, strict=True):
                    found[party] = result = result or _nothing(party)
                    matcher.remember(party, result)
        else:
            for party in todo:
                found[party] = matcher.match(party)
        return found  # type: ignore[return-value]  # every party now has its verdict

    def _parallel(self) -> bool:
        if self._pool is not None:
            return True  # forked already (the pool's own threads run from then on)
        return can_fork(self.workers)

    def _start(self) -> Pool:
        global _FORKED
        if self._pool is None:
            _FORKED = self.matcher  # inherited by the workers forked now (and any respawned)
            # The registry and index are kept for the whole run: left out of the collector's
            # walks, their pages stay shared with the workers instead of being copied.
            gc.freeze()
            # Workers live for one pass and keep no garbage in cycles (verdicts are plain
            # records): the collector only costs them time, so it is off, and a worker is
            # replaced after TASKS_PER_WORKER tasks to bound what any cycle could keep.
            context = multiprocessing.get_context("fork")
            self._pool = context.Pool(
                self.workers, initializer=gc.disable, maxtasksperchild=TASKS_PER_WORKER
            )
        return self._pool

    def close(self) -> None:
        """Stop the workers (the verdicts they sent are kept by the matcher)."""
        global _FORKED
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None
            _FORKED = None
            gc.unfreeze()

    def __enter__(self) -> MatchPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
