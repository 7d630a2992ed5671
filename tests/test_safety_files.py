"""Findings 6 and 8 of issue 11: private files, refused database files, locks by real path,
and --release/--mark-sent only for held messages.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from ops_support import OPS_EXAMPLES, ipwatch, query, write_config
from pytest_httpserver import HTTPServer

from core.config import load_config
from core.lock import LockHeld, scheduler_lock

FEED = (OPS_EXAMPLES / "ecf.txwd.rss.xml").read_bytes()


def _serve(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/robots.txt").respond_with_data("")
    httpserver.expect_request("/ecf.txwd.rss.xml").respond_with_data(FEED, content_type="text/xml")
    return httpserver.url_for("").rstrip("/")


def _shell_umask() -> None:
    os.umask(0o022)  # what a login shell or cron usually has: files 0644, folders 0755


def test_everything_written_is_private(tmp_path: Path, httpserver: HTTPServer) -> None:
    """Run and digest under umask 022: database, notices, .eml, digests, logs, locks are 0600."""
    config = write_config(tmp_path, base_url=_serve(httpserver))
    mine = {config}
    run = ipwatch("run", "--config", str(config), preexec=_shell_umask)
    assert run.returncode == 0, run.stderr
    digest = ipwatch("digest", "--config", str(config), preexec=_shell_umask)
    assert digest.returncode == 0, digest.stderr
    written = [p for p in tmp_path.rglob("*") if p not in mine]
    kinds = {p.suffix for p in written if p.is_file()}
    assert {".db", ".eml", ".html", ".txt", ".log", ".lock", ".bin"} <= kinds, kinds
    stored = sorted(p.name.split("-")[0] for p in tmp_path.rglob("matcher-index/*.bin"))
    assert stored == ["index", "registry"], "the matcher index and the registry as packed"
    for path in written:
        mode = stat.S_IMODE(path.stat().st_mode)
        expected = 0o700 if path.is_dir() else 0o600
        assert mode == expected, f"{path.relative_to(tmp_path)} is {oct(mode)}"


def test_systemd_unit_sets_umask() -> None:
    """The service's own files (StateDirectory, LogsDirectory) are private too."""
    unit = (Path(__file__).parent.parent / "deploy" / "ipwatch.service").read_text("utf-8")
    assert "\nUMask=0077\n" in unit


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "is an empty file (0 bytes), not a database"),
        (b"PK\x03\x04 this is a zip file, not sqlite" * 100, "is not an SQLite database"),
    ],
)
def test_empty_or_foreign_database_file_is_refused(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    """A zero-byte or foreign file is never taken as a new database (no 〔2026〕第1号 again)."""
    config = write_config(tmp_path)
    db = tmp_path / "ipwatch.db"
    db.write_bytes(content)
    for command in ("run", "status", "notify"):
        result = ipwatch(command, "--config", str(config))
        assert result.returncode == 1, command
        assert problem in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert "restore it from a backup" in result.stderr
    assert db.read_bytes() == content, "the file is left exactly as it was"
    assert not (tmp_path / "out" / "notices").exists()


def test_locks_follow_the_real_database_file(tmp_path: Path) -> None:
    """A symlinked database path names the same scheduler lock: the second one is refused."""
    real = tmp_path / "data"
    real.mkdir()
    link = tmp_path / "alias"
    link.symlink_to(real, target_is_directory=True)
    first = load_config(write_config(real, database=str(real / "ipwatch.db")))
    (tmp_path / "other").mkdir()
    second = load_config(write_config(tmp_path / "other", database=str(link / "ipwatch.db")))
    with scheduler_lock(first):
        with pytest.raises(LockHeld, match="another scheduler holds"):
            scheduler_lock(second).acquire()


def test_release_and_mark_sent_refuse_a_sent_message(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    """--release on a sent message would send it again: refused, nothing delivered twice."""
    config = write_config(tmp_path, base_url=_serve(httpserver))
    assert ipwatch("run", "--config", str(config)).returncode == 0
    db = tmp_path / "ipwatch.db"
    (key, state), *_ = query(db, "select id, state from outbox where kind = 'warning'")
    assert state == "sent"
    before = sorted(p.name for p in (tmp_path / "out" / "outbox").iterdir())
    for flag in ("--release", "--mark-sent"):
        result = ipwatch("notify", "--config", str(config), flag, key)
        assert result.returncode == 1
        wanted = "held or failed" if flag == "--release" else "held"
        assert f"Error: {key}: is sent, not {wanted}; {flag} refused" in result.stderr
    assert query(db, "select state from outbox where id = ?", (key,)) == [("sent",)]
    assert sorted(p.name for p in (tmp_path / "out" / "outbox").iterdir()) == before


def test_new_database_appears_whole_and_private(tmp_path: Path) -> None:
    """Four threads open one new path at once: one database, 0600, no temporary files left."""
    from concurrent.futures import ThreadPoolExecutor

    from core.store import open_db

    path = tmp_path / "new" / "ipwatch.db"

    def schema(_: int) -> tuple[str, ...]:
        db = open_db(path)
        try:
            return tuple(sorted(db.table_names()))
        finally:
            db.close()

    with ThreadPoolExecutor(4) as pool:
        tables = set(pool.map(schema, range(4)))
    assert len(tables) == 1 and "runs" in next(iter(tables))  # the same full schema for all
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert sorted(p.name for p in path.parent.iterdir() if ".new-" in p.name) == []


def test_a_stored_file_is_replaced_whole_or_not_at_all(tmp_path: Path) -> None:
    from core.dbfile import write_private

    path = tmp_path / "store" / "index-1.bin"
    write_private(path, [b"old ", memoryview(b"version")])
    assert path.read_bytes() == b"old version"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700

    def failing() -> object:
        yield b"half of a new "
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_private(path, failing())  # type: ignore[arg-type]
    assert path.read_bytes() == b"old version", "the stored file is kept whole"
    assert [p.name for p in path.parent.iterdir()] == ["index-1.bin"], "no temporary file left"
