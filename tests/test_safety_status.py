"""Finding 4 of issue 11: `ipwatch status` and `ipwatch run` tell the truth.

Real subprocesses, a real local court feed and a real SMTP server: status exits 1 with the
right named reason for a refused SMTP login, a held message, a registry that crashes the
cycle and a damaged database file, and 0 when all is well.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from ops_support import OPS_EXAMPLES, REPO, SmtpSink, ipwatch, query, smtp_sink, write_config
from pytest_httpserver import HTTPServer
from smtp_support import PASSWORD, PASSWORD_ENV, USER, Recorder, start

from alerts.digest import digest_paths
from core.config import load_config
from core.store import open_db
from ipwatch.status import collect_status

FEED = (OPS_EXAMPLES / "ecf.txwd.rss.xml").read_bytes()


def _status(config: Path) -> tuple[int, dict, str]:
    result = ipwatch("status", "--json", "--config", str(config))
    return result.returncode, json.loads(result.stdout), result.stderr


def _codes(report: dict) -> list[tuple[str, str]]:
    return [(r["code"], r["target"]) for r in report["reasons"]]


@pytest.fixture
def feed(httpserver: HTTPServer) -> str:
    """A court feed on 127.0.0.1 (the real W.D. Tex. excerpt with the TCL case)."""
    httpserver.expect_request("/robots.txt").respond_with_data("")
    httpserver.expect_request("/ecf.txwd.rss.xml").respond_with_data(FEED, content_type="text/xml")
    return httpserver.url_for("").rstrip("/")


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    """An SMTP server that accepts everything."""
    with smtp_sink() as server:
        yield server


def test_all_well_is_exit_0_and_a_refused_smtp_login_is_exit_1(
    tmp_path: Path, feed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SMTP 535: `run` exits 1 naming the failure; status names messages_failed, exit 1."""
    handler = Recorder()
    controller, port = start(handler)
    try:
        good = write_config(tmp_path, base_url=feed)
        run = ipwatch("run", "--config", str(good))
        assert run.returncode == 0, run.stderr
        code, report, _ = _status(good)
        assert (code, report["ok"], report["reasons"]) == (0, True, [])
        assert report["database"]["quick_check"] == "ok"

        smtp = {"host": "127.0.0.1", "port": port, "security": "none", "user": USER,
                "password_env": PASSWORD_ENV, "sender": "ipwatch <ipwatch@example.org>",
                "timeout": 5}  # fmt: skip
        write_config(tmp_path, base_url=feed, smtp=smtp)
        db = tmp_path / "ipwatch.db"
        # The digest email is queued now and delivered by the run with the wrong password.
        digest = ipwatch("digest", "--config", str(good), env={PASSWORD_ENV: "wrong-" + PASSWORD})
        assert digest.returncode == 0, digest.stderr
        run = ipwatch("run", "--config", str(good), env={PASSWORD_ENV: "wrong-" + PASSWORD})
        assert run.returncode == 1
        assert "投递失败 1 message(s) failed" in run.stderr
        assert handler.messages == [] and handler.logins == []
        (key, error), *_ = query(db, "select id, last_error from outbox where state = 'failed'")
        assert error.startswith("SMTP login refused: 535")
        code, report, err = _status(good)
        assert code == 1 and _codes(report) == [("messages_failed", "messages_failed")]
        assert report["reasons"][0]["message"].startswith(
            f"1 message(s) failed: {key}: SMTP login refused: 535"
        )
        assert "需要处理 attention: messages_failed" in err
    finally:
        controller.stop()


def test_held_message_fails_run_and_status(tmp_path: Path, feed: str, sink: SmtpSink) -> None:
    """A message a crash left mid-DATA is held: run exits 1 naming it; status messages_held."""
    config = write_config(tmp_path, base_url=feed)
    assert ipwatch("run", "--config", str(config)).returncode == 0
    db = tmp_path / "ipwatch.db"
    (key, message_id), *_ = query(db, "select id, message_id from outbox where kind = 'warning'")
    # What a SIGKILL during SMTP DATA leaves behind (see test_crash.py for the real kill).
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "update outbox set state = 'sending', handed_at = '2026-01-05T01:00:00+00:00', "
            "eml_path = '' where id = ?",
            (key,),
        )
    conn.close()
    write_config(tmp_path, base_url=feed, smtp_port=sink.port)
    run = ipwatch("run", "--config", str(config))
    assert run.returncode == 1
    assert f"待处理 held (notify --release/--mark-sent): {key} ({message_id})" in run.stderr
    assert f"待处理 1 message(s) held: {key} ({message_id})" in run.stderr
    assert sink.message_ids() == []
    code, report, _ = _status(config)
    assert code == 1 and _codes(report) == [("messages_held", "messages_held")]
    assert f"{key} ({message_id})" in report["reasons"][0]["message"]


