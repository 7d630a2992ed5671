"""The scheduler: default jobs and cron rules, and a real bounded run against local HTTP feeds."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from ops_support import OPS_EXAMPLES, REPO, ipwatch, query, write_config
from pydantic import ValidationError
from pytest_httpserver import HTTPServer

from core.config import Config, ConfigError
from ipwatch.jobs import JobSpec, job_specs, make_trigger, next_run

SHANGHAI = ZoneInfo("Asia/Shanghai")
BUREAU = {"email": "desk@example.org", "phone": "0752-0000000"}


def _cfg(sources: list[dict[str, str]], jobs: dict[str, object] | None = None) -> Config:
    schedule = {"jobs": jobs} if jobs else {}
    return Config.model_validate({"sources": sources, "bureau": BUREAU, "schedule": schedule})


MIXED = [
    {"id": "pacer_txwd", "kind": "pacer_rss", "court": "txwd", "url": "http://127.0.0.1:1/a"},
    {"id": "pacer_ilnd", "kind": "pacer_rss", "court": "ilnd", "url": "http://127.0.0.1:1/b"},
    {"id": "fr_itc", "kind": "fr_itc", "url": "http://127.0.0.1:1/c"},
    {"id": "juve", "kind": "feed", "url": "http://127.0.0.1:1/d"},
    {"id": "edis", "kind": "edis", "url": "http://127.0.0.1:1/e", "enabled": False},
]


def test_default_jobs_follow_the_configured_sources(caplog: pytest.LogCaptureFixture) -> None:
    """Defaults group sources by kind; disabled sources and empty jobs are left out, and logged."""
    with caplog.at_level(logging.INFO, logger="ipwatch.schedule"):
        specs = job_specs(_cfg(MIXED))
    assert specs == [
        JobSpec("pacer", "*/15 * * * *", ("pacer_txwd", "pacer_ilnd")),
        JobSpec("itc", "0 7 * * *", ("fr_itc",)),
        JobSpec("news", "45 * * * *", ("juve",)),
        JobSpec("digest", "30 8 * * mon-fri", ()),
    ]
    assert "job courtlistener not scheduled: none of its sources is configured\n" in caplog.text


def test_next_runs_in_shanghai_time() -> None:
    """Next fire times: PACER on the quarter hour, ITC at 07:00, the digest skips the weekend."""
    specs = {s.name: s for s in job_specs(_cfg(MIXED))}
    friday = datetime(2026, 1, 9, 10, 7, tzinfo=SHANGHAI)
    assert next_run(specs["pacer"], "Asia/Shanghai", friday) == friday.replace(minute=15)
    assert next_run(specs["itc"], "Asia/Shanghai", friday) == datetime(
        2026, 1, 10, 7, 0, tzinfo=SHANGHAI
    )
    assert next_run(specs["digest"], "Asia/Shanghai", friday) == datetime(
        2026, 1, 12, 8, 30, tzinfo=SHANGHAI
    )


def test_configured_jobs_and_their_errors() -> None:
    """Config jobs replace the defaults; an unknown source or a bad cron names the key."""
    cfg = _cfg(MIXED, {"courts": {"cron": "*/5 * * * *", "sources": ["pacer_ilnd"]},
                       "all": {"cron": "0 * * * *"}})  # fmt: skip
    assert job_specs(cfg) == [
        JobSpec("courts", "*/5 * * * *", ("pacer_ilnd",)),
        JobSpec("all", "0 * * * *", ("pacer_txwd", "pacer_ilnd", "fr_itc", "juve")),
    ]
    # Issue 11: both are now refused when config.yaml is loaded, before any job is built.
    with pytest.raises(ValidationError, match=r"schedule.jobs.x.sources: unknown source\(s\) nope"):
        _cfg(MIXED, {"x": {"cron": "* * * * *", "sources": ["nope"]}})
    with pytest.raises(ValidationError, match=r"bad cron rule '61 \* \* \* \*'"):
        _cfg(MIXED, {"x": {"cron": "61 * * * *"}})
    with pytest.raises(ConfigError, match="expected 5 fields"):
        make_trigger("* *", "Asia/Shanghai")


def test_weekday_numbers_are_read_as_crontab_reads_them() -> None:
    """crontab counts from Sunday (0 or 7); the scheduler from Monday: "1-5" is Monday–Friday."""
    friday = datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI)  # Fri 4 Dec 2026, after 08:30
    trigger, fired = make_trigger("30 8 * * 1-5", "Asia/Shanghai"), []
    moment = friday
    for _ in range(5):
        moment = trigger.get_next_fire_time(None, moment)
        fired.append(moment.strftime("%a %d"))
        moment += timedelta(minutes=1)
    # Before: Sat 05, Tue 08 … (1 was read as Tuesday): no Monday digest, and one on Saturday.
    assert fired == ["Mon 07", "Tue 08", "Wed 09", "Thu 10", "Fri 11"]
    sunday = make_trigger("0 9 * * 0", "Asia/Shanghai").get_next_fire_time(None, friday)
    assert sunday.strftime("%a %d %H:%M") == "Sun 06 09:00"
    assert make_trigger("0 9 * * 7", "Asia/Shanghai").get_next_fire_time(None, friday) == sunday


def test_a_rule_that_never_fires_is_refused_naming_the_key() -> None:
    with pytest.raises(ValidationError, match=r"bad cron rule '0 0 30 2 \*': it never fires"):
        _cfg(MIXED, {"pacer": {"cron": "0 0 30 2 *"}})


def test_six_field_cron_has_seconds_and_argv_is_the_cli() -> None:
    """A leading seconds field allows short test intervals; jobs run the operator's commands."""
    start = datetime(2026, 1, 9, 10, 0, 1, tzinfo=SHANGHAI)
    trigger = make_trigger("*/2 * * * * *", "Asia/Shanghai")
    assert trigger.get_next_fire_time(None, start) == start.replace(second=2)
    run = JobSpec("pacer", "* * * * *", ("pacer_txwd",)).commands("/etc/ipwatch/config.yaml")
    assert run == [[sys.executable, "-m", "ipwatch", "run", "--json", "--config",
                    "/etc/ipwatch/config.yaml", "pacer_txwd"]]  # fmt: skip
    digest = JobSpec("digest", "* * * * *").commands("c.yaml")
    assert [argv[3:] for argv in digest] == [["digest", "--config", "c.yaml"],
                                             ["notify", "--config", "c.yaml"]]  # fmt: skip


