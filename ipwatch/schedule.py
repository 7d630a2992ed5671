"""`ipwatch schedule`: APScheduler runs each cycle and the digest as a subprocess on cron rules."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import threading
from datetime import UTC, datetime
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler

from core.config import Config
from core.logs import FOLLOW_ENV, QUIET_ENV
from core.store import StoreError, dumps, open_db
from ipwatch.jobs import JobSpec, job_specs, make_trigger

log = logging.getLogger("ipwatch.schedule")

STOP_GRACE = 60.0  # seconds a running job may still finish after SIGTERM/SIGINT
KILL_GRACE = 10.0  # seconds between SIGTERM and SIGKILL for a job that would not stop


def _stamp() -> str:
    # Milliseconds, so that back-to-back job runs are visibly ordered in the runs table.
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _record(cfg: Config, run_id: int | None, row: dict[str, object]) -> int | None:
    """Insert or update a runs row; a database error is logged, never fatal to the scheduler."""
    try:
        db = open_db(cfg.path(cfg.database))
        try:
            with db.atomic():
                if run_id is None:
                    new_id = db.table("runs").insert(row).last_pk
                    if new_id is None:
                        raise StoreError("runs: insert returned no row id")
                    return int(new_id)
                db.table("runs").update(run_id, row)
                return run_id
        finally:
            db.close()
    except Exception as exc:  # noqa: BLE001 - the scheduler must outlive a bad disk
        log.error("cannot record job run in the database: %s", exc, extra={"error": str(exc)})
        return run_id


def _counts(stdout: str) -> object:
    try:
        return json.loads(stdout) if stdout.strip() else {}
    except json.JSONDecodeError:
        return {"stdout": stdout.strip()[-2000:]}


class JobRunner:
    """Runs one job subprocess at a time and stops it safely when the scheduler is asked to stop."""

    def __init__(self, cfg: Config, config_path: str) -> None:
        self.cfg, self.config_path = cfg, config_path
        self.stopping = threading.Event()
        self._child: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    def run(self, spec: JobSpec) -> str:
        """Run the job's command, record start, end, outcome and counts; return the outcome."""
        if self.stopping.is_set():
            return "skipped"  # queued before the stop request; never start new work while stopping
        run_id = _record(
            self.cfg, None, {"job": spec.name, "started": _stamp(), "outcome": "running"}
        )
        log.info("job %s started", spec.name, extra={"job": spec.name})
        env = {**os.environ, QUIET_ENV: "1", FOLLOW_ENV: "1"}
        stdout, stderr, code = "", "", 0
        for argv in spec.commands(self.config_path):
            if code != 0 or self.stopping.is_set():
                break  # a failed step stops the job; a stop request lets no further step start
            try:
                stdout, stderr, code = self._spawn(argv, env)
            except OSError as exc:  # e.g. the venv was removed during an upgrade
                stdout, stderr, code = "", f"cannot start {argv[0]}: {exc}", -1
        outcome = "ok" if code == 0 else "failed" if code == 1 else "error"
        summary = {"exit_code": code, "counts": _counts(stdout), "stderr": stderr.strip()[-2000:]}
        _record(
            self.cfg, run_id, {"finished": _stamp(), "outcome": outcome, "summary": dumps(summary)}
        )
        level = logging.INFO if outcome == "ok" else logging.WARNING
        log.log(
            level,
            "job %s finished: %s (exit %s)",
            spec.name,
            outcome,
            code,
            extra={"job": spec.name, "outcome": outcome, "exit_code": code},
        )
        return outcome

    def _spawn(self, argv: list[str], env: dict[str, str]) -> tuple[str, str, int]:
        with self._lock:
            # A new session: Ctrl-C at the terminal reaches the scheduler only, and we stop the
            # child's whole process group (it has a scrapy grandchild) according to the rule.
            child = subprocess.Popen(
                argv,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                start_new_session=True,
            )
            self._child = child
        try:
            stdout, stderr = child.communicate()
        finally:
            with self._lock:
                self._child = None
        return stdout, stderr, child.returncode

    def finish(self, grace: float = STOP_GRACE) -> None:
        """Let the running child finish within `grace` seconds, then SIGTERM, then SIGKILL it."""
        with self._lock:
            child = self._child
        if child is None:
            return
        log.warning("stopping: waiting up to %.0f s for the running job to finish", grace)
        for sig, wait in ((None, grace), (signal.SIGTERM, KILL_GRACE), (signal.SIGKILL, None)):
            if sig is not None:
                log.warning("stopping: sending %s to the running job", sig.name)
                try:
                    os.killpg(child.pid, sig)
                except ProcessLookupError:
                    return
            try:
                child.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


def build_scheduler(cfg: Config, runner: JobRunner, specs: list[JobSpec]) -> BlockingScheduler:
    """A BlockingScheduler with one serial worker and one cron job per spec."""
    scheduler = BlockingScheduler(
        timezone=cfg.schedule.timezone,
        # One worker: jobs never overlap, so two cycles never crawl or write at the same time.
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={
            "coalesce": True,  # after downtime, one catch-up run instead of a burst
            "max_instances": 1,
            "misfire_grace_time": cfg.schedule.misfire_grace_seconds,
        },
    )
    for spec in specs:
        scheduler.add_job(
            runner.run,
            make_trigger(spec.cron, cfg.schedule.timezone),
            args=[spec],
            id=spec.name,
            name=spec.name,
        )
    return scheduler


def mark_abandoned(cfg: Config, names: list[str]) -> int:
    """Mark job runs left 'running' by a scheduler that died as 'error' (we hold the lock now)."""
    db = open_db(cfg.path(cfg.database))
    try:
        with db.atomic():
            cur = db.execute(
                f"update runs set outcome = 'error', finished = ?, summary = ? "
                f"where outcome = 'running' and job in ({', '.join('?' * len(names))})",
                [
                    _stamp(),
                    dumps({"error": "abandoned: the scheduler stopped during this job"}),
                    *names,
                ],
            )
        return cur.rowcount
    finally:
        db.close()


def run_scheduler(cfg: Config, config_path: str, grace: float = STOP_GRACE) -> list[JobSpec]:
    """Schedule the jobs and block until SIGTERM/SIGINT; the caller holds the scheduler lock."""
    specs = job_specs(cfg)
    mark_abandoned(cfg, [s.name for s in specs])
    runner = JobRunner(cfg, os.path.abspath(config_path))
    scheduler = build_scheduler(cfg, runner, specs)

    def _stop(signum: int, frame: FrameType | None) -> None:
        log.warning("received %s: no new jobs start", signal.Signals(signum).name)
        runner.stopping.set()
        scheduler.shutdown(wait=False)

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for spec in specs:
            log.info(
                "job %s scheduled: %s %s",
                spec.name,
                spec.cron,
                " ".join(spec.sources),
                extra={"job": spec.name, "cron": spec.cron},
            )
        scheduler.start()
        runner.finish(grace)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("scheduler stopped")
    return specs
