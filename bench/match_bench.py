"""Matcher benchmark: parties per second, index build/load time and memory per registry size.

Run: .venv/bin/python bench/match_bench.py [--parties 100000] [--sizes 1000,10000,100000]

Each registry size runs in its own processes, so memory is measured per size: one process
writes the registry and the parties; a first cycle loads the registry ("registry s"), builds
and stores the index ("build MB" is that process's peak); a later cycle reads the registry back
as packed ("reg load s") and loads the stored index, then matches ("peak MB" is its peak, "reg
MB" the registry's own share, "load MB" the index's). A party name repeated in the day is
matched once, as in a real cycle. Matching runs as the extract stage runs it: on forked
workers, one per core ("parties/s"; "worker MB" is the largest worker's resident memory, most
of it pages shared with the parent), and again on one core in its own process ("1 core/s",
"µs/party"). The peers run on one core, so they are
compared with the one-core figure.

Beside ours, on the same registries and parties: a fair brute force (every registry name
normalised once, rapidfuzz.process.extractOne with WRatio per party) and a rapidfuzz
process.cdist peer with blocking on the first distinctive word.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import multiprocessing as mp
import random
import resource
import tempfile
import time
from pathlib import Path

from match_peers import brute_force, cdist_blocking

INITIALS = "b p m f d t n l g k h j q x zh ch sh r z c s y w".split()
FINALS = "a o e ai ei ao ou an en ang eng ong i u ia ie iao iu ian in iang ing uo ui uan un".split()
# Every initial-final pair: the size of the real pinyin syllable inventory (~400 valid ones).
SYLLABLES = [i + f for i in INITIALS for f in FINALS]
HANZI = (
    "安宝贝博昌辰诚达德迪鼎东发飞丰富高广海航豪和恒宏华欢辉嘉健杰金晶骏凯康科兰利联林"
    "龙禄美明纳能欧鹏奇谦强乔荣瑞盛世顺思泰天通伟文鑫兴旭雅扬亿银永宇源越展振正智中卓"
)
INDUSTRIES = [
    ("Electronics Technology", "电子科技"),
    ("Battery", "电池"),
    ("Plastic Products", "塑胶制品"),
    ("Optoelectronics", "光电"),
    ("Precision Mould", "精密模具"),
    ("Intelligent Technology", "智能科技"),
    ("Lighting", "照明"),
    ("Industrial", "实业"),
    ("New Energy", "新能源"),
    ("Communication Equipment", "通讯设备"),
]
PLACES = [("Huizhou", "惠州市"), ("Hui Zhou", "惠州"), ("Huizhou Huiyang", "惠州市惠阳区")]
FORMS = ["Co., Ltd.", "Co.,Ltd", "Company Limited", "Co. Ltd."]
OTHER_CITIES = ["Shenzhen", "Dongguan", "Guangzhou", "Ningbo", "Xiamen", "Suzhou"]
US_WORDS = "Apex Beam Light Guide Peak Ventures Innovations Holdings Labs Brands Partners".split()


def trade_name(rng: random.Random) -> tuple[str, str]:
    """A Chinese-exporter trade name in pinyin and in characters."""
    n = rng.choice((2, 3, 3, 4))
    idx = [rng.randrange(len(SYLLABLES)) for _ in range(n)]
    pinyin = "".join(SYLLABLES[i] for i in idx).capitalize()
    return pinyin, "".join(HANZI[i % len(HANZI)] for i in idx)


def write_registry(path: Path, size: int, seed: int = 7) -> list[dict[str, str]]:
    """A synthetic registry CSV of `size` companies (place + trade name + industry + form)."""
    rng = random.Random(seed)
    rows = []
    for i in range(size):
        (tn, tz), (ind, ind_zh), (pl, pl_zh) = (
            trade_name(rng),
            rng.choice(INDUSTRIES),
            rng.choice(PLACES),
        )
        group = tn if rng.random() < 0.2 else ""
        rows.append(
            {
                "id": f"SY{i:06d}",
                "name_zh": f"{pl_zh}{tz}{ind_zh}有限公司",
                "name_en": f"{pl} {tn} {ind} {rng.choice(FORMS)}",
                "aliases": f"{tn} {ind};{tn}",
                "district": "",
                "industry": ind.lower(),
                "products": ind.lower(),
                "parent_group": group,
                "notes": "",
                "contact_email": "",
            }
        )
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def make_parties(rows: list[dict[str, str]], count: int, seed: int = 11) -> list[str]:
    """Party names: registry spellings, affiliates abroad and unrelated companies and people."""
    rng = random.Random(seed)
    parties = []
    for _ in range(count):
        r = rng.random()
        row = rng.choice(rows)
        base = row["aliases"].split(";")[0]
        if r < 0.15:
            parties.append(row["name_en"].upper() if rng.random() < 0.5 else row["name_en"])
        elif r < 0.25:
            parties.append(f"{base} (Hong Kong) Limited")
        elif r < 0.75:
            tn, _ = trade_name(rng)
            ind = rng.choice(INDUSTRIES)[0]
            parties.append(f"{rng.choice(OTHER_CITIES)} {tn} {ind} {rng.choice(FORMS)}")
        else:
            words = rng.sample(US_WORDS, 2)
            parties.append(f"{' '.join(words)}, {rng.choice(['LLC', 'Inc.', 'Corp.'])}")
    return parties


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    """Memory the process holds now (resident pages)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def _prepare(size: int, parties_n: int, folder: Path, queue: mp.Queue) -> None:
    """Write the registry CSV and the party names (own process: generating costs no memory)."""
    rows = write_registry(folder / "registry.csv", size)
    (folder / "parties.txt").write_text("\n".join(make_parties(rows, parties_n)), encoding="utf-8")
    queue.put(None)


