"""Keying the registry on forked workers builds the very table one process builds."""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import replace
from pathlib import Path

from ops_support import in_fresh_process

from core.config import Matching
from matcher import index_build
from matcher.evaluate_names import chinese_only_registry, read_pairs
from matcher.registry import Registry, load_registry

TESTS = Path(__file__).parent
REGISTRY = TESTS.parent / "data" / "exporters.csv"
PAIRS = sorted((TESTS / "examples" / "names").glob("cn_en_*.csv"))
COPIES = 30  # enough that words of the bundled names are in more than MAX_GLOSS names


def _registries() -> dict[str, Registry]:
    """The bundled registry; its companies thirty times over; real Chinese legal names."""
    exporters = load_registry(REGISTRY, Matching())
    copies = [replace(c, id=f"{c.id}-{k}") for k in range(COPIES) for c in exporters.companies]
    pairs = [pair for path in PAIRS for pair in read_pairs(path)]
    return {
        "exporters": exporters,
        "copies": Registry(tuple(copies), group_aliases=(("TCL", "TCL Group"),)),
        "chinese_only": chinese_only_registry(pairs),
    }


def _built(registry: Registry, workers: int) -> dict[str, object]:
    table, places, groups = index_build.build(registry, frozenset({"global"}), workers)
    arrays = {name: bytes(data) for name, data in table.arrays().items()}
    return {**arrays, "places": bytes(places.rows), "sets": places.sets, "groups": groups}


def _compare(queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """In a fresh process (no other thread, so the build may fork): one process against two."""
    forked: list[int] = []
    on_workers = index_build._on_workers

    def counted(task, runs, workers):  # type: ignore[no-untyped-def]
        forked.append(len(runs))
        return on_workers(task, runs, workers)

    index_build._on_workers = counted
    index_build.MIN_PARALLEL = 0
    found = {}
    for name, registry in _registries().items():
        serial = _built(registry, workers=1)
        runs_before = len(forked)
        parallel = _built(registry, workers=2)
        found[name] = {
            "same": parallel == serial,
            "keys": len(serial["hashes"]) // 8,  # type: ignore[arg-type]
            "runs": forked[runs_before:],
            "groups": serial["groups"],
        }
    queue.put(found)


def test_forked_workers_build_the_table_one_process_builds() -> None:
    found = in_fresh_process(_compare)
    for name, result in found.items():
        assert result["same"] is True, name
        # Two forked passes (the rows, then the translated names), each of several runs.
        assert len(result["runs"]) == 2 and min(result["runs"]) >= 4, name
        assert result["keys"] > 20, name
    assert found["exporters"]["groups"]["TCL"] == "TCL"


def test_another_thread_keeps_the_build_in_this_process() -> None:
    """Forking while another thread runs may copy a lock it holds: keyed here instead."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert index_build.can_fork(2) is False
    finally:
        stop.set()
        other.join()
    assert index_build.can_fork(1) is False  # one core: nothing to gain
