"""`ipwatch status`: jobs, source health, outbox backlog and database size, for monitoring."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from core.config import Config
from core.courts import in_beijing
from core.dbfile import quick_check
from core.store import StoreError
from ipwatch.jobs import job_specs, next_run
from ipwatch.status_reasons import find_reasons

# The manual/cron cycle (`ipwatch run`) records itself under this job name in the runs table.
MANUAL_JOB = "run"
COUNTED_TABLES = ("events", "cases", "matches", "notices", "outbox")


def _last_run(db: Database, job: str) -> dict[str, Any] | None:
    rows = list(db.query("select * from runs where job = ? order by id desc limit 1", [job]))
    if not rows:
        return None
    row = rows[0]
    summary = json.loads(row["summary"]) if row.get("summary") else {}
    return {
        "started": row["started"],
        "finished": row["finished"],
        "outcome": row["outcome"],
        "exit_code": summary.get("exit_code"),
        "counts": summary.get("counts", summary),
        "stages": json.loads(row["stages"]) if row.get("stages") else None,
    }


def job_status(db: Database, cfg: Config, now: datetime) -> list[dict[str, Any]]:
    """Each scheduled job (and manual runs) with its last run and its next run time."""
    jobs = []
    for spec in job_specs(cfg):
        upcoming = next_run(spec, cfg.schedule.timezone, now)
        jobs.append(
            {
                "job": spec.name,
                "cron": spec.cron,
                "sources": list(spec.sources),
                "last_run": _last_run(db, spec.name),
                "next_run": upcoming.isoformat() if upcoming else None,
            }
        )
    manual = _last_run(db, MANUAL_JOB)
    if manual:
        jobs.append(
            {"job": MANUAL_JOB, "cron": "", "sources": [], "last_run": manual, "next_run": None}
        )
    return jobs


def _health_rows(db: Database, cfg: Config, now: datetime) -> list[dict[str, Any]]:
    try:
        from crawlers.health import source_health
    except ImportError:
        # Without the crawler package (a reporting-only install) read the table as stored.
        rows = list(db.query("select * from sources order by id"))
        for row in rows:
            row["stale"] = (row.get("consecutive_failures") or 0) >= 3
        return rows
    return source_health(db, cfg.crawl.stale_after_hours, now)


def source_status(db: Database, cfg: Config, now: datetime) -> list[dict[str, Any]]:
    """Each configured source's health; `problem` is set when it is stale or its last run failed."""
    rows = {row["id"]: row for row in _health_rows(db, cfg, now)}
    out = []
    for source in cfg.sources:
        row = rows.get(source.id, {})
        failing = row.get("status") == "failed"
        stale = bool(row.get("stale"))
        never = not row  # enabled but never crawled: its job does not run or dies first
        out.append(
            {
                "id": source.id,
                "kind": source.kind,
                "enabled": source.enabled,
                "status": row.get("status") or "never crawled",
                "last_attempt": row.get("last_attempt"),
                "last_success": row.get("last_success"),
                "consecutive_failures": row.get("consecutive_failures") or 0,
                "last_error": row.get("last_error") or "",
                "stale": stale,
                "problem": source.enabled and (failing or stale or never),
            }
        )
    return out


def outbox_status(db: Database) -> dict[str, Any]:
    """Messages by state, the oldest one still waiting, and the failed ones with their errors."""
    states = {
        r["state"]: r["n"] for r in db.query("select state, count(*) n from outbox group by 1")
    }
    oldest = db.execute(
        "select min(created_at) from outbox where state in ('pending', 'sending')"
    ).fetchone()[0]
    failed = list(
        db.query(
            "select id, subject, attempts, last_error from outbox where state = 'failed' "
            "order by created_at limit 10"
        )
    )
    backlog = sum(states.get(s, 0) for s in ("pending", "sending"))
    return {"states": states, "backlog": backlog, "oldest_pending": oldest, "failed": failed}


def database_status(db: Database, path: Path) -> dict[str, Any]:
    """The database file's size on disk (with its WAL) and the row counts that matter."""
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    counts = {t: db.execute(f"select count(*) from [{t}]").fetchone()[0] for t in COUNTED_TABLES}
    return {"path": str(path), "size_bytes": size, "rows": counts}


