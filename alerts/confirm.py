"""What an analyst's confirmation of a match does, done at once and said in Chinese.

A confirmed defendant match to a registry company (at entity, group or review level) becomes a
notice draft; a confirmed plaintiff is recorded as enforcing its rights (never warned); a group
match without a registry company links the name to the group; --as-variant links the spelling.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from alerts.dispatch import auto_signoff
from alerts.facts import DEFENDANT_ROLES, AlertsError, warrants_warning
from alerts.signoff import draft_for, notice_id_for
from core.audit import record
from core.config import Config
from core.notices import get_notice
from core.records import MatchRecord
from core.store import rows

PLAINTIFF_ROLES = ("plaintiff", "complainant", "petitioner")


def _match(db: Database, match_id: str) -> dict[str, Any] | None:
    found = list(rows(db, "select * from matches where id = ?", (match_id,)))
    return found[0] if found else None


def confirmation_effects(
    db: Database, cfg: Config, match_id: str, actor: str, now: datetime, as_variant: bool = False
) -> list[str]:
    """Carry out what confirming this (already confirmed) match means; one line per effect."""
    m = _match(db, match_id)
    if m is None:
        return []
    target = m["company_id"] or m["group_name"] or "?"
    lines: list[str] = []
    if as_variant and m["company_id"]:
        lines.append(
            f"已关联名称：'{m['party']}' 记为 {m['company_id']} 的名称变体，今后按实体级匹配。"
        )
    if m["role"] in PLAINTIFF_ROLES:
        db.table("matches").update(match_id, {"status": "enforcing"})
        record(db, actor, "match.enforcing", match_id, "", {"company": target})
        lines.append(
            f"已记录维权：{target} 是本案原告/申请人（企业在主张自身权利），不发送预警提示。"
        )
        return lines
    if (
        m["role"] in DEFENDANT_ROLES
        and m["company_id"]
        and warrants_warning(MatchRecord.from_row(m))
    ):
        before = get_notice(db, notice_id_for(m["case_id"], m["company_id"]))
        if before is not None:
            return [*lines, f"该案已有预警提示 {before.id}（{before.status_zh}），未重复起草。"]
        try:
            draft = draft_for(db, cfg, MatchRecord.from_row(m), now, actor=actor)
            number = auto_signoff(db, cfg, draft.id, now)
        except AlertsError as exc:
            return [*lines, f"未能起草预警提示：{exc}"]
        if number:
            lines.append(f"已起草并按配置自动签发预警提示 {number}（{draft.id}），邮件已排队。")
        else:
            lines.append(
                f"已创建预警提示草稿 {draft.id}：分析员修改并提交（ipwatch notices submit），"
                "审批人签发后才编号、发出（ipwatch notices approve）。"
            )
        return lines
    if not m["company_id"]:
        lines.append(
            f"已确认集团关联：'{m['party']}' 属于 {target} 集团；名录中没有对应的惠州企业，"
            "因此不起草预警提示，仅在日报中列示。可在名录中关联企业后重新确认。"
        )
        return lines
    lines.append(f"已确认：{m['party']} → {target}（角色 {m['role'] or '未知'}，不发送预警提示）。")
    return lines
