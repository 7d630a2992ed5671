"""A database on an unusable, read-only or full disk: clear errors, exit 1, nothing half-written."""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from ops_support import ipwatch, query, samples, snapshot, write_config

from ipwatch.cli import cli

FULL_AT = 64 * 1024  # bytes: smaller than the database after one cycle, so growth hits the wall


def _demo(folder: Path, **kw: object) -> subprocess.CompletedProcess[str]:
    return ipwatch("demo", "--config", str(folder / "config.yaml"), "--samples",
                   str(folder / "samples"), **kw)  # type: ignore[arg-type]  # fmt: skip


def _assert_clean_error(stderr: str, db: Path) -> None:
    assert "Traceback" not in stderr, stderr[-3000:]
    assert f"Error: database {db}" in stderr, stderr[-3000:]
    assert "Hint: check" in stderr and "writable" in stderr, stderr[-3000:]


@pytest.mark.parametrize("command", ["status", "prune", "schedule", "run"])
def test_database_folder_that_cannot_exist(tmp_path: Path, command: str) -> None:
    """A file where the database folder should be: every command names the database, exit 1."""
    (tmp_path / "blocker").write_text("not a folder")
    config = write_config(tmp_path, database="blocker/ipwatch.db")
    if command == "run":
        result = ipwatch("run", "--config", str(config))
        code, stderr = result.returncode, result.stderr
    else:
        outcome = CliRunner().invoke(cli, [command, "--config", str(config)])
        code, stderr = outcome.exit_code, outcome.stderr
    assert code == 1
    _assert_clean_error(stderr, tmp_path / "blocker" / "ipwatch.db")
    assert (tmp_path / "blocker").read_text() == "not a folder"


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make the folder and its files unwritable, for root too (the immutable attribute)."""
    paths = [folder, *folder.iterdir()]
    if os.geteuid() == 0:
        # root ignores permission bits; the immutable flag stops it like a read-only mount does
        subprocess.run(["chattr", "+i", *map(str, paths)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", *map(str, paths)], check=True)
    else:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)


def test_read_only_database_fails_cleanly_and_keeps_everything(tmp_path: Path) -> None:
    """With the database folder read-only, run/status/prune exit 1 naming it; data unchanged."""
    write_config(tmp_path)
    samples(tmp_path)
    assert _demo(tmp_path).returncode == 0
    db = tmp_path / "ipwatch.db"
    before = snapshot(db)
    (tmp_path / "out").rename(tmp_path / "out.kept")  # only the database folder is read-only
    store = tmp_path / "store"
    store.mkdir()
    db.rename(store / "ipwatch.db")
    write_config(tmp_path, database="store/ipwatch.db")
    with read_only(store):
        demo = _demo(tmp_path)
        status = CliRunner().invoke(cli, ["status", "--config", str(tmp_path / "config.yaml")])
        prune = CliRunner().invoke(cli, ["prune", "--config", str(tmp_path / "config.yaml")])
    for code, stderr in ((demo.returncode, demo.stderr), (status.exit_code, status.stderr),
                         (prune.exit_code, prune.stderr)):  # fmt: skip
        assert code == 1
        _assert_clean_error(stderr, store / "ipwatch.db")
    assert snapshot(store / "ipwatch.db") == before


def _full_disk() -> None:
    # In the child only: no file may grow past FULL_AT bytes, as on a disk with no space left.
    resource.setrlimit(resource.RLIMIT_FSIZE, (FULL_AT, FULL_AT))


def test_full_disk_mid_cycle_loses_nothing(tmp_path: Path) -> None:
    """A cycle that runs out of disk exits 1 with a clear error; after space returns, no loss."""
    reference = tmp_path / "reference"
    reference.mkdir()
    write_config(reference, courts=("txwd", "txed"))
    samples(reference, ("txwd", "txed"))
    assert _demo(reference).returncode == 0
    expected = snapshot(reference / "ipwatch.db")

    folder = tmp_path / "full"
    folder.mkdir()
    write_config(folder)
    samples(folder, ("txwd", "txed"))
    assert _demo(folder).returncode == 0
    db = folder / "ipwatch.db"
    before = snapshot(db)
    assert os.path.getsize(db) > FULL_AT and not Path(f"{db}-wal").exists()

    write_config(folder, courts=("txwd", "txed"))  # a new court: the cycle must grow the DB
    full = _demo(folder, preexec=_full_disk)
    assert full.returncode == 1
    assert "Traceback" not in full.stderr, full.stderr[-3000:]
    assert "database or disk is full" in full.stderr or "disk I/O error" in full.stderr
    assert query(db, "pragma integrity_check") == [("ok",)]
    during = snapshot(db)
    for table, rows in before.items():
        if table != "extracted":
            assert set(rows) <= set(during[table]), f"{table}: stored rows lost on a full disk"
    recovered = _demo(folder)
    assert recovered.returncode == 0, recovered.stderr[-3000:]
    assert snapshot(db) == expected, "after space returns the cycle must catch up completely"
    with sqlite3.connect(db) as conn:
        assert conn.execute(
            "select count(*) from events where extracted_at is null"
        ).fetchone() == (0,)
