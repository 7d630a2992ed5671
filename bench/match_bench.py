"""Matcher benchmark: parties per second and peak memory on synthetic 1k/10k/100k registries.

Run: .venv/bin/python bench/match_bench.py [--parties 100000] [--sizes 1000,10000,100000]
Each registry size runs in its own process so that peak memory is measured per size; a
brute-force rapidfuzz.process.extractOne baseline over the 10k registry runs beside it.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import random
import resource
import tempfile
import time
from pathlib import Path

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


def _run_size(size: int, parties_n: int, queue: mp.Queue) -> None:
    from core.config import Matching
    from matcher.match import Matcher
    from matcher.registry import load_registry
    from matcher.types import Party

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "registry.csv"
        rows = write_registry(path, size)
        parties = make_parties(rows, parties_n)
        t0 = time.perf_counter()
        matcher = Matcher(load_registry(path, Matching()), Matching())
        build = time.perf_counter() - t0
        levels: dict[str, int] = {}
        t0 = time.perf_counter()
        for name in parties:
            level = matcher.match(Party(name)).level
            levels[level] = levels.get(level, 0) + 1
        elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((size, parties_n / elapsed, elapsed / parties_n * 1e6, build, peak_mb, levels))


def _run_baseline(size: int, parties_n: int, queue: mp.Queue) -> None:
    from rapidfuzz import fuzz, process, utils

    with tempfile.TemporaryDirectory() as tmp:
        rows = write_registry(Path(tmp) / "registry.csv", size)
    choices = [r["name_en"] for r in rows]
    parties = make_parties(rows, parties_n)
    t0 = time.perf_counter()
    for name in parties:
        process.extractOne(name, choices, scorer=fuzz.WRatio, processor=utils.default_process)
    elapsed = time.perf_counter() - t0
    queue.put((size, parties_n / elapsed, elapsed / parties_n * 1e6))


def _in_child(target, *args):  # type: ignore[no-untyped-def]
    queue: mp.Queue = mp.Queue()
    proc = mp.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main() -> None:
    """Run the benchmark and print one line per registry size plus the baseline."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--parties", type=int, default=100_000)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--baseline-parties", type=int, default=1_000)
    args = ap.parse_args()
    head = ("registry", "parties/s", "µs/party", "build s", "peak MB")
    print(f"{head[0]:>9} {head[1]:>10} {head[2]:>9} {head[3]:>8} {head[4]:>8}  levels")
    results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        size, rate, us, build, peak, levels = _in_child(_run_size, size, args.parties)
        results[size] = (rate, us)
        print(f"{size:>9} {rate:>10.0f} {us:>9.1f} {build:>8.1f} {peak:>8.0f}  {levels}")
    size, base_rate, base_us = _in_child(_run_baseline, 10_000, args.baseline_parties)
    print(f"baseline rapidfuzz.process.extractOne (WRatio) over {size}: {base_rate:.0f} parties/s")
    if 10_000 in results:
        print(f"speed-up at 10k: {results[10_000][0] / base_rate:.0f}x")
    sizes = sorted(results)
    if len(sizes) > 1:
        growth = results[sizes[-1]][1] / results[sizes[0]][1]
        print(f"per-party cost growth {sizes[0]} → {sizes[-1]}: {growth:.2f}x")


if __name__ == "__main__":
    main()