def _scheduler_rows(db: Path) -> list[tuple[str, str, str, str, str]]:
    sql = "select job, started, finished, outcome, summary from runs where job != 'run' order by id"
    return query(db, sql)


def test_scheduler_runs_jobs_one_at_a_time_and_the_digest_once(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    """A real `ipwatch schedule` for ~12 s: PACER every 2 s, never overlapping; one digest."""
    feed = (OPS_EXAMPLES / "ecf.txwd.rss.xml").read_bytes()
    httpserver.expect_request("/robots.txt").respond_with_data("", content_type="text/plain")
    httpserver.expect_request("/ecf.txwd.rss.xml").respond_with_data(feed, content_type="text/xml")
    digest_second = (datetime.now().second + 8) % 60
    schedule = {"jobs": {"pacer": {"cron": "*/2 * * * * *", "sources": ["pacer_txwd"]},
                         "digest": {"cron": f"{digest_second} * * * * *"}}}  # fmt: skip
    config = write_config(tmp_path, base_url=httpserver.url_for("").rstrip("/"), schedule=schedule)
    db = tmp_path / "ipwatch.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ipwatch", "schedule", "--config", str(config), "--grace", "30"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 25
        while time.monotonic() < deadline:
            time.sleep(0.5)
            rows = _scheduler_rows(db) if db.exists() else []
            done = [r for r in rows if r[3] != "running"]
            if sum(r[0] == "pacer" for r in done) >= 3 and any(r[0] == "digest" for r in done):
                break
        second = ipwatch("schedule", "--config", str(config), timeout=30)
        status = ipwatch("status", "--json", "--config", str(config), timeout=30)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "received SIGTERM: no new jobs start" in err

    lock = tmp_path / "ipwatch.db.scheduler.lock"
    assert second.returncode == 1
    assert f"Error: another scheduler holds {lock} (pid {proc.pid})" in second.stderr

    rows = _scheduler_rows(db)
    assert [r for r in rows if r[3] == "running"] == [], "a job was left running"
    pacer = [r for r in rows if r[0] == "pacer"]
    assert len(pacer) >= 3
    first = json.loads(pacer[0][4])
    assert first["exit_code"] == 0 and first["counts"]["new_events"] == 38
    assert all(json.loads(r[4])["counts"]["new_events"] == 0 for r in pacer[1:])
    assert [r[3] for r in pacer] == ["ok"] * len(pacer)
    for earlier, later in zip(rows, rows[1:], strict=False):
        assert later[1] >= earlier[2], f"{later[0]} started before {earlier[0]} finished"

    digests = [r for r in rows if r[0] == "digest"]
    assert [(r[3], json.loads(r[4])["exit_code"]) for r in digests] == [("ok", 0)]
    mails = sorted(p.name for p in (tmp_path / "out" / "outbox").glob("digest*.eml"))
    assert len(mails) == 1, f"digest e-mailed {len(mails)} times: {mails}"

    log = [json.loads(line) for line in (tmp_path / "out" / "ipwatch.log").read_text().splitlines()]
    finished = [e for e in log if e["message"].startswith("job pacer finished")]
    assert finished and finished[0]["outcome"] == "ok" and finished[0]["exit_code"] == 0
    assert finished[0]["logger"] == "ipwatch.schedule" and finished[0]["pid"] == proc.pid

    report = json.loads(status.stdout)
    jobs = {j["job"]: j for j in report["jobs"]}
    assert jobs["pacer"]["last_run"]["outcome"] in ("ok", "running")
    assert jobs["pacer"]["cron"] == "*/2 * * * * *" and jobs["pacer"]["next_run"]
    assert status.returncode == 0, status.stderr


def test_stop_rule_escalates_from_grace_to_sigterm_to_sigkill(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job that ignores SIGTERM gets its grace time, then SIGTERM, then SIGKILL; nothing hangs."""
    import threading

    from core.config import load_config
    from ipwatch import schedule

    monkeypatch.setattr(schedule, "KILL_GRACE", 0.5)
    runner = schedule.JobRunner(load_config(write_config(tmp_path)), "unused")
    stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
    result: list[tuple[str, str, int]] = []
    worker = threading.Thread(
        target=lambda: result.append(runner._spawn([sys.executable, "-c", stubborn], {}))
    )
    worker.start()
    time.sleep(0.5)
    started = time.monotonic()
    runner.finish(grace=0.5)
    worker.join(10)
    assert result and result[0][2] == -signal.SIGKILL
    assert 0.9 < time.monotonic() - started < 5
