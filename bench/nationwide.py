"""A nationwide day: all 94 US district courts' RSS feeds, built from the real bundled feeds.

Run: .venv/bin/python bench/nationwide.py [--courts 94] [--keep DIR]

Every court's feed is a rewritten copy of one real 2022-12-06 capture (data/samples/, taken in
turn): its court id in every URL, its PACER case ids and guids shifted so they are unique, its
docket numbers renumbered within their five digits; titles, captions, event types and dates stay
as published. The day is served from 127.0.0.1 and crawled by the real cycle (`run_cycle`) with
download_delay 0, three times:

  first    an empty database: every item is parsed, extracted and matched
  rerun    the same feeds again (unchanged lastBuildDate: each feed read to its head only)
  repoll   a new lastBuildDate on every feed and no new item (each item known by the hash of
           its bytes: nothing parsed)

For each run: wall and CPU seconds (this process plus the crawl subprocesses), the cycle's own
per-stage seconds with items/s, SQL statements per extracted event (counted with sqlite3's
trace callback, SQLite's own full-text index statements included) and peak memory.

The copies keep the real captions, so party names repeat across courts far more than in a real
day (8,323 distinct parties of 141,859 at 94 courts): the extract stage matches each distinct
party once per pass, and the report prints both counts.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.config import load_config  # noqa: E402
from ipwatch import cycle  # noqa: E402
from ipwatch.demo import serve_folder  # noqa: E402

SAMPLES = REPO / "data" / "samples" / "pacer_2022-12-06"
# The 94 US district courts (CM/ECF ids).
DISTRICTS = """almd alnd alsd akd azd ared arwd cacd caed cand casd cod ctd ded dcd flmd flnd flsd
gamd gand gasd gud hid idd ilcd ilnd ilsd innd insd iand iasd ksd kyed kywd laed lamd lawd med mdd
mad mied miwd mnd msnd mssd moed mowd mtd ned nvd nhd njd nmd nyed nynd nysd nywd nced ncmd ncwd
ndd nmid ohnd ohsd oked oknd okwd ord paed pamd pawd prd rid scd sdd tned tnmd tnwd txed txnd txsd
txwd utd vtd vid vaed vawd waed wawd wvnd wvsd wied wiwd wyd""".split()
DOCKET = re.compile(rb"(\d{1,2}:\d\d-[a-z]{2,5}-)(\d{5})")
CASE_ID = re.compile(rb"(DktRpt\.pl\?|caseid=)(\d+)")
BUILD = re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>")


def rewrite(payload: bytes, source_court: str, court: str, index: int) -> bytes:
    """A real feed as another court's: URLs, case ids and docket numbers made its own."""
    body = payload.replace(f"ecf.{source_court}.".encode(), f"ecf.{court}.".encode())
    shift = index * 10_000_000
    body = CASE_ID.sub(lambda m: m.group(1) + str(int(m.group(2)) + shift).encode(), body)
    return DOCKET.sub(
        lambda m: m.group(1) + b"%05d" % ((int(m.group(2)) + 7919 * index) % 100_000), body
    )


def build_day(folder: Path, courts: list[str]) -> int:
    """Write ecf.<court>.rss.xml for every court; return the number of items."""
    real = sorted(SAMPLES.glob("ecf.*.rss.xml"))
    items = 0
    for index, court in enumerate(courts):
        source = real[index % len(real)]
        source_court = source.name.split(".")[1]
        body = rewrite(source.read_bytes(), source_court, court, index)
        (folder / f"ecf.{court}.rss.xml").write_bytes(body)
        items += body.count(b"<item>")
    return items


def new_build_date(folder: Path) -> None:
    """Give every feed a new lastBuildDate and nothing else (a poll with no new item)."""
    for path in folder.glob("ecf.*.rss.xml"):
        stamp = b"<lastBuildDate>Tue, 06 Dec 2022 14:29:59 GMT</lastBuildDate>"
        path.write_bytes(BUILD.sub(stamp, path.read_bytes(), count=1))


