"""Console page times on a nationwide day: ≈100k events and ≈55k cases.

Builds (or reuses) out/bench-console/: the demo cycle on the bundled 2022-12-06 feeds, then
every case, event, party and match copied eight more times with unique docket numbers (the
case number shifted by 100000 × copy), so the tables have the size of a day of all district
courts. Each page is then requested through the real application (sessions, CSRF, templates,
SQLite) and the 95th-percentile server time is reported; every page must stay under 200 ms.

    python bench/console_bench.py [--rounds 40] [--rebuild]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
FOLDER = REPO / "out" / "bench-console"
COPIES = 8  # the demo's ≈10.9k events and ≈6.1k cases, nine times
LIMIT_MS = 200.0
PASSWORD = "bench-password-1"


def write_config(folder: Path) -> Path:
    """A config whose database and output live in the bench folder; no auto approval."""
    courts = ("txed", "txwd", "ded", "cacd", "cand", "ilnd", "nysd", "flsd")
    cfg = {
        "database": "ipwatch.db",
        "registry": str(REPO / "data" / "exporters.csv"),
        "log_file": "out/ipwatch.log",
        "sources": [{"id": f"pacer_{c}", "kind": "pacer_rss", "court": c,
                     "url": f"http://127.0.0.1:1/ecf.{c}.rss.xml"} for c in courts],
        "crawl": {"user_agent": "ipwatch-bench/0.1 (bench@example.org)", "download_delay": 0,
                  "timeout": 120, "retries": 1},
        "alerts": {"out_dir": "out", "chromium": "", "auto_send_levels": []},
        "bureau": {"email": "desk@example.org", "phone": "0752-0000000"},
    }  # fmt: skip
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return path


def shifted(docket: str, copy: int) -> str:
    """A unique docket number for a copy: the trailing case number plus 100000 × copy."""
    found = re.search(r"(\d+)$", docket or "")
    if not found:
        return f"{docket}-{copy}"
    return docket[: found.start()] + str(int(found.group(1)) + 100000 * copy)


def new_case_id(case_id: str, copy: int) -> str:
    """The copied case's id: the same forum and court, the shifted docket number."""
    parts = case_id.split(":", 2)
    if len(parts) < 3:
        return f"{case_id}~{copy}"
    return f"{parts[0]}:{parts[1]}:{shifted(parts[2], copy)}"


def multiply(db_path: Path, copies: int) -> None:
    """Copy cases, events, parties and matches `copies` times with unique dockets and ids."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    for table, key in (("cases", "id"), ("events", "case_id"), ("parties", "case_id"),
                       ("matches", "case_id")):  # fmt: skip
        rows = [dict(r) for r in conn.execute(f"select * from {table}")]
        cols = list(rows[0]) if rows else []
        marks = ", ".join("?" * len(cols))
        out = []
        for copy in range(1, copies + 1):
            for r in rows:
                r2 = dict(r)
                if table == "cases":
                    r2["id"] = new_case_id(r["id"], copy)
                    r2["docket_number"] = shifted(r["docket_number"], copy)
                else:
                    r2["id"] = f"{r['id']}~{copy}"
                    r2["case_id"] = new_case_id(r[key], copy) if r[key] else r[key]
                    if "docket_number" in r2:
                        r2["docket_number"] = shifted(r["docket_number"], copy)
                out.append(tuple(r2[c] for c in cols))
        conn.executemany(f"insert or ignore into {table} ({', '.join(cols)}) values ({marks})", out)
        conn.commit()
    conn.close()


def build(folder: Path) -> Path:
    """Run the demo cycle and multiply its rows; return the config path."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    config = write_config(folder)
    samples = REPO / "data" / "samples" / "pacer_2022-12-06"
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "ipwatch", "demo", "--config", str(config), "--samples",
         str(samples)], check=True, cwd=REPO, capture_output=True,
    )  # fmt: skip
    multiply(folder / "ipwatch.db", COPIES)
    print(f"built {folder} in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return config


def measure(config: Path, rounds: int) -> dict[str, list[float]]:
    """Request every page `rounds` times through the application; milliseconds per request."""
    from starlette.testclient import TestClient

    from core.config import load_config
    from core.store import open_db
    from core.users import add_user
    from ipwatch.web.app import create_app

    cfg = load_config(config)
    db = open_db(cfg.path(cfg.database))
    add_user(db, "bench", "analyst", PASSWORD)
    case = db.execute("select case_id from matches where level = 'entity' limit 1").fetchone()[0]
    db.close()
    client = TestClient(create_app(cfg), base_url="http://127.0.0.1")
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert token
    client.post("/login", data={"name": "bench", "password": PASSWORD, "csrf": token.group(1)})
    pages = ["/", "/review", "/review?level=review&forum=usdc", "/cases", "/cases?q=Samsung",
             "/cases?page=200", f"/cases/{case}", "/notices", "/registry", "/registry/HZ001",
             "/settings", "/sources", "/digests", "/deliveries", "/audit"]  # fmt: skip
    times: dict[str, list[float]] = {p: [] for p in pages}
    for _ in range(rounds):
        for p in pages:
            started = time.perf_counter()
            response = client.get(p)
            times[p].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (p, response.status_code)
    return times


def main() -> int:
    """Build or reuse the database, time every page, print the table; exit 1 over the limit."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    config = FOLDER / "config.yaml"
    if args.rebuild or not (FOLDER / "ipwatch.db").exists():
        config = build(FOLDER)
    conn = sqlite3.connect(FOLDER / "ipwatch.db")
    events, cases = (
        conn.execute(f"select count(*) from {t}").fetchone()[0] for t in ("events", "cases")
    )
    conn.close()
    print(f"database: {events} events, {cases} cases; {args.rounds} requests per page")
    print(f"{'page':42} {'median ms':>10} {'p95 ms':>8}")
    worst = 0.0
    for page, ms in measure(config, args.rounds).items():
        p95 = statistics.quantiles(ms, n=20)[18]
        worst = max(worst, p95)
        print(f"{page[:42]:42} {statistics.median(ms):10.1f} {p95:8.1f}")
    verdict = "ok" if worst < LIMIT_MS else "OVER"
    print(f"slowest p95 {worst:.1f} ms (limit {LIMIT_MS:.0f} ms): {verdict}")
    return 0 if worst < LIMIT_MS else 1


if __name__ == "__main__":
    sys.exit(main())
