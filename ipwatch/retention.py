"""Data retention: raw events age out; cases, parties, matches, notices and the outbox stay."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from core.config import Config
from core.store import StoreError

log = logging.getLogger("ipwatch.retention")

# An event's age counts from when we retrieved it; events stored without that stamp fall back to
# their publication date. julianday() understands both ISO forms with a UTC offset.
_AGE = "julianday(coalesce(nullif(retrieved_at, ''), published))"
_PRUNABLE = f"extracted_at is not null and extracted_at != '' and {_AGE} < julianday(:cutoff)"


@dataclass(frozen=True)
class RetentionReport:
    """What a prune would delete or did delete."""

    cutoff: str
    prunable: int
    kept_unextracted: int
    total: int


def cutoff_for(cfg: Config, now: datetime | None = None) -> str:
    """The ISO time before which extracted events are deleted (now − event_retention_days)."""
    now = now or datetime.now(UTC)
    return (now - timedelta(days=cfg.event_retention_days)).isoformat(timespec="seconds")


def retention_report(db: Database, cfg: Config, now: datetime | None = None) -> RetentionReport:
    """Count what a prune would delete, and the old events it keeps as not yet extracted."""
    cutoff = cutoff_for(cfg, now)
    try:
        prunable = db.execute(f"select count(*) from events where {_PRUNABLE}", {"cutoff": cutoff})
        pending = db.execute(
            "select count(*) from events where (extracted_at is null or extracted_at = '') "
            f"and {_AGE} < julianday(:cutoff)",
            {"cutoff": cutoff},
        )
        total = db.execute("select count(*) from events")
        return RetentionReport(
            cutoff, prunable.fetchone()[0], pending.fetchone()[0], total.fetchone()[0]
        )
    except sqlite3.Error as exc:
        raise StoreError(f"database: cannot read events for retention: {exc}") from exc


def prune_events(db: Database, cfg: Config, now: datetime | None = None) -> int:
    """Delete extracted raw events older than event_retention_days; return how many went."""
    cutoff = cutoff_for(cfg, now)
    try:
        # One transaction: a crash or a full disk leaves either all the old events or none gone.
        with db.atomic():
            deleted = db.execute(f"delete from events where {_PRUNABLE}", {"cutoff": cutoff})
            count = deleted.rowcount
    except sqlite3.Error as exc:
        raise StoreError(f"database: pruning events older than {cutoff} failed: {exc}") from exc
    # Every cycle prunes; only a prune that removed something is worth a line at INFO.
    (log.info if count else log.debug)(
        "pruned %d events retrieved before %s",
        count,
        cutoff,
        extra={"deleted": count, "cutoff": cutoff, "retention_days": cfg.event_retention_days},
    )
    return count