def write_config(folder: Path, courts: list[str], base_url: str) -> Path:
    """A config with one pacer_rss source per court, no politeness delay, local output."""
    cfg: dict[str, Any] = {
        "database": "ipwatch.db",
        "registry": str(REPO / "data" / "exporters.csv"),
        "log_file": "out/ipwatch.log",
        "sources": [
            {
                "id": f"pacer_{c}",
                "kind": "pacer_rss",
                "court": c,
                "url": f"{base_url}/ecf.{c}.rss.xml",
            }
            for c in courts
        ],
        "crawl": {
            "download_delay": 0,
            "timeout": 30,
            "retries": 0,
            "obey_robots": False,
            "processes": 2,
        },
        "alerts": {"out_dir": "out"},
        "bureau": {"email": "desk@example.org", "phone": "0752-0000000"},
        "analysts": ["analyst@example.org"],
    }
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return path


class StatementCounter:
    """Wraps extract_all to count the SQL statements it runs (sqlite3 trace callback)."""

    def __init__(self, original: Callable[..., Any]) -> None:
        self.original = original
        self.statements = 0

    def __call__(self, db: Any, cfg: Any, matcher: Any) -> Any:
        def count(_: str) -> None:
            self.statements += 1

        db.conn.set_trace_callback(count)
        try:
            return self.original(db, cfg, matcher)
        finally:
            db.conn.set_trace_callback(None)


def cpu_seconds() -> tuple[float, float]:
    """User+system CPU of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def run_once(config: Path, label: str, items: int) -> dict[str, Any]:
    """One cycle, measured."""
    cfg = load_config(config)
    counter = StatementCounter(cycle.extract_all)
    cycle.extract_all = counter  # type: ignore[assignment]
    own0, kids0 = cpu_seconds()
    wall0 = time.perf_counter()
    try:
        summary = cycle.run_cycle(cfg, str(config))
    finally:
        cycle.extract_all = counter.original  # type: ignore[assignment]
    wall = time.perf_counter() - wall0
    own1, kids1 = cpu_seconds()
    events = summary.extract.events
    failed = summary.failed_sources
    return {
        "run": label,
        "wall": wall,
        "cpu": (own1 - own0) + (kids1 - kids0),
        "cpu_crawl": kids1 - kids0,
        "stages": summary.stages,
        "items": items,
        "events": events,
        "new": sum(r.new_items for r in summary.sources.values()),
        "statuses": sorted({r.status for r in summary.sources.values()}),
        "failed": failed,
        "sql_per_event": counter.statements / events if events else 0.0,
        "levels": summary.extract.levels,
        "parties": summary.extract.new_parties,
        "matched": summary.extract.matched,
    }


def report(row: dict[str, Any]) -> None:
    """Print one run's figures."""
    stages = row["stages"]
    print(
        f"\n== {row['run']}: wall {row['wall']:.1f} s, CPU {row['cpu']:.1f} s "
        f"(crawl processes {row['cpu_crawl']:.1f} s); feeds {row['statuses']}; "
        f"new events {row['new']}, extracted {row['events']}, matches {row['levels']}"
    )
    for name, seconds in stages.items():
        rate = row["items"] / seconds if seconds > 0 else float("inf")
        print(f"   {name:<8} {seconds:>7.2f} s   {rate:>12,.0f} items/s")
    if row["events"]:
        print(f"   extract: {row['sql_per_event']:.2f} SQL statements per event")
        print(f"   parties: {row['parties']:,} new, {row['matched']:,} distinct ones matched")
    if row["failed"]:
        print(f"   FAILED sources: {row['failed']}")


def main() -> None:
    """Build the day, run the three cycles, print the figures side by side."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--courts", type=int, default=len(DISTRICTS), help="how many district courts")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args()
    courts = DISTRICTS[: args.courts]
    work = args.keep or Path(tempfile.mkdtemp(prefix="ipwatch-nationwide-"))
    feeds = work / "feeds"
    feeds.mkdir(parents=True, exist_ok=True)
    items = build_day(feeds, courts)
    print(f"nationwide day: {len(courts)} courts, {items:,} RSS items, in {work}")
    rows = []
    with serve_folder(feeds) as base_url:
        config = write_config(work, courts, base_url)
        rows.append(run_once(config, "first cycle", items))
        rows.append(run_once(config, "identical re-run", items))
        new_build_date(feeds)
        rows.append(run_once(config, "re-poll, new lastBuildDate, no new items", items))
    for row in rows:
        report(row)
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"\npeak memory: cycle process {peak_self:.0f} MB, largest crawl process {peak_kids:.0f} MB"
    )
    print("targets: first cycle ≤ 40 s CPU; re-poll ≤ 5 s; identical re-run ≤ 3 s; ≤ 6 SQL/event")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
