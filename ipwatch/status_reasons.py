"""Why `ipwatch status` is not OK: one named reason per thing that needs a person.

Each reason is {"code", "target", "message"}; the verdict is OK only when there is none, so a
monitor that alerts on exit 1 sees every failure a person would otherwise have to find:

- source_problem  an enabled source failed, is stale, or was never crawled
- messages_failed a warning or digest email failed for good (e.g. SMTP 535 login refused)
- messages_held   a message may or may not have reached the mail server: --release/--mark-sent
- registry_error  the last run of a job stopped because the registry cannot be read
- cycle_error     the last run of a job ended in error (a crash, a database error)
- database_corrupt `PRAGMA quick_check` found damage
- digest_missing  today is a digest day, its time has passed, and no digest was written
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from alerts.digest import digest_key, digest_paths
from core.config import Config
from ipwatch.jobs import DIGEST_JOB, job_specs, make_trigger

# How long after the digest job's time a missing digest counts: the job's misfire grace plus
# a margin for a slow cycle holding the run lock.
DIGEST_MARGIN = timedelta(minutes=30)
SHOWN_MESSAGES = 5  # keys named per reason; the rest are counted
# A run row still "running" this long after it started was killed (a cycle takes minutes).
STUCK_RUN = timedelta(hours=3)


def _reason(code: str, target: str, message: str) -> dict[str, str]:
    return {"code": code, "target": target, "message": message}


def _listed(items: list[str]) -> str:
    more = f" (+{len(items) - SHOWN_MESSAGES} more)" if len(items) > SHOWN_MESSAGES else ""
    return "; ".join(items[:SHOWN_MESSAGES]) + more


def source_reasons(sources: list[dict[str, Any]]) -> list[dict[str, str]]:
    """A reason per enabled source that failed, is stale or was never crawled."""
    found = []
    for s in sources:
        if not s["problem"]:
            continue
        if s["status"] == "never crawled":
            what = "enabled but never crawled (is its job scheduled?)"
        elif s["status"] == "failed":
            what = f"last crawl failed: {s['last_error'][:200]}"
        else:
            what = f"stale: no fresh data since {s['last_success'] or 'never'}"
        found.append(_reason("source_problem", s["id"], f"{s['id']}: {what}"))
    return found


def outbox_reasons(db: Database) -> list[dict[str, str]]:
    """A reason for failed messages and one for held messages, naming their keys."""
    found = []
    sql = "select id, last_error, message_id from outbox where state = ? order by created_at, id"
    failed = [f"{r['id']}: {(r['last_error'] or '')[:160]}" for r in db.query(sql, ["failed"])]
    if failed:
        message = f"{len(failed)} message(s) failed: {_listed(failed)}"
        found.append(_reason("messages_failed", "messages_failed", message))
    held = [f"{r['id']} ({r['message_id']})" for r in db.query(sql, ["held"])]
    if held:
        message = (
            f"{len(held)} message(s) held, check the mail log then `ipwatch notify --release "
            f"KEY` or `--mark-sent KEY`: {_listed(held)}"
        )
        found.append(_reason("messages_held", "messages_held", message))
    return found


def run_reasons(db: Database, now: datetime | None = None) -> list[dict[str, str]]:
    """A reason per job whose last run ended in error, or still says "running" long after any
    cycle ends (killed with no chance to record it); a registry error is named as such."""
    sql = """select job, started, error from runs r where outcome = 'error'
             and id = (select max(id) from runs where job = r.job) order by job"""
    found = []
    since = ((now or datetime.now(UTC)) - STUCK_RUN).isoformat()
    stuck = """select job, started from runs r where outcome = 'running' and started < ?
               and id = (select max(id) from runs where job = r.job) order by job"""
    for row in db.query(stuck, [since]):
        message = (
            f"last `{row['job']}` run ({row['started']}) is still marked running: it was "
            "killed before it could record why (see log_file); the next run catches up"
        )
        found.append(_reason("cycle_error", "cycle_error", message))
    for row in db.query(sql):
        error = row["error"] or "ended in error (see log_file)"
        if error.startswith("registry:"):
            found.append(_reason("registry_error", "registry_error", error[:300]))
        else:
            message = f"last `{row['job']}` run ({row['started']}) ended in error: {error[:300]}"
            found.append(_reason("cycle_error", "cycle_error", message))
    return found


def digest_reason(db: Database, cfg: Config, now: datetime) -> dict[str, str] | None:
    """A reason when today's digest time (plus grace) has passed and no digest was written."""
    spec = next((s for s in job_specs(cfg) if s.name == DIGEST_JOB), None)
    if spec is None:
        return None
    zone = ZoneInfo(cfg.schedule.timezone)
    midnight = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    fire = make_trigger(spec.cron, cfg.schedule.timezone).get_next_fire_time(None, midnight)
    grace = timedelta(seconds=cfg.schedule.misfire_grace_seconds) + DIGEST_MARGIN
    if fire is None or fire.date() != midnight.date() or now < fire + grace:
        return None  # not a digest day (the cron rule says which), or not yet due
    day = now.astimezone(ZoneInfo(cfg.timezone)).date()
    html_path, _ = digest_paths(cfg, day)
    queued = db.execute("select 1 from outbox where id = ?", [digest_key(day)]).fetchone()
    if html_path.exists() or queued:
        return None
    message = f"no digest for {day.isoformat()} although the digest job was due at {fire:%H:%M}"
    return _reason("digest_missing", "digest_missing", message)


def find_reasons(
    db: Database, cfg: Config, report: dict[str, Any], now: datetime
) -> list[dict[str, str]]:
    """Every reason the status is not OK, in the order a person should look at them."""
    found: list[dict[str, str]] = []
    check = report["database"]["quick_check"]
    if check != "ok":
        found.append(_reason("database_corrupt", "database_corrupt", f"quick_check: {check}"))
    found += run_reasons(db, now)
    found += outbox_reasons(db)
    found += source_reasons(report["sources"])
    digest = digest_reason(db, cfg, now)
    return found + ([digest] if digest else [])