def test_registry_error_stops_the_cycle_and_status(
    tmp_path: Path, feed: str, httpserver: HTTPServer
) -> None:
    """A UTF-16 registry: run exits 1 before crawling, the run row says why, status names it."""
    registry = tmp_path / "exporters.csv"
    registry.write_bytes((REPO / "data" / "exporters.csv").read_text("utf-8").encode("utf-16"))
    config = write_config(tmp_path, base_url=feed, registry=str(registry))
    # Today's digest exists, so the only reasons are the ones this test is about.
    assert ipwatch("digest", "--config", str(config)).returncode == 0
    run = ipwatch("run", "--config", str(config))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "UTF-16" in run.stderr and "CSV UTF-8" in run.stderr
    assert "(cycle stopped before crawling)" in run.stderr
    assert [r.path for r, _ in httpserver.log] == []  # nothing was crawled
    ((outcome, error),) = query(tmp_path / "ipwatch.db", "select outcome, error from runs")
    assert outcome == "error" and error.startswith("registry: ") and "UTF-16" in error
    code, report, _ = _status(config)
    assert code == 1
    assert _codes(report) == [
        ("registry_error", "registry_error"),
        ("source_problem", "pacer_txwd"),
    ]
    assert report["reasons"][1]["message"] == (
        "pacer_txwd: enabled but never crawled (is its job scheduled?)"
    )
    log = (tmp_path / "out" / "ipwatch.log").read_text("utf-8")
    assert "UTF-16" in log and "cycle stopped before crawling" in log, "logged to log_file too"


def test_damaged_database_is_named(tmp_path: Path, feed: str) -> None:
    """Flipped bytes in the events table: quick_check fails and status says database_corrupt."""
    config = write_config(tmp_path, base_url=feed)
    assert ipwatch("run", "--config", str(config)).returncode == 0
    db = tmp_path / "ipwatch.db"
    ((root, page_size),) = query(
        db,
        "select rootpage, (select page_size from pragma_page_size) from sqlite_master "
        "where name = 'events'",
    )
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    data = bytearray(db.read_bytes())
    start = (root - 1) * page_size
    data[start : start + 12] = b"\xff" * 12  # the b-tree page header: type, cells, offsets
    db.write_bytes(bytes(data))
    code, report, err = _status(config)
    assert code == 1 and _codes(report) == [("database_corrupt", "database_corrupt")]
    assert report["database"]["quick_check"] != "ok"
    assert report["reasons"][0]["message"].startswith("quick_check: ")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("now", "missing"),
    [
        (datetime(2026, 1, 5, 1, 45, tzinfo=UTC), True),  # Monday 09:45 Shanghai: 08:30 + 40 min
        (datetime(2026, 1, 5, 1, 5, tzinfo=UTC), False),  # Monday 09:05: still within grace
        (datetime(2026, 1, 4, 6, 0, tzinfo=UTC), False),  # Sunday: the rule is mon-fri
    ],
)
def test_digest_overdue_on_a_working_day(tmp_path: Path, now: datetime, missing: bool) -> None:
    """The default digest job (08:30 Mon–Fri, Shanghai) plus 40 minutes' grace, then missing."""
    cfg = load_config(write_config(tmp_path))
    db = open_db(cfg.path(cfg.database))
    codes = [r["code"] for r in collect_status(db, cfg, now=now)["reasons"]]
    assert ("digest_missing" in codes) is missing
    if missing:
        html, _ = digest_paths(cfg, date(2026, 1, 5))
        html.parent.mkdir(parents=True)
        html.write_text("written", encoding="utf-8")
        codes = [r["code"] for r in collect_status(db, cfg, now=now)["reasons"]]
        assert "digest_missing" not in codes
