"""Operations test helpers: temp configs, real subprocesses, a local SMTP sink, DB views."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes
from pathlib import Path
from typing import Any

import yaml
from aiosmtpd.controller import Controller

TESTS = Path(__file__).parent
REPO = TESTS.parent
OPS_EXAMPLES = TESTS / "examples" / "ops"  # real PACER excerpts (txwd: TCL; txed: patent cases)
COURTS = ("txwd", "txed")


def write_config(
    folder: Path,
    courts: tuple[str, ...] = ("txwd",),
    base_url: str = "http://127.0.0.1:1",
    smtp_port: int | None = None,
    schedule: dict[str, Any] | None = None,
    **extra: Any,
) -> Path:
    """Write a config.yaml in `folder` whose database, logs and output all live in `folder`."""
    cfg: dict[str, Any] = {
        "database": "ipwatch.db",
        "registry": str(REPO / "data" / "exporters.csv"),
        "log_file": "out/ipwatch.log",
        "sources": [
            {"id": f"pacer_{c}", "kind": "pacer_rss", "court": c,
             "url": f"{base_url}/ecf.{c}.rss.xml"}
            for c in courts
        ],
        "crawl": {"user_agent": "ipwatch-test/0.1 (test@example.org)", "download_delay": 0,
                  "timeout": 5, "retries": 0},
        # Delivery is what these tests check: notices are signed off automatically (the shipped
        # default has no rule: an approver signs), and printed without a PDF copy.
        "alerts": {"out_dir": "out", "chromium": "",
                   "auto_signoff": [{"levels": ["red", "orange", "yellow"],
                                     "forums": ["usdc", "itc", "upc", "news"]}]},
        "bureau": {"email": "desk@example.org", "phone": "0752-0000000"},
        "analysts": ["analyst@example.org"],
        **extra,
    }  # fmt: skip
    if smtp_port:
        cfg["smtp"] = {"host": "127.0.0.1", "port": smtp_port, "security": "none",
                       "sender": "ipwatch <ipwatch@example.org>", "timeout": 5}  # fmt: skip
    if schedule:
        cfg["schedule"] = schedule
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return path


def samples(folder: Path, courts: tuple[str, ...] = ("txwd",)) -> Path:
    """Copy the recorded feeds of these courts into folder/samples (what `ipwatch demo` serves)."""
    target = folder / "samples"
    target.mkdir(exist_ok=True)
    for court in courts:
        shutil.copy(OPS_EXAMPLES / f"ecf.{court}.rss.xml", target)
    return target


def ipwatch(
    *args: str,
    env: dict[str, str] | None = None,
    preexec: Callable[[], None] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m ipwatch ARGS` in a real subprocess, as cron or systemd would."""
    return subprocess.run(
        [sys.executable, "-m", "ipwatch", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        preexec_fn=preexec,
        check=False,
    )


def query(db_path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of a read query on a database file (a fresh connection, closed at once)."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def snapshot(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The stored results that must survive any crash: ids and key values per table."""
    return {
        "events": query(db_path, "select id from events order by id"),
        "extracted": query(db_path, "select id from events where extracted_at is null"),
        "cases": query(db_path, "select id, case_name from cases order by id"),
        "parties": query(db_path, "select id from parties order by id"),
        "matches": query(db_path, "select id, level, company_id from matches order by id"),
        "notices": query(db_path, "select number, case_id, company_id from notices order by 1"),
        "outbox": query(db_path, "select id, kind from outbox order by id"),
    }


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpSink:
    """A real SMTP server on 127.0.0.1 that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        """Store the message and accept it."""
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self.controller.port)

    def message_ids(self) -> list[str]:
        """The Message-ID of every message received, in order, duplicates kept."""
        with self._lock:
            return [str(m["Message-ID"]) for m in self.messages]

    def subjects(self) -> list[str]:
        """The decoded subject of every message received, sorted."""
        from email.header import decode_header, make_header

        with self._lock:
            return sorted(str(make_header(decode_header(m["Subject"]))) for m in self.messages)


@contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    """Start an SmtpSink for the duration of the block."""
    sink = SmtpSink()
    sink.controller.start()
    try:
        yield sink
    finally:
        sink.controller.stop()


def in_fresh_process(target: Callable[..., None], *args: object) -> Any:
    """What `target(*args, queue)` puts on its queue, run in a new interpreter (spawned: no
    other thread runs there, so the code under test may fork)."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=target, args=(*args, queue))
    child.start()
    found = queue.get(timeout=300)
    child.join()
    return found
