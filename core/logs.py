"""Logging for unattended months: JSON lines to a rotating file, short lines to stderr."""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import sys
from collections.abc import Generator, Iterable
from datetime import UTC, datetime
from typing import TypeVar

from core.config import Config

T = TypeVar("T")

MAX_BYTES = 5_000_000
BACKUPS = 10  # ten 5 MB files: months of history at a few lines per cycle, bounded on disk
QUIET_ENV = "IPWATCH_QUIET"  # set by the scheduler for its children: no progress bars
# Set by the scheduler for its jobs too: one process (the scheduler) rotates the log file; its
# jobs and their crawl processes only append, and reopen the file when it has been rotated.
# Each process rotating on its own spent two backup slots per rotation and split a cycle's lines.
FOLLOW_ENV = "IPWATCH_LOG_FOLLOW"
HANDLER_TAG = "_ipwatch_handler"
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any `extra=` fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as one line of JSON."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        # Fields passed with extra={...} (job, source, outcome, …) become searchable keys.
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def setup_logging(cfg: Config, quiet: bool = False) -> logging.Logger:
    """Log to cfg.log_file (rotating JSON lines) and to stderr; quiet keeps stderr to warnings."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, HANDLER_TAG, False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.INFO)
    path = cfg.path(cfg.log_file)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler: logging.Handler = (
            logging.handlers.WatchedFileHandler(path, encoding="utf-8")
            if os.environ.get(FOLLOW_ENV)
            else logging.handlers.RotatingFileHandler(
                path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
            )
        )
        file_handler.setFormatter(JsonLinesFormatter())
        _tag(root, file_handler)
    except OSError as exc:
        # A full or read-only log disk must not stop the warnings; stderr still gets everything.
        print(f"ipwatch: cannot write log file {path}: {exc}", file=sys.stderr)
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.WARNING if quiet else logging.INFO)
    stderr.addFilter(_not_file_only)
    stderr.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _tag(root, stderr)
    # Scrapy and APScheduler are chatty at INFO; their warnings still come through.
    for noisy in ("scrapy", "twisted", "apscheduler.executors", "filelock"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return logging.getLogger("ipwatch")


def to_file(name: str, message: str, level: int = logging.INFO, **fields: object) -> None:
    """Write one record to the log file only: the console already showed it to the operator."""
    record = logging.getLogger(name).makeRecord(
        name, level, "(cli)", 0, message, (), None, extra=fields or None
    )
    for handler in logging.getLogger().handlers:
        if getattr(handler, HANDLER_TAG, False) and isinstance(handler, logging.FileHandler):
            handler.handle(record)


def _not_file_only(record: logging.LogRecord) -> bool:
    """Records logged with extra={"file_only": True} (already shown otherwise) skip stderr."""
    return not getattr(record, "file_only", False)


def _tag(root: logging.Logger, handler: logging.Handler) -> None:
    setattr(handler, HANDLER_TAG, True)  # so a second setup replaces ours and keeps others'
    root.addHandler(handler)


def show_progress() -> bool:
    """True when a person watches: stderr is a terminal and no scheduler started us."""
    return sys.stderr.isatty() and not os.environ.get(QUIET_ENV)


def progress(
    iterable: Iterable[T], desc: str, total: int | None = None
) -> Generator[T, None, None]:
    """Iterate with a progress bar on an interactive terminal, silently everywhere else."""
    if not show_progress():
        yield from iterable
        return
    from tqdm import tqdm  # imported late: scheduled and test runs never need it

    yield from tqdm(iterable, desc=desc, total=total, unit="item", leave=False, file=sys.stderr)
