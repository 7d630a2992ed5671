"""`ipwatch status`: what an operator and a monitor see before and after a source fails."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from ops_support import OPS_EXAMPLES, ipwatch, write_config
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from core.config import load_config
from core.store import open_db
from ipwatch.cli import cli
from ipwatch.status import collect_status


def _status(config: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["status", "--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


def test_status_before_and_after_a_failing_source(tmp_path: Path, httpserver: HTTPServer) -> None:
    """A healthy crawl gives exit 0; after the feed answers 500 the source is flagged, exit 1."""
    feed = (OPS_EXAMPLES / "ecf.txwd.rss.xml").read_bytes()
    httpserver.expect_request("/robots.txt").respond_with_data("", content_type="text/plain")
    failing = False

    def court(request: Request) -> Response:
        if failing:
            return Response("Internal Server Error", status=500)
        return Response(feed, content_type="text/xml")

    httpserver.expect_request("/ecf.txwd.rss.xml").respond_with_handler(court)
    config = write_config(tmp_path, base_url=httpserver.url_for("").rstrip("/"))

    good = ipwatch("run", "--config", str(config))
    assert good.returncode == 0, good.stderr
    code, out, _ = _status(config, "--json")
    before = json.loads(out)
    assert code == 0 and before["ok"] is True and before["problems"] == []
    (source,) = before["sources"]
    assert (source["id"], source["status"], source["problem"]) == ("pacer_txwd", "ok", False)
    jobs = {j["job"]: j for j in before["jobs"]}
    assert jobs["pacer"]["sources"] == ["pacer_txwd"] and jobs["pacer"]["last_run"] is None
    assert jobs["pacer"]["next_run"].endswith("+08:00")  # computed from cron, Shanghai time
    assert jobs["run"]["last_run"]["outcome"] == "ok"
    assert jobs["run"]["last_run"]["counts"]["new_events"] == 38
    # The cycle wrote the TCL warning (.eml files, no SMTP configured): nothing is waiting.
    assert list(before["outbox"]["states"]) == ["sent"] and before["outbox"]["backlog"] == 0
    assert before["database"]["rows"]["outbox"] == before["outbox"]["states"]["sent"] >= 1
    assert before["database"]["rows"]["events"] == 38 and before["database"]["size_bytes"] > 0
    code, text, _ = _status(config)
    assert code == 0
    assert "pacer_txwd       ok" in text and "== 结论 verdict: 正常 OK" in text

    failing = True
    bad = ipwatch("run", "--config", str(config))
    assert bad.returncode == 1
    code, out, err = _status(config, "--json")
    after = json.loads(out)
    assert code == 1 and after["ok"] is False and after["problems"] == ["pacer_txwd"]
    (source,) = after["sources"]
    assert source["status"] == "failed" and source["problem"] is True
    assert "500" in source["last_error"]
    assert source["last_success"] == before["sources"][0]["last_success"]
    assert after["database"]["rows"]["events"] == 38, "a failing source must not lose events"
    assert "需要处理 attention: pacer_txwd" in err
    code, text, _ = _status(config)
    assert code == 1
    assert "pacer_txwd       failed" in text and "← 异常 PROBLEM" in text
    assert "last_error:" in text and "异常 PROBLEM: pacer_txwd" in text


def test_outbox_backlog_and_failures(tmp_path: Path) -> None:
    """Pending and sending messages are the backlog; failed ones are listed with their error."""
    config = write_config(tmp_path)
    cfg = load_config(config)
    db = open_db(cfg.path(cfg.database))
    rows = [
        ("a", "pending", "2026-01-02T01:00:00+00:00", ""),
        ("b", "pending", "2026-01-01T01:00:00+00:00", ""),
        ("c", "sending", "2026-01-03T01:00:00+00:00", ""),
        ("d", "failed", "2026-01-01T00:00:00+00:00", "SMTP 550 mailbox unavailable"),
        ("e", "sent", "2025-12-31T00:00:00+00:00", ""),
    ]
    db["outbox"].insert_all(
        [
            {"id": i, "kind": "warning", "state": s, "created_at": t, "subject": f"subject {i}",
             "attempts": 6 if s == "failed" else 1, "last_error": e}
            for i, s, t, e in rows
        ]
    )  # fmt: skip
    report = collect_status(db, cfg, now=datetime(2026, 1, 5, tzinfo=UTC))
    box = report["outbox"]
    assert box["states"] == {"pending": 2, "sending": 1, "failed": 1, "sent": 1}
    assert box["backlog"] == 3
    assert box["oldest_pending"] == "2026-01-01T01:00:00+00:00"
    assert box["failed"] == [
        {"id": "d", "subject": "subject d", "attempts": 6,
         "last_error": "SMTP 550 mailbox unavailable"}
    ]  # fmt: skip
    # Issue 11: an enabled source that never ran and a failed message are each a named reason.
    assert [(s["id"], s["status"], s["problem"]) for s in report["sources"]] == [
        ("pacer_txwd", "never crawled", True)
    ]
    assert report["ok"] is False
    assert [(r["code"], r["target"]) for r in report["reasons"]] == [
        ("messages_failed", "messages_failed"),
        ("source_problem", "pacer_txwd"),
    ]
    assert report["reasons"][0]["message"] == (
        "1 message(s) failed: d: SMTP 550 mailbox unavailable"
    )


def test_a_run_killed_without_a_word_is_a_reason_once_it_is_hours_old(tmp_path: Path) -> None:
    """kill -9 leaves the run row "running": after 3 hours status says so and exits 1."""
    cfg = load_config(write_config(tmp_path))
    db = open_db(cfg.path(cfg.database))
    db["runs"].insert({"job": "run", "started": "2026-01-05T08:00:00+00:00", "outcome": "running"})
    soon = collect_status(db, cfg, now=datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    assert "cycle_error" not in [r["code"] for r in soon["reasons"]], "may still be running"
    later = collect_status(db, cfg, now=datetime(2026, 1, 5, 11, 30, tzinfo=UTC))
    [stuck] = [r for r in later["reasons"] if r["code"] == "cycle_error"]
    assert stuck["message"] == (
        "last `run` run (2026-01-05T08:00:00+00:00) is still marked running: it was killed "
        "before it could record why (see log_file); the next run catches up"
    )
    assert later["ok"] is False


def test_sigterm_ends_a_cycle_as_an_exception_the_run_row_can_record() -> None:
    import os
    import signal

    from core.faults import terminated_as_exit

    with pytest.raises(SystemExit, match="stopped by signal SIGTERM"):
        with terminated_as_exit():
            os.kill(os.getpid(), signal.SIGTERM)
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_the_status_table_shows_every_time_in_beijing_time() -> None:
    from ipwatch.status import _when

    # A run stored in UTC and a next run computed in the schedule's zone read alike.
    assert _when("2026-12-02T14:32:12+00:00") == "2026-12-02 22:32:12"
    assert _when("2026-12-02T22:32:50+08:00") == "2026-12-02 22:32:50"
    assert (_when(None), _when("")) == ("—", "—")
