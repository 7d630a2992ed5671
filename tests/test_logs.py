"""Logs: JSON lines with their fields, one set of handlers, progress bars only for people."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from ops_support import write_config

from core.config import load_config
from core.logs import HANDLER_TAG, QUIET_ENV, progress, setup_logging, show_progress


def test_json_lines_carry_extra_fields_and_setup_is_idempotent(tmp_path: Path) -> None:
    """Each record is one JSON object with the `extra` fields; a second setup adds no handler."""
    cfg = load_config(write_config(tmp_path))
    root = logging.getLogger()
    for earlier in [h for h in root.handlers if getattr(h, HANDLER_TAG, False)]:
        root.removeHandler(earlier)  # left by an in-process CLI test that set up logging
    before = len(root.handlers)
    setup_logging(cfg, quiet=True)
    log = setup_logging(cfg, quiet=True)
    assert len(root.handlers) == before + 2
    try:
        log.warning("source %s failed", "pacer_txwd", extra={"source": "pacer_txwd", "code": 500})
    finally:
        for handler in root.handlers[before:]:
            handler.close()
            root.removeHandler(handler)
    (line,) = (tmp_path / "out" / "ipwatch.log").read_text(encoding="utf-8").splitlines()
    entry = json.loads(line)
    assert entry["message"] == "source pacer_txwd failed"
    assert (entry["level"], entry["logger"]) == ("WARNING", "ipwatch")
    assert (entry["source"], entry["code"]) == ("pacer_txwd", 500)


def test_progress_is_silent_without_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under pytest/cron/the scheduler stderr is no terminal: items pass through, no bar."""
    assert list(progress(range(5), "events")) == [0, 1, 2, 3, 4]
    assert capsys.readouterr().err == ""
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert show_progress() is True
    monkeypatch.setenv(QUIET_ENV, "1")
    assert show_progress() is False, "the scheduler's children must stay quiet"


def test_a_scheduled_job_appends_and_follows_the_schedulers_rotation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the scheduler rotates; a job (FOLLOW_ENV) appends and reopens a rotated file."""
    import logging.handlers

    from core.logs import FOLLOW_ENV

    cfg = load_config(write_config(tmp_path))
    root = logging.getLogger()
    for earlier in [h for h in root.handlers if getattr(h, HANDLER_TAG, False)]:
        root.removeHandler(earlier)
    monkeypatch.setenv(FOLLOW_ENV, "1")
    log = setup_logging(cfg, quiet=True)
    path = tmp_path / "out" / "ipwatch.log"
    try:
        ours = [h for h in root.handlers if getattr(h, HANDLER_TAG, False)]
        [follower] = [h for h in ours if isinstance(h, logging.FileHandler)]
        assert type(follower) is logging.handlers.WatchedFileHandler
        log.warning("before the rotation")
        path.rename(path.with_suffix(".log.1"))  # the scheduler rotated the file
        log.warning("after the rotation")
    finally:
        for handler in [h for h in root.handlers if getattr(h, HANDLER_TAG, False)]:
            handler.close()
            root.removeHandler(handler)
    assert "before the rotation" in path.with_suffix(".log.1").read_text(encoding="utf-8")
    (line,) = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["message"] == "after the rotation"
    monkeypatch.delenv(FOLLOW_ENV)
    setup_logging(cfg, quiet=True)
    try:
        ours = [h for h in root.handlers if getattr(h, HANDLER_TAG, False)]
        rotating = [h for h in ours if isinstance(h, logging.FileHandler)]
        assert [type(h) for h in rotating] == [logging.handlers.RotatingFileHandler]
    finally:
        for handler in [h for h in root.handlers if getattr(h, HANDLER_TAG, False)]:
            handler.close()
            root.removeHandler(handler)
