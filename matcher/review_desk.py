"""Analyst review of matches: the queue grouped by company × party name, decisions and their effect.

A dismissal is stored with the party's canonical name, so `load_decisions` stops that name
matching that company (or group) again; a confirmed link of a non-entity match names the party
as a variant of the company, so it matches at entity level from then on.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from core.audit import record
from core.review import (
    REASON_CODES,
    Decision,
    company_exists,
    matches_by_id,
    store_decisions,
    undo_batch,
)
from matcher.normalize import canonical, parse_name

DEFENDANT_ROLES = ("defendant", "respondent")
LEVELS_ZH = {
    "entity": "企业本身",
    "group": "集团关联",
    "review": "待核实",
    "local": "未登记惠州企业",
    "product": "同类产品",
}


class ReviewError(Exception):
    """A review decision cannot be taken (unknown match, missing reason); says why in Chinese."""


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


def _decision(m: dict[str, Any], action: str, code: str, text: str, link: bool | None) -> Decision:
    # The console links a confirmed non-entity name by default; the CLI asks (--as-variant).
    wanted = m["level"] != "entity" if link is None else link
    linked = action == "confirm" and bool(m["company_id"]) and wanted
    new_level = "entity" if linked and m["role"] in DEFENDANT_ROLES else m["level"]
    return Decision(
        match_id=m["id"],
        party=m["party"],
        party_norm=canonical(m["party"]),
        target=m["company_id"] or m["group_name"],
        action=action,
        reason_code=code,
        reason=f"{REASON_CODES.get(code, '')} {text}".strip(),
        variant=m["party"] if linked else "",
        level_before=m["level"],
        new_level=new_level,
    )


def decide(
    db: Database,
    match_ids: list[str],
    action: str,
    actor: str,
    code: str = "",
    text: str = "",
    link: bool | None = None,
) -> tuple[str, list[str]]:
    """Confirm or dismiss matches together; the batch id (for undo) and what each did."""
    if action not in ("confirm", "dismiss"):
        raise ReviewError(f"未知操作 {action!r}")
    if code and code not in REASON_CODES:
        raise ReviewError(f"未知原因代码 {code!r}")
    if action == "dismiss" and not code and not text.strip():
        raise ReviewError("排除时须选择原因（非本企业 / 外国母公司 / 同名不同企业 / 个人 / 其他）")
    if code == "other" and not text.strip():
        raise ReviewError("选择“其他”时须填写说明")
    found = matches_by_id(db, match_ids)
    missing = sorted(set(match_ids) - {m["id"] for m in found})
    if missing or not found:
        raise ReviewError(f"没有这些匹配记录：{', '.join(missing) or '（未选择）'}")
    batch = secrets.token_hex(8)
    decisions = [_decision(m, action, code, text, link) for m in found]
    store_decisions(db, decisions, actor, batch)
    if action == "dismiss":
        effects = ["该名称今后不再与该企业匹配"]
    else:
        effects = sorted({confirm_effect(m) for m in found})
    record(
        db,
        actor,
        f"review.{action}",
        ",".join(sorted({d.target for d in decisions})),
        decisions[0].reason,
        {"batch": batch, "matches": [d.match_id for d in decisions],
         "parties": sorted({d.party for d in decisions}), "effects": effects},
    )  # fmt: skip
    return batch, effects


def undo(db: Database, batch: str, actor: str) -> list[str]:
    """Take back a batch of decisions; the matches return to the queue (audited)."""
    ids = undo_batch(db, batch)
    if not ids:
        raise ReviewError("没有可撤销的决定（可能已被撤销）")
    record(db, actor, "review.undo", batch, "", {"matches": ids})
    return ids


def link_party(db: Database, match_id: str, company_id: str, actor: str, reason: str = "") -> str:
    """Link an unregistered Huizhou party (local match) to a registry company: the match becomes
    a confirmed entity match and the spelling a name of the company from now on. What it did."""
    found = matches_by_id(db, [match_id])
    if not found or found[0]["level"] != "local":
        raise ReviewError(f"没有待关联的未登记惠州企业记录 {match_id!r}")
    if not company_exists(db, company_id):
        raise ReviewError(f"名录中没有企业 {company_id!r}")
    m = {**found[0], "company_id": company_id}
    decision = _decision(m, "confirm", "", reason, True)
    batch = secrets.token_hex(8)
    store_decisions(db, [decision], actor, batch, company_id=company_id)
    effect = confirm_effect({**m, "level": "review"})
    record(db, actor, "registry.link", company_id, reason,
           {"match": match_id, "party": m["party"], "batch": batch, "effect": effect})  # fmt: skip
    return effect
