"""File locks: one scheduler per database, serialised runs, and no stale lock after a SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from ops_support import query, write_config

from core.config import load_config
from core.lock import FileLock, LockHeld, holder_pid, lock_path, run_lock, scheduler_lock
from ipwatch.cli import cli

HOLD = "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); " \
       "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, f'{os.getpid()}\\n'.encode()); " \
       "print('held', flush=True); time.sleep(60)"  # fmt: skip


def test_second_holder_is_refused_with_path_and_pid(tmp_path: Path) -> None:
    """While one FileLock is held, another fails at once naming the file and the holder."""
    path = tmp_path / "x.lock"
    with FileLock(path, "scheduler") as first:
        assert first.held and holder_pid(path) == os.getpid()
        with pytest.raises(LockHeld) as info:
            FileLock(path, "scheduler").acquire()
        assert str(info.value) == f"another scheduler holds {path} (pid {os.getpid()})"
        assert holder_pid(path) == os.getpid(), "a refused attempt must not wipe the holder's pid"
    assert not first.held
    with FileLock(path, "scheduler"):  # released on exit, so it can be taken again
        pass


def test_lock_of_a_killed_process_is_free_again(tmp_path: Path) -> None:
    """The kernel drops a flock when its holder dies by SIGKILL: no stale lock after a crash."""
    path = tmp_path / "ipwatch.db.scheduler.lock"
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.readline() == b"held\n"
        with pytest.raises(LockHeld, match=rf"\(pid {child.pid}\)"):
            FileLock(path, "scheduler").acquire()
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        with FileLock(path, "scheduler") as lock:
            assert lock.held and holder_pid(path) == os.getpid()
    finally:
        child.kill()
        child.wait()


def test_run_lock_waits_for_the_running_cycle(tmp_path: Path) -> None:
    """A second cycle waits for the first to release the run lock, then proceeds."""
    cfg = load_config(write_config(tmp_path))
    assert lock_path(cfg, "run") == tmp_path / "ipwatch.db.run.lock"
    first = run_lock(cfg).acquire()
    threading.Timer(0.6, first.release).start()
    started = time.monotonic()
    with run_lock(cfg, wait=10) as second:
        waited = time.monotonic() - started
        assert second.held
    assert 0.4 < waited < 5
    with run_lock(cfg), pytest.raises(LockHeld, match="another run holds .*run.lock"):
        run_lock(cfg, wait=0.3).acquire()


def test_second_scheduler_exits_1_with_a_clear_error(tmp_path: Path) -> None:
    """`ipwatch schedule` on a database whose scheduler lock is held stops before any job."""
    config = write_config(tmp_path)
    cfg = load_config(config)
    with scheduler_lock(cfg):
        result = CliRunner().invoke(cli, ["schedule", "--config", str(config)])
    path = tmp_path / "ipwatch.db.scheduler.lock"
    assert result.exit_code == 1
    assert result.stderr == f"Error: another scheduler holds {path} (pid {os.getpid()})\n"
    runs = query(tmp_path / "ipwatch.db", "select count(*) from runs")
    assert runs == [(0,)], "a refused scheduler must not start any job"
