"""The matcher benchmark's peers, on the same registries and parties as ours (see match_bench.py).

A fair brute force (every registry name normalised once, rapidfuzz.process.extractOne with
WRatio per party) and a rapidfuzz process.cdist peer with blocking on the first distinctive word.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import tempfile
import time
from pathlib import Path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def brute_force(size: int, parties_n: int, queue: mp.Queue) -> None:
    """Fair brute force: every registry name normalised once, each party scored against all."""
    from match_bench import make_parties, write_registry
    from rapidfuzz import fuzz, process, utils

    with tempfile.TemporaryDirectory() as tmp:
        rows = write_registry(Path(tmp) / "registry.csv", size)
    choices = [utils.default_process(r["name_en"]) for r in rows]
    parties = make_parties(rows, parties_n)
    t0 = time.perf_counter()
    for name in parties:
        process.extractOne(utils.default_process(name), choices, scorer=fuzz.WRatio)
    elapsed = time.perf_counter() - t0
    queue.put({"size": size, "rate": parties_n / elapsed, "us": elapsed / parties_n * 1e6})


# Words that say nothing about which company: places, legal forms, industry words.
BLOCK_STOP = frozenset(
    "huizhou hui zhou huiyang co ltd company limited corp inc llc hong kong shenzhen dongguan "
    "guangzhou ningbo xiamen suzhou electronics technology battery plastic products "
    "optoelectronics precision mould intelligent lighting industrial new energy communication "
    "equipment".split()
)


def _block_key(processed: str) -> str:
    return next((t for t in processed.split() if t not in BLOCK_STOP), "")


def cdist_blocking(size: int, parties_n: int, queue: mp.Queue) -> None:
    """The peer: names blocked by their first distinctive word, then process.cdist per block."""
    from collections import defaultdict

    from match_bench import make_parties, write_registry
    from rapidfuzz import fuzz, process, utils

    with tempfile.TemporaryDirectory() as tmp:
        rows = write_registry(Path(tmp) / "registry.csv", size)
    parties = make_parties(rows, parties_n)
    t0 = time.perf_counter()
    blocks: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        for name in (row["name_en"], *row["aliases"].split(";")):
            processed = utils.default_process(name)
            blocks[_block_key(processed)].append(processed)
    build = time.perf_counter() - t0
    del rows
    t0 = time.perf_counter()
    queries: dict[str, list[str]] = defaultdict(list)
    for name in parties:
        processed = utils.default_process(name)
        queries[_block_key(processed)].append(processed)
    for key, names in queries.items():
        choices = blocks.get(key)
        if key and choices:
            process.cdist(names, choices, scorer=fuzz.ratio, dtype="uint8").max(axis=1)
    elapsed = time.perf_counter() - t0
    queue.put(
        {
            "size": size,
            "rate": parties_n / elapsed,
            "us": elapsed / parties_n * 1e6,
            "build_s": build,
            "peak_mb": _peak_mb(),
        }
    )