def _registry(folder: Path):  # type: ignore[no-untyped-def]
    """The registry as a cycle reads it: packed the first time, then read back as packed
    (matcher/registry_snapshot.py; a cycle keys it by the database's registry version, this
    benchmark by the registry file's digest)."""
    from core.config import Matching
    from matcher.registry import load_registry
    from matcher.registry_snapshot import cached, snapshot_key

    path = folder / "registry.csv"
    key = snapshot_key(hashlib.sha256(path.read_bytes()).hexdigest(), Matching(), ())
    return cached(folder / "index", key, lambda: load_registry(path, Matching()))


def _build(folder: Path, queue: mp.Queue) -> None:
    """A first cycle: load the registry, build the index and store both."""
    from matcher import index_store

    start = _rss_mb()
    t0 = time.perf_counter()
    registry = _registry(folder)
    registry_s = time.perf_counter() - t0
    registry_mb = _rss_mb() - start
    t0 = time.perf_counter()
    index_store.load_or_build(registry, frozenset(), folder / "index")  # builds and stores
    build_s = time.perf_counter() - t0
    stored = sum(f.stat().st_size for f in (folder / "index").glob("index-*")) / 2**20
    queue.put(
        {
            "registry_s": registry_s,
            "registry_mb": registry_mb,
            "build_s": build_s,
            "build_peak_mb": _peak_mb(),
            "file_mb": stored,
        }
    )


def _run_size(folder: Path, workers: int, queue: mp.Queue) -> None:
    """A later cycle: load the registry, load the stored index, then match every party, as
    the extract stage does (matcher/match_pool.py: forked workers on `workers` cores)."""
    from core.config import Matching
    from matcher.match import Matcher
    from matcher.match_pool import MatchPool
    from matcher.types import Party

    parties = (folder / "parties.txt").read_text(encoding="utf-8").split("\n")
    t0 = time.perf_counter()
    registry = _registry(folder)
    registry_s = time.perf_counter() - t0
    before = _rss_mb()
    t0 = time.perf_counter()
    matcher = Matcher(registry, Matching(), index_dir=folder / "index")
    load = time.perf_counter() - t0
    loaded_mb = _rss_mb() - before
    levels: dict[str, int] = {}
    t0 = time.perf_counter()
    with MatchPool(matcher, workers=workers) as pool:
        found = pool.match_all(Party(name) for name in parties)
    elapsed = time.perf_counter() - t0
    for name in parties:
        level = found[Party(name)].level
        levels[level] = levels.get(level, 0) + 1
    queue.put(
        {
            "rate": len(parties) / elapsed,
            "us": elapsed / len(parties) * 1e6,
            "us_distinct": elapsed / len(found) * 1e6,
            "reg_load_s": registry_s,
            "load_s": load,
            "load_mb": loaded_mb,
            "peak_mb": _peak_mb(),
            "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "levels": levels,
        }
    )


