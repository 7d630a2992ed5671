"""Where a notice stands in the sign-off workflow: its states, actors, errors and outbox key."""

from __future__ import annotations

from sqlite_utils import Database

from alerts.queue import warning_key
from core.notices import STATUS_ZH, NoticeRow, get_notice, referring_to
from core.review import matches_by_id

SYSTEM = "system"  # the actor of what the cycle does on its own
AUTO = "auto-signoff"  # the actor of a sign-off allowed by config alerts.auto_signoff
ISSUED = ("signed", "sent", "withdrawn", "held")
# A notice out of the bureau, which a correction or withdrawal may still refer to.
STANDING = ("signed", "sent", "held")


class SignoffError(Exception):
    """A notice cannot make this move (wrong state, unknown id, empty text); says why in Chinese."""


def notice_id_for(case_id: str, company_id: str) -> str:
    """The id of the first notice to a company about a case."""
    return f"{case_id}|{company_id}"


def require_status(
    db: Database, notice_id: str, allowed: tuple[str, ...], action: str
) -> NoticeRow:
    """The notice, or SignoffError when it is missing or its state does not allow `action`."""
    row = get_notice(db, notice_id)
    if row is None:
        raise SignoffError(f"没有编号为 {notice_id!r} 的预警提示（用 `ipwatch notices list` 查看）")
    if row.status not in allowed:
        wanted = "、".join(_zh(s) for s in allowed)
        raise SignoffError(
            f"预警提示 {notice_id} 当前状态为「{row.status_zh}」，不能{action}（仅限：{wanted}）"
        )
    return row


def _zh(status: str) -> str:
    return STATUS_ZH.get(status, status)


def get_or_fail(db: Database, notice_id: str) -> NoticeRow:
    """The notice, or SignoffError naming the unknown id."""
    row = get_notice(db, notice_id)
    if row is None:
        raise SignoffError(f"没有编号为 {notice_id!r} 的预警提示")
    return row


def outbox_key(row: NoticeRow) -> str:
    """The idempotency key of a notice's email (the first warning keeps its historic key)."""
    if row.kind == "notice":
        return warning_key(row.case_id, row.company_id)
    return f"{row.kind}|{row.case_id}|{row.company_id}|{row.id}"


def live_withdrawal(db: Database, notice_id: str) -> NoticeRow | None:
    """A withdrawal of this notice waiting for sign-off or issued already, if any."""
    return next(
        (
            n
            for n in referring_to(db, notice_id)
            if n.kind == "withdrawal" and n.status in ("submitted", *ISSUED)
        ),
        None,
    )


def check_signable(db: Database, row: NoticeRow) -> None:
    """SignoffError when what the notice rests on has changed since it was written: its match
    was dismissed, or the notice it corrects or withdraws is withdrawn (or being withdrawn)."""
    if row.kind == "notice" and row.match_id:
        found = matches_by_id(db, [row.match_id])
        if found and found[0]["status"] == "dismissed":
            raise SignoffError(
                f"预警提示 {row.id} 所依据的匹配已被排除（{found[0]['reviewed_by']}），不能签发："
                "请退回起草人，或先撤销那次排除"
            )
        return
    first = get_or_fail(db, row.references_id)
    if first.status not in STANDING:
        raise SignoffError(
            f"{row.id} 所指的预警提示 {first.number or first.id} 当前为「{first.status_zh}」，"
            "不能再签发对它的更正或撤回"
        )
    other = live_withdrawal(db, first.id)
    if row.kind == "correction" and other is not None:
        raise SignoffError(
            f"预警提示 {first.number} 已有撤回通知 {other.id}（{other.status_zh}），不能再签发更正"
        )
