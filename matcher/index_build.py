"""Building the index's key table, on every core for a large registry.

Keying a company's names (parsing them, the pinyin and one-letter-off forms of its Chinese
trade name, its places) is some 200 µs of Python. For a large registry the rows are cut into
runs that forked workers key at once; each run comes back as flat arrays (key hashes, name
numbers, limit kinds), its places and the names still to gloss, and the runs are joined in
row order, so the table is the one a single process builds.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from matcher.company_table import CompanyTable, IndexedRow
from matcher.derived_keys import place_industry_keys, place_qualifier, qualified
from matcher.index_gloss import GLOSS, MAX_GLOSS, GlossKeys
from matcher.index_places import OwnPlaces
from matcher.keytable import KeyTable, KeyTableBuilder
from matcher.names_zh import parse_zh, typo_keys
from matcher.normalize import parse_name_uncached, pinyin_keys
from matcher.registry import Registry

ENTITY_KINDS = frozenset({"legal_zh", "legal_en", "former", "variant", "config"})
# A token shared by more names than this says nothing about identity (e.g. "technology").
MAX_POSTING = 64
MAX_PINYIN = 8
# Keys of names derived from Chinese legal names: "=" the trade name's pinyin (or
# place|industry for a name without one), "~" its one-letter-off forms.
EXACT, TYPO = "=", "~"
MAX_DERIVED = 32
MAX_TYPO = 16
# Name numbers: a company's row times 256 plus the name's place among its names; the name
# derived from its Chinese legal name is place 255. Config group names follow the companies.
NAME_SLOTS = 256
DERIVED_SLOT = NAME_SLOTS - 1
# Key kinds, each a one-letter prefix of the stored key, and how many names a key may lead to.
# PLACE marks the places whose names have one-letter-off or translated keys at all.
KEY, TOKEN, PINYIN, FIRST, PLACE = "k", "t", "p", "f", "^"
KINDS = {KEY: 0, TOKEN: 1, PINYIN: 2, EXACT: 3, TYPO: 4, FIRST: 5, GLOSS: 6, PLACE: 7}
_ALL = 2**31 - 1
LIMITS = (_ALL, MAX_POSTING, MAX_PINYIN, MAX_DERIVED, MAX_TYPO, _ALL, MAX_GLOSS, _ALL)
# Below this many companies the registry is keyed here: forking costs more than it saves.
MIN_PARALLEL = 20_000
RUNS_PER_WORKER = 4  # shorter runs even out the workers' finishing times

_FORKED: tuple[Registry, RowKeys] | None = None  # what a forked worker reads
T = TypeVar("T")


def usable_cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def can_fork(workers: int) -> bool:
    """True when forking workers is possible and safe here (several cores, no other thread:
    forking a process that runs other threads may copy a lock another thread holds)."""
    return (
        workers > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


class RowKeys:
    """The keys of a run of registry rows, with their places and the names to gloss later."""

    def __init__(self, stop_words: frozenset[str]) -> None:
        self.stop_words = stop_words
        self.builder = KeyTableBuilder()
        self.places = OwnPlaces.building()
        self.glossed = GlossKeys()
        self.heads: set[str] = set()

    def rows(self, table: CompanyTable, start: int, end: int) -> None:
        """Key the companies of rows start..end (only what the index reads is unpacked)."""
        for row in range(start, end):
            company = table.indexed(row)
            self.heads.add(company.group_head)
            for pos, (text, kind) in enumerate(company.names()[:DERIVED_SLOT]):
                # The legal name's pinyin is read by the derived-name features instead.
                self.name(row * NAME_SLOTS + pos, text, kind, kind != "legal_zh")
            if company.name_zh:
                self.places.add(row, self._derived(row, company))

    def name(self, ref: int, text: str, kind: str, pinyin: bool) -> None:
        """Key one registry name under number `ref`."""
        # Uncached: registry names are parsed once, and the cache is kept for party names.
        norm = parse_name_uncached(text, self.stop_words)
        if not norm.tokens:
            return
        add = self.builder.add
        add([KEY + norm.key], ref, 0)
        add([FIRST + norm.tokens[0]], ref, KINDS[FIRST])
        if kind in ENTITY_KINDS:
            add([TOKEN + token for token in set(norm.tokens)], ref, 1)
            if pinyin:
                add([PINYIN + key for key in pinyin_keys(norm.tokens[0])], ref, 2)

    def _derived(self, row: int, company: IndexedRow) -> frozenset[str]:
        """Key the English forms derived from a company's Chinese legal name; its own places."""
        zh = parse_zh(company.name_zh, company.place)
        # Four letters at least, but a Latin trade name ("TCL") is distinctive as written.
        keys = [EXACT + k for k in zh.trade_keys if len(k) >= 4 or zh.trade[:3].isascii()]
        primary = zh.primary_key
        if not zh.trade and zh.places and zh.industry:
            keys += [EXACT + k for k in place_industry_keys(zh)]
        ref = row * NAME_SLOTS + DERIVED_SLOT
        place = place_qualifier(zh)
        self.builder.add([PLACE + place], ref, KINDS[PLACE])
        self.glossed.add(ref, zh, place)
        if keys:
            self.builder.add(list(dict.fromkeys(keys)), ref, KINDS[EXACT])
        if len(primary) >= 6:
            typos = {primary, *typo_keys(primary)}
            self.builder.add([TYPO + qualified(place, t) for t in typos], ref, KINDS[TYPO])
        return zh.own_places

    def join(self, run: RowKeys) -> None:
        """Take in the keys of the run that follows this one."""
        self.builder.extend(run.builder)
        self.places.extend(run.places)
        self.glossed.extend(run.glossed)
        self.heads |= run.heads


