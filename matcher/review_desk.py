"""Analyst review of matches: the queue grouped by company × party name, decisions and their effect.

A dismissal is stored with the party's canonical name, so `load_decisions` stops that name
matching that company (or group) again; a confirmed non-entity match to a company teaches the
party's spelling as a typed registry name (en_variant, guarded as in `ipwatch review confirm
--as-variant`), so it matches at entity level from then on. Decisions go through matcher.review.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from core.registry_store import NAME_KIND_LABELS
from core.review import matches_by_id
from matcher.normalize import canonical, parse_name
from matcher.registry import Registry
from matcher.review import DEFENDANT_ROLES, ReviewError, decide_batch, teach_name
from matcher.review_undo import Undone
from matcher.review_undo import undo as undo_decisions

__all__ = ["DEFENDANT_ROLES", "ReviewError", "decide", "group_queue", "link_party", "undo"]
LEVELS_ZH = {
    "entity": "企业本身",
    "group": "集团关联",
    "review": "待核实",
    "local": "未登记惠州企业",
    "product": "同类产品",
}


@dataclass
class ReviewGroup:
    """Pending matches of one normalised party name to one registry company (or group)."""

    key: str
    target: str
    party: str
    level: str
    company_zh: str
    matches: list[dict[str, Any]] = field(default_factory=list)

    @property
    def case_count(self) -> int:
        """How many distinct cases the group covers."""
        return len({m["case_id"] for m in self.matches})

    @property
    def level_zh(self) -> str:
        """The group's best level in Chinese."""
        return LEVELS_ZH.get(self.level, self.level)

    @property
    def spellings(self) -> list[tuple[str, int]]:
        """The party spellings in the group with how often each occurs, commonest first."""
        counts: dict[str, int] = {}
        for m in self.matches:
            counts[m["party"]] = counts.get(m["party"], 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    @property
    def match_ids(self) -> str:
        """The member match ids, comma-separated for a form field."""
        return ",".join(m["id"] for m in self.matches)


def evidence_zh(evidence_json: str) -> list[str]:
    """The stored evidence as readable lines (feature: detail), the detail verbatim."""
    try:
        data = json.loads(evidence_json or "{}")
    except json.JSONDecodeError:
        return [evidence_json]
    out = []
    for name, ev in data.items():
        detail = ev.get("detail", "") if isinstance(ev, dict) else str(ev)
        out.append(f"{FEATURES_ZH.get(name, name)}：{detail}")
    return out


FEATURES_ZH = {
    "registered_name": "与名录登记名称一致",
    "close_spelling": "拼写相近",
    "affiliate_name": "集团关联企业名称",
    "contains_name": "包含登记名称",
    "pinyin_name": "拼音名称一致",
    "other_place": "地点不符",
    "legal_form_differs": "企业组织形式不同",
    "first_word_differs": "首词拼写不同",
    "huizhou_missing": "未出现惠州地名",
    "generic_name": "仅为行业通用词",
    "trade_name_only": "仅商号一致",
    "foreign_group": "外国集团",
    "huizhou_words": "出现惠州地名",
}


def party_key(party: str) -> str:
    """The normalised name a queue row is grouped by: the trade name, place and legal form set
    aside ("Samsung Electronics Co., Ltd." and "Samsung SDI Co. Ltd." are both "samsung")."""
    tokens = parse_name(party).tokens
    return tokens[0] if tokens else canonical(party)


def group_queue(pending: list[dict[str, Any]]) -> list[ReviewGroup]:
    """Group pending matches by (company or group) × normalised party name, biggest first."""
    groups: dict[str, ReviewGroup] = {}
    rank = {"entity": 0, "group": 1, "review": 2, "local": 3}
    for m in pending:
        target = m["company_id"] or m["group_name"] or m["party"]
        key = f"{target}|{party_key(m['party'])}"
        g = groups.get(key)
        if g is None:
            name = m.get("name_zh") or m.get("name_en") or m["group_name"] or ""
            g = groups[key] = ReviewGroup(key, target, m["party"], m["level"], name)
        if rank.get(m["level"], 9) < rank.get(g.level, 9):
            g.level = m["level"]
        g.matches.append(m)
    return sorted(groups.values(), key=lambda g: (-g.case_count, rank.get(g.level, 9), g.key))


def confirm_effect(match: dict[str, Any]) -> str:
    """What confirming this match does, in Chinese."""
    if match["role"] not in DEFENDANT_ROLES:
        return "记录该企业为原告（企业维权），不发送预警"
    if match["company_id"] and match["level"] == "entity":
        return "生成预警提示草稿，待分析员提交、审核人签发"
    if match["company_id"]:
        return "将该名称关联为该企业的名称（今后按企业本身匹配），并生成预警提示草稿"
    return "记录为集团关联企业涉案，在日报中提示（名录中无对应惠州企业，不生成预警提示）"


def decide(
    db: Database,
    registry: Registry | None,
    match_ids: list[str],
    action: str,
    actor: str,
    code: str = "",
    text: str = "",
) -> tuple[str, list[str]]:
    """Confirm or dismiss matches together; the batch id (for undo) and what each did.

    The same decision as `ipwatch review confirm|dismiss` (matcher.review.decide_batch); the
    desk links a confirmed non-entity spelling as a name of the company by default, guarded.
    """
    found = matches_by_id(db, match_ids)
    if action == "dismiss":
        effects = ["该名称今后不再与该企业匹配"]
    else:
        effects = sorted({confirm_effect(m) for m in found})
    done = decide_batch(
        db, registry, match_ids, action, by=actor, reason_code=code, reason=text,
        link_default=True, audit_detail={"effects": effects},
    )  # fmt: skip
    refused = sorted({f"“{d.party}”未加入名录（{d.name_refused}）" for d in done.decisions
                      if d.name_refused and action == "confirm"})  # fmt: skip
    return done.batch, effects + refused


def link_party(
    db: Database,
    registry: Registry,
    match_id: str,
    company_id: str,
    actor: str,
    reason: str = "",
    kind: str = "en_variant",
) -> str:
    """Link an unregistered Huizhou party (local match) to a registry company, as
    `ipwatch registry link` does (the spelling becomes a typed name with provenance, guarded,
    audited); the match becomes a confirmed entity match. What it did."""
    found = matches_by_id(db, [match_id])
    if not found or found[0]["level"] != "local":
        raise ReviewError(f"没有待关联的未登记惠州企业记录 {match_id!r}")
    party = found[0]["party"]
    with db.atomic():
        name = teach_name(
            db, registry, company_id, party, kind, by=actor, reason=reason, source="link",
            audit_detail={"match": match_id},
        )  # fmt: skip
        decide_batch(
            db, registry, [match_id], "confirm", by=actor, reason=reason, link_default=True,
            company_id=company_id,
        )  # fmt: skip
    return (
        f"“{party}”已作为{NAME_KIND_LABELS[name.kind]}（#{name.id}）加入 {company_id} 的名称，"
        "今后按企业本身匹配"
    )


def undo(db: Database, batch: str, actor: str) -> Undone:
    """Take back a batch of decisions; the matches return to the queue (audited)."""
    return undo_decisions(db, batch, actor)
