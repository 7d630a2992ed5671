"""Claim outbox rows for sending, and resolve rows a crash left in `sending`, never sending twice.

Concurrency: a delivery run holds the delivery lock (`<database>.deliver.lock`, a kernel flock
released even when the holder is killed) from recovery to its last message, and claims each row
with a conditional update that succeeds only while the row is still due and pending. So a row in
`sending` seen under the lock can only be a dead run's leftover, never a live run's message.

The rule, applied under that lock before every delivery run:
- `handed_at` empty: the process died before the message data was handed over (connecting,
  logging in, MAIL/RCPT), so the server cannot have accepted it; it goes back to `pending`.
- `handed_at` set and an .eml file was being written: the file exists only if the final rename
  happened, so an existing file means `sent` and a missing one means `pending`.
- `handed_at` set on SMTP: the server may or may not have accepted the message, so it is `held`
  (never resent automatically, never dropped). The digest lists it with its Message-ID; after
  checking the mail server log an analyst runs `ipwatch notify --release KEY` (resend) or
  `ipwatch notify --mark-sent KEY`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from alerts.deadlines import iso
from core.config import Config
from core.lock import FileLock, lock_path
from core.store import rows

# Seconds a second delivery run waits for the first: longer than a normal run, short enough that
# a stuck SMTP server does not block the rest of a cycle (the waiting run then skips delivery).
DELIVER_LOCK_WAIT = 120.0


class NotHeld(Exception):
    """The message is not waiting for a decision: releasing it could send it twice."""


def delivery_lock(cfg: Config) -> FileLock | None:
    """The lock one delivery run holds from recovery to its last message (None in memory)."""
    if cfg.database == ":memory:":
        return None  # nothing outside this process can open an in-memory database
    return FileLock(lock_path(cfg, "deliver"), "delivery run", wait=DELIVER_LOCK_WAIT)


def claim(db: Database, key: str, now: datetime, eml_path: str) -> int | None:
    """Move one due pending row to `sending`; its attempt number, or None if another run won."""
    with db.conn:
        cur = db.execute(
            """update outbox set state = 'sending', attempts = coalesce(attempts, 0) + 1,
               handed_at = null, eml_path = ? where id = ? and state = 'pending'
               and (next_attempt is null or next_attempt = '' or next_attempt <= ?)""",
            (eml_path, key, iso(now)),
        )
    if cur.rowcount != 1:
        return None
    return int(db.execute("select attempts from outbox where id = ?", (key,)).fetchone()[0])


def recover(db: Database, now: datetime) -> dict[str, int]:
    """Resolve rows left in `sending` by a crash; call only under the delivery lock."""
    counts = {"pending": 0, "sent": 0, "held": 0}
    for row in list(rows(db, "select * from outbox where state = 'sending'")):
        update: dict[str, Any]
        if not row["handed_at"]:
            update = {"state": "pending", "last_error": "interrupted before handover; will resend"}
        elif row["eml_path"]:
            done = Path(row["eml_path"]).exists()
            update = (
                {"state": "sent", "sent_at": row["handed_at"], "last_error": ""}
                if done
                else {
                    "state": "pending",
                    "last_error": "interrupted before the .eml file was complete",
                }
            )
        else:
            update = {
                "state": "held",
                "last_error": (
                    f"interrupted during SMTP DATA at {row['handed_at']}: the server may have "
                    f"accepted {row['message_id']}; check the mail log, then "
                    f"`ipwatch notify --release {row['id']}` or `--mark-sent {row['id']}`"
                ),
            }
        update["next_attempt"] = iso(now)
        db.table("outbox").update(row["id"], update)
        counts[update["state"]] += 1
    return counts


def release(db: Database, key: str, mark_sent: bool = False, now: datetime | None = None) -> str:
    """Resolve a held message (resend it, or record that the server did accept it).

    Only a `held` message may be marked sent; a resend is allowed for `held` and for `failed`
    (the server refused it, so it cannot arrive twice). Anything else raises NotHeld: releasing
    a sent message would deliver it again.
    """
    found = list(rows(db, "select id, state from outbox where id = ?", (key,)))
    if not found:
        raise KeyError(f"no outbox message {key!r}")
    state = found[0]["state"]
    allowed = ("held",) if mark_sent else ("held", "failed")
    if state not in allowed:
        action = "--mark-sent" if mark_sent else "--release"
        raise NotHeld(
            f"{key}: is {state}, not {' or '.join(allowed)}; {action} refused "
            "(only a message interrupted during SMTP DATA needs a decision)"
        )
    now = now or datetime.now(UTC)
    if mark_sent:
        db.table("outbox").update(key, {"state": "sent", "sent_at": iso(now), "last_error": ""})
        return "sent"
    db.table("outbox").update(
        key, {"state": "pending", "next_attempt": iso(now), "handed_at": None}
    )
    return "pending"