def build(
    registry: Registry, stop_words: frozenset[str], workers: int = 0
) -> tuple[KeyTable, OwnPlaces, dict[str, str]]:
    """The key table, the companies' own places and the canonical group names (keyed on
    `workers` forked processes, by default one per core, when the registry is large)."""
    global _FORKED
    size, workers = len(registry.companies), workers or usable_cores()
    parallel = size >= MIN_PARALLEL and can_fork(workers)
    keyed = RowKeys(stop_words)
    _FORKED = (registry, keyed)  # what the workers forked below read
    try:
        for run in _each(_key_rows, size, workers if parallel else 1):
            keyed.join(run)
        for j, (_, text) in enumerate(registry.group_aliases):
            keyed.name((size + j) * NAME_SLOTS, text, "group", True)
        glossed = keyed.glossed
        glossed.common()  # counted once, before the workers fork
        for builder in _each(_gloss_keys, len(glossed.refs), workers if parallel else 1):
            keyed.builder.extend(builder)
    finally:
        _FORKED = None
    keyed.glossed = GlossKeys()  # the gathered names are keyed: freed before the sort
    table = keyed.builder.freeze(LIMITS, single=(KINDS[FIRST], KINDS[PLACE]))
    return table, keyed.places, canonical_groups(keyed.heads - {""})


def _each(task: Callable[[tuple[int, int]], T], size: int, workers: int) -> Iterator[T]:
    """`task` over items 0..size in order: here as one run, or in runs on forked workers."""
    if workers == 1:
        yield task((0, size))
        return
    step = max(1, -(-size // (workers * RUNS_PER_WORKER)))
    runs = [(start, min(size, start + step)) for start in range(0, size, step)]
    yield from _on_workers(task, runs, workers)


def _on_workers(
    task: Callable[[tuple[int, int]], T], runs: list[tuple[int, int]], workers: int
) -> Iterator[T]:
    """Each run's result from forked workers, in run order."""
    # Workers make objects that are all sent back, never cycles: the collector is off.
    with multiprocessing.get_context("fork").Pool(workers, initializer=gc.disable) as pool:
        yield from pool.imap(task, runs)


def _key_rows(bounds: tuple[int, int]) -> RowKeys:
    """The keys of registry rows start..end."""
    assert _FORKED is not None, "workers are forked from the process holding the registry"
    registry, keyed = _FORKED
    start, end = bounds
    run = RowKeys(keyed.stop_words)
    run.rows(registry.table, start, end)
    run.builder.flush()
    return run


def _gloss_keys(bounds: tuple[int, int]) -> KeyTableBuilder:
    """The translated-name keys of gathered names start..end."""
    assert _FORKED is not None, "workers are forked from the process holding the names"
    builder = KeyTableBuilder()
    for ref, keys in _FORKED[1].glossed.keys(*bounds):
        builder.add(keys, ref, KINDS[GLOSS])
    builder.flush()
    return builder


def canonical_groups(heads: Iterable[str]) -> dict[str, str]:
    """Map each group name to the shortest group name sharing its first word ("TCL")."""
    by_first: dict[str, list[str]] = defaultdict(list)
    for head in heads:
        by_first[head.split()[0].lower()].append(head)
    return {h: min(by_first[h.split()[0].lower()], key=len) for h in heads}
