"""Advisory file locks: one scheduler per database, and `ipwatch run` cycles one at a time.

The locks are `fcntl.flock` locks on files next to the database, so the kernel releases them when
the holder dies, even by SIGKILL: a crashed scheduler never leaves a stale lock behind. The pid
written into the file is only for the error message.

Rules (see docs/operator.md):
- `<database>.scheduler.lock`: taken without waiting; a second `ipwatch schedule` on the same
  database exits 1 with "another scheduler holds <path> (pid N)".
- `<database>.run.lock`: a cycle (`ipwatch run`, `ipwatch demo`) waits for the running one to
  finish (up to RUN_LOCK_WAIT seconds), so a manual run during a scheduled crawl serialises
  instead of crawling the same feeds twice; after the wait it exits 1 naming the holder.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from core.config import Config

RUN_LOCK_WAIT = 1800.0  # seconds; longer than any normal cycle, shorter than the PACER 24 h window
_POLL = 0.2  # flock has no timeout of its own; we retry the non-blocking call at this interval


class LockHeld(Exception):
    """Another process holds the lock; the message names the lock file and the holder's pid."""

    def __init__(self, path: Path, pid: int | None, what: str) -> None:
        holder = f"pid {pid}" if pid else "pid unknown"
        super().__init__(f"another {what} holds {path} ({holder})")
        self.path, self.pid = path, pid


class FileLock:
    """An exclusive flock on `path`, usable as a context manager."""

    def __init__(self, path: Path, what: str, wait: float = 0.0) -> None:
        self.path, self.what, self.wait = Path(path), what, wait
        self._fd: int | None = None

    def acquire(self) -> FileLock:
        """Take the lock, waiting up to `wait` seconds; raise LockHeld when it stays taken."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    pid = holder_pid(self.path)
                    os.close(fd)
                    raise LockHeld(self.path, pid, self.what) from None
                time.sleep(_POLL)
        # Truncate only after we own the lock, so the holder's pid is never wiped by a loser.
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        """Give the lock back (closing the descriptor releases the flock)."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        """True while this object owns the lock."""
        return self._fd is not None

    def __enter__(self) -> FileLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def holder_pid(path: Path) -> int | None:
    """The pid recorded in a lock file, or None when it is empty or unreadable."""
    try:
        text = Path(path).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def lock_path(cfg: Config, kind: str) -> Path:
    """The lock file of one kind ("scheduler" or "run") beside the database's real file.

    Keyed by the real path, so a symlink or a relative path to the same database file names
    the same lock and two schedulers can never run on one database.
    """
    db = Path(os.path.realpath(cfg.path(cfg.database)))
    return db.with_name(f"{db.name}.{kind}.lock")


def scheduler_lock(cfg: Config) -> FileLock:
    """The lock that allows one `ipwatch schedule` per database (never waits)."""
    return FileLock(lock_path(cfg, "scheduler"), "scheduler", wait=0.0)


def run_lock(cfg: Config, wait: float = RUN_LOCK_WAIT) -> FileLock:
    """The lock that serialises cycles on one database (waits for the running cycle)."""
    return FileLock(lock_path(cfg, "run"), "run", wait=wait)