def collect_status(db: Database, cfg: Config, now: datetime | None = None) -> dict[str, Any]:
    """Everything `ipwatch status` shows, as plain data; `ok` is False when any reason is found.

    `PRAGMA quick_check` runs first: on a damaged file the other sections may not be readable,
    and the report then says so instead of stopping with a database error.
    """
    moment = now or datetime.now(UTC)
    check = quick_check(db.conn)
    try:
        report: dict[str, Any] = {
            "time": moment.isoformat(timespec="seconds"),
            "jobs": job_status(db, cfg, moment),
            "sources": source_status(db, cfg, moment),
            "outbox": outbox_status(db),
            "database": database_status(db, cfg.path(cfg.database)),
        }
        report["database"]["quick_check"] = check
        report["reasons"] = find_reasons(db, cfg, report, moment)
    except sqlite3.Error as exc:
        if check == "ok":
            raise StoreError(
                f"database {cfg.path(cfg.database)}: cannot read status: {exc}"
            ) from exc
        report = unreadable_report(cfg, moment, check)
    report["problems"] = list(dict.fromkeys(r["target"] for r in report["reasons"]))
    report["ok"] = not report["reasons"]
    return report


def unreadable_report(cfg: Config, moment: datetime, check: str) -> dict[str, Any]:
    """The report of a database too damaged to read: only the damage, as the one reason."""
    path = cfg.path(cfg.database)
    return {
        "time": moment.isoformat(timespec="seconds"),
        "jobs": [],
        "sources": [],
        "outbox": {"states": {}, "backlog": 0, "oldest_pending": None, "failed": []},
        "database": {"path": str(path), "size_bytes": path.stat().st_size, "rows": {},
                     "quick_check": check},
        "reasons": [{"code": "database_corrupt", "target": "database_corrupt",
                     "message": f"quick_check: {check}"}],
    }  # fmt: skip


def _when(value: str | None) -> str:
    """A stored time in Beijing time, the zone of the schedule (stored times are UTC)."""
    moment = in_beijing(value)
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else (value or "—")[:19].replace("T", " ")


def format_status(report: dict[str, Any]) -> str:
    """The status report as aligned bilingual text for a terminal."""
    lines = [
        "== 任务 jobs（北京时间 Beijing time）==",
        f"  {'job':<14} {'last start':<19}  {'outcome':<8} next run",
    ]
    for job in report["jobs"]:
        last = job["last_run"] or {}
        lines.append(
            f"  {job['job']:<14} {_when(last.get('started')):<19}  "
            f"{last.get('outcome', 'never'):<8} {_when(job['next_run'])}"
        )
    lines += ["== 数据来源 sources ==", f"  {'source':<16} {'status':<14} {'last success':<19}"]
    for s in report["sources"]:
        mark = "  ← 异常 PROBLEM" if s["problem"] else ""
        stale = " (stale 过期)" if s["stale"] else ""
        lines.append(
            f"  {s['id']:<16} {s['status']:<14} {_when(s['last_success']):<19}{stale}{mark}"
        )
        if s["last_error"]:
            lines.append(f"      last_error: {s['last_error'][:160]}")
    box = report["outbox"]
    states = ", ".join(f"{k} {v}" for k, v in sorted(box["states"].items())) or "empty 空"
    lines += [
        "== 邮件 outbox ==",
        f"  {states}; backlog 待发 {box['backlog']}, oldest 最早 {_when(box['oldest_pending'])}",
    ]
    lines += [f"  failed 失败: {f['id']} — {f['last_error']}" for f in box["failed"]]
    db = report["database"]
    rows = ", ".join(f"{k} {v}" for k, v in db["rows"].items())
    lines += ["== 数据库 database ==", f"  {db['path']}: {db['size_bytes'] / 1e6:.1f} MB; {rows}"]
    verdict = "正常 OK" if report["ok"] else f"异常 PROBLEM: {', '.join(report['problems'])}"
    lines.append(f"== 结论 verdict: {verdict}")
    lines += [f"  - {r['code']}: {r['message']}" for r in report["reasons"]]
    return "\n".join(lines)
