"""Resolve outbox rows a crash left in `sending`, so no message is sent twice or dropped.

The rule, applied before every delivery run:
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
from ipwatch.store import rows


def recover(db: Database, now: datetime) -> dict[str, int]:
    """Resolve rows left in `sending` by a crash, by the rule in this module's docstring."""
    counts = {"pending": 0, "sent": 0, "held": 0}
    for row in list(rows(db, "select * from outbox where state = 'sending'")):
        update: dict[str, Any]
        if not row["handed_at"]:
            update = {"state": "pending", "last_error": "interrupted before handover; will resend"}
        elif row["eml_path"]:
            done = Path(row["eml_path"]).exists()
            update = (
                {"state": "sent", "sent_at": row["handed_at"]}
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
    """Resolve a held or failed message: resend it, or record that the server did accept it."""
    found = list(rows(db, "select id from outbox where id = ?", (key,)))
    if not found:
        raise KeyError(f"no outbox message {key!r}")
    now = now or datetime.now(UTC)
    if mark_sent:
        db.table("outbox").update(key, {"state": "sent", "sent_at": iso(now), "last_error": ""})
        return "sent"
    db.table("outbox").update(
        key, {"state": "pending", "next_attempt": iso(now), "handed_at": None}
    )
    return "pending"
