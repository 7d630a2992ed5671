"""Taking back a batch of review decisions: matches, taught names and the drafts they made.

An analyst's undo (`ipwatch review undo`, the console's 撤销) returns the batch's matches to
the queue, withdraws the names it taught and deletes the notice drafts its confirmations made.
A draft that has moved on to sign-off cannot be taken back this way: the undo is refused and
says how (return it, or withdraw the numbered notice).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from core import audit
from core.notices import discard_draft, drafted_from
from core.registry_store import names, remove_name
from core.review import batch_decisions, undo_batch
from matcher.review import ReviewError


@dataclass(frozen=True)
class Undone:
    """What an undo took back: the matches (back in the queue), names withdrawn, drafts deleted."""

    matches: tuple[str, ...]
    names: tuple[str, ...]
    drafts: tuple[str, ...]


def undo(db: Database, batch: str, by: str) -> Undone:
    """Take back a batch: matches return to the queue, names it taught are withdrawn, the
    drafts its confirmations made are deleted (all audited)."""
    decided = batch_decisions(db, batch)
    if not decided:
        raise ReviewError("没有可撤销的决定（可能已被撤销） no such batch (already undone?)")
    drafts = _drafts_to_discard(db, {d["match_id"]: d for d in decided if d["action"] == "confirm"})
    withdrawn = []
    with db.atomic():
        for notice_id in drafts:
            discard_draft(db, notice_id)
            audit.record(db, by, "notice.discard", notice_id, "", {"undo": batch})
        sources = {f"review:{d['match_id']}" for d in decided}
        links = {(d["company_id"], d["variant"]) for d in decided if d["variant"]}
        for n in names(db):
            if n.source in sources or n.source == "link" and (n.company_id, n.text) in links:
                remove_name(db, n.company_id, str(n.id), by=by, reason=f"撤销复核决定 undo {batch}")
                withdrawn.append(n.text)
        ids = undo_batch(db, batch)
        audit.record(db, by, "review.undo", batch, "", {"matches": ids, "names": withdrawn})
    return Undone(tuple(ids), tuple(withdrawn), tuple(drafts))


def _drafts_to_discard(db: Database, confirmed: dict[str, dict[str, Any]]) -> list[str]:
    """The drafts these confirmations made (from the match, by the one who confirmed it, once
    confirmed: not one the cycle drafted before); refused when one has moved on to sign-off."""
    notices = [
        n
        for n in drafted_from(db, list(confirmed))
        if n.created_by == confirmed[n.match_id]["decided_by"]
        and n.created_at >= confirmed[n.match_id]["decided_at"]  # both UTC ISO 8601 text
    ]
    for n in notices:
        if n.status == "submitted":
            raise ReviewError(
                f"预警提示 {n.id} 已提交待签发，不能撤销这批决定：请审批人先退回"
                f"（ipwatch notices return）再撤销。 notice {n.id} awaits sign-off"
            )
        if n.status not in ("draft", "returned"):
            raise ReviewError(
                f"预警提示 {n.id} {n.status_zh}（{n.number}），不能撤销这批决定：已编号的提示只能"
                f"撤回（ipwatch notices withdraw）。 notice {n.id} is already {n.status}"
            )
    return [n.id for n in notices]
