"""Retention: old extracted events go; unextracted events and every derived table stay."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import time_machine
from click.testing import CliRunner
from ops_support import query, write_config

from core.config import load_config
from core.store import open_db
from ipwatch.cli import cli
from ipwatch.retention import cutoff_for, prune_events, retention_report

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
# (id, retrieved_at, published, extracted_at); retention is 30 days, so the cutoff is 2026-05-02.
EVENTS = [
    ("old-done", "2026-04-01T08:00:00+00:00", "2026-04-01T07:00:00+00:00", "2026-04-01T09:00:00"),
    ("old-pending", "2026-04-01T08:00:00+00:00", "2026-04-01T07:00:00+00:00", None),
    ("new-done", "2026-05-20T08:00:00+00:00", "2026-05-20T07:00:00+00:00", "2026-05-20T09:00:00"),
    ("old-no-stamp", "", "2026-03-01T10:00:00-05:00", "2026-03-02T00:00:00"),
    ("edge-kept", "2026-05-02T12:00:00+00:00", "", "2026-05-02T13:00:00"),
]


def _seed(tmp_path: Path) -> Path:
    config = write_config(tmp_path, event_retention_days=30)
    db = open_db(load_config(config).path("ipwatch.db"))
    db["events"].insert_all(
        [
            {"id": i, "source": "pacer_txwd", "case_id": "usdc:txwd:6:22-cv-00217",
             "retrieved_at": r, "published": p, "extracted_at": x}
            for i, r, p, x in EVENTS
        ]
    )  # fmt: skip
    db["cases"].insert({"id": "usdc:txwd:6:22-cv-00217", "case_name": "ARIGNA v. TCL"})
    db["matches"].insert({"id": "m1", "case_id": "usdc:txwd:6:22-cv-00217", "level": "entity"})
    db["notices"].insert({"id": "n1", "year": 2026, "seq": 1, "number": "〔2026〕第1号"})
    db["outbox"].insert({"id": "o1", "kind": "warning", "event_id": "old-done", "state": "sent"})
    db.close()
    return config


def test_prune_deletes_only_old_extracted_events(tmp_path: Path) -> None:
    """Old extracted events go; unextracted, recent and borderline ones and derived rows stay."""
    config = _seed(tmp_path)
    cfg = load_config(config)
    db = open_db(cfg.path(cfg.database))
    assert cutoff_for(cfg, NOW) == "2026-05-02T12:00:00+00:00"
    report = retention_report(db, cfg, NOW)
    assert (report.prunable, report.kept_unextracted, report.total) == (2, 1, 5)
    assert prune_events(db, cfg, NOW) == 2
    left = [r[0] for r in db.execute("select id from events order by id").fetchall()]
    assert left == ["edge-kept", "new-done", "old-pending"]
    for table in ("cases", "matches", "notices", "outbox"):
        assert db[table].count == 1, f"{table} must be kept"
    assert prune_events(db, cfg, NOW) == 0, "a second prune finds nothing more"


def test_cli_prune_dry_run_then_prune(tmp_path: Path) -> None:
    """`ipwatch prune --dry-run` only counts; `ipwatch prune` deletes and says what it kept."""
    config = _seed(tmp_path)
    db_path = tmp_path / "ipwatch.db"
    runner = CliRunner()
    with time_machine.travel(NOW, tick=False):
        dry = runner.invoke(cli, ["prune", "--dry-run", "--config", str(config)])
        assert dry.exit_code == 0, dry.output
        assert (
            "would delete 将删除 2 of 5 events retrieved before 2026-05-02T12:00:00" in dry.stderr
        )
        assert "kept 1 old events not yet extracted" in dry.stderr
        assert query(db_path, "select count(*) from events") == [(5,)]
        done = runner.invoke(cli, ["prune", "--config", str(config)])
    assert done.exit_code == 0, done.output
    assert "deleted 已删除 2 of 5 events" in done.stderr
    left = query(db_path, "select id from events order by id")
    assert left == [("edge-kept",), ("new-done",), ("old-pending",)]