def _ours(size: int, parties_n: int) -> dict:
    """Prepare, build (first cycle) and match (later cycle), each in its own process."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _in_child(_prepare, size, parties_n, folder)
        built = _in_child(_build, folder)
        single = _in_child(_run_size, folder, 1)
        ours = _in_child(_run_size, folder, 0)  # every core
        return {
            "size": size,
            **built,
            **ours,
            "rate_1": single["rate"],
            "us_1": single["us"],
            "us_1_distinct": single["us_distinct"],
        }


def _in_child(target, *args):  # type: ignore[no-untyped-def]
    queue: mp.Queue = mp.Queue()
    proc = mp.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main() -> None:
    """Run the benchmark and print one line per registry size, then the peers side by side."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--parties", type=int, default=100_000)
    ap.add_argument(
        "--sizes", default="1000,10000,100000", help="registry sizes, e.g. 1000,1000000"
    )
    ap.add_argument("--baseline-parties", type=int, default=1_000)
    ap.add_argument("--brute-force-max", type=int, default=100_000, help="largest brute force")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"{'registry':>9} {'parties/s':>10} {'1 core/s':>9} {'µs/party':>9} {'registry s':>10} "
        f"{'reg MB':>7} {'reg load s':>10} {'build s':>8} {'build MB':>9} {'file MB':>8} "
        f"{'load s':>7} {'load MB':>8} {'peak MB':>8} {'worker MB':>10}  levels"
    )
    ours = {}
    for size in sizes:
        r = _ours(size, args.parties)
        ours[size] = r
        print(
            f"{size:>9} {r['rate']:>10.0f} {r['rate_1']:>9.0f} {r['us_1']:>9.1f} "
            f"{r['registry_s']:>10.1f} {r['registry_mb']:>7.0f} {r['reg_load_s']:>10.2f} "
            f"{r['build_s']:>8.1f} "
            f"{r['build_peak_mb']:>9.0f} {r['file_mb']:>8.0f} {r['load_s']:>7.2f} "
            f"{r['load_mb']:>8.0f} {r['peak_mb']:>8.0f} {r['worker_mb']:>10.0f}  {r['levels']}",
            flush=True,
        )
    print("\npeers on the same registries and parties (one process each):")
    for size in sizes:
        line = f"{size:>9}: ours (1 core) {ours[size]['rate_1']:>9.0f}/s"
        peer = _in_child(cdist_blocking, size, args.baseline_parties * 10)
        line += f" | cdist+blocking {peer['rate']:>9.0f}/s (blocks {peer['build_s']:.1f} s)"
        line += f" -> ours {ours[size]['rate_1'] / peer['rate']:.1f}x"
        if size <= args.brute_force_max:
            brute = _in_child(brute_force, size, args.baseline_parties)
            line += f" | fair brute force {brute['rate']:>7.0f}/s"
            line += f" -> ours {ours[size]['rate_1'] / brute['rate']:.0f}x"
        print(line, flush=True)
    if len(sizes) > 1:
        first, last = ours[sizes[0]], ours[sizes[-1]]
        growth = last["us_1"] / first["us_1"]
        distinct = last["us_1_distinct"] / first["us_1_distinct"]
        print(f"per-party cost growth {sizes[0]} → {sizes[-1]}: {growth:.2f}x")
        # A small registry's day repeats its few names, answered from the verdict cache: the
        # cost of each name actually matched is the like-for-like figure.
        print(f"per distinct party: {distinct:.2f}x", end=" ")
        print(f"({first['us_1_distinct']:.1f} → {last['us_1_distinct']:.1f} µs)")


if __name__ == "__main__":
    main()
