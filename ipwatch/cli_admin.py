"""CLI commands for the operator: the scheduler, status for monitoring, and data retention."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from core.config import ConfigError
from core.lock import LockHeld, scheduler_lock
from core.store import StoreError, open_db
from ipwatch.cli_common import config_option, echo_json, emit, info, json_option, load, open_store

_DB_HINT = "\n  Hint: check that the folder is writable and the disk is not full."


@click.command()
@config_option
@click.option("--list", "list_only", is_flag=True, help="Print the jobs and next runs, then exit.")
@click.option(
    "--grace",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Seconds a running job may finish after SIGTERM/SIGINT before it is stopped.",
)
def schedule(config_path: str, list_only: bool, grace: float) -> None:
    """Run the jobs of config.yaml's schedule until SIGTERM/SIGINT (one scheduler per database).

    Each job runs `ipwatch run SOURCE...` (or `ipwatch digest`) as a subprocess, one at a
    time; each execution is recorded in the runs table and shown by `ipwatch status`.

    \b
    Example:
        ipwatch schedule --config /etc/ipwatch/config.yaml
        ipwatch schedule --list
    """
    from core.logs import setup_logging
    from ipwatch.jobs import job_specs, next_run
    from ipwatch.schedule import run_scheduler

    cfg = load(config_path)
    try:
        specs = job_specs(cfg)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if list_only:
        now = datetime.now(UTC)
        emit(
            (
                {
                    "job": s.name,
                    "cron": s.cron,
                    "next_run": str(next_run(s, cfg.schedule.timezone, now)),
                    "sources": " ".join(s.sources),
                }
                for s in specs
            ),
            None,
        )
        return
    open_store(cfg).close()  # migrations run now, and a bad disk stops us before any job
    lock = scheduler_lock(cfg)
    try:
        lock.acquire()
    except LockHeld as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"lock file {lock.path}: {exc}{_DB_HINT}") from None
    try:
        setup_logging(cfg, quiet=False)
        info(f"调度器启动 scheduler started: {len(specs)} jobs, timezone {cfg.schedule.timezone}")
        run_scheduler(cfg, config_path, grace)
    except (StoreError, ConfigError) as exc:
        hint = _DB_HINT if isinstance(exc, StoreError) else ""
        raise click.ClickException(f"{exc}{hint}") from None
    finally:
        lock.release()
    info("调度器已停止 scheduler stopped")


@click.command()
@config_option
@json_option
def status(config_path: str, as_json: bool) -> None:
    """Show jobs (last and next run), source health, outbox backlog and database size.

    Exit code 1 with a named reason (listed under the verdict; `--json` gives each one) when
    a message failed or is held, a job's last run ended in error, the registry cannot be read,
    an enabled source failed, is stale or never ran, the database fails `PRAGMA quick_check`
    or cannot be opened, or today's digest is overdue; 0 when all is well.

    \b
    Example:
        ipwatch status
        ipwatch status --json || echo "ipwatch needs attention"
    """
    from ipwatch.status import collect_status, format_status

    cfg = load(config_path)
    try:
        db = open_db(cfg.path(cfg.database))
    except StoreError as exc:
        # An empty, foreign or damaged database file is itself the answer to "is all well?".
        reason = {"code": "database_unreadable", "target": "database", "message": str(exc)}
        if as_json:
            broken = {"ok": False, "problems": ["database"], "reasons": [reason]}
            echo_json(broken)
        raise click.ClickException(
            f"{exc}{_DB_HINT}\n  异常 PROBLEM: database_unreadable"
        ) from None
    try:
        report = collect_status(db, cfg)
    except (StoreError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.close()
    if as_json:
        echo_json(report)
    else:
        click.echo(format_status(report))
    if not report["ok"]:
        info(f"需要处理 attention: {', '.join(report['problems'])} — see docs/operator.md")
        raise click.exceptions.Exit(1)


@click.command()
@config_option
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
def prune(config_path: str, dry_run: bool) -> None:
    """Delete extracted raw events older than event_retention_days (cases, matches, notices stay).

    \b
    Example:
        ipwatch prune --dry-run
    """
    from ipwatch.retention import prune_events, retention_report

    cfg = load(config_path)
    db = open_store(cfg)
    try:
        report = retention_report(db, cfg)
        deleted = 0 if dry_run else prune_events(db, cfg)
    except StoreError as exc:
        raise click.ClickException(f"{exc}{_DB_HINT}") from None
    finally:
        db.close()
    verb = "would delete 将删除" if dry_run else "deleted 已删除"
    info(
        f"{verb} {report.prunable if dry_run else deleted} of {report.total} events retrieved "
        f"before {report.cutoff} (retention {cfg.event_retention_days} days); "
        f"kept {report.kept_unextracted} old events not yet extracted 未处理事件保留"
    )


COMMANDS: list[click.Command] = [schedule, status, prune]
