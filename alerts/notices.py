"""The formal risk-warning notice: its level, its never-reused number, its HTML and text."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from alerts.facts import CaseFacts, CompanyFacts, MatchFacts
from alerts.parties_known import as_instant
from alerts.render import LEVELS_ZH, render
from core.config import Bureau, Config
from core.notices import next_seq as next_seq

TITLE = "惠州市市场监督管理局海外知识产权风险预警提示"

# The bureau's two offers, worded as the 2024 measures give them; the subsidy condition matters:
# a company that never answers the case never reaches a ruling, judgment or settlement.
POLICY_SUPPORT: list[str] = [
    "海外维权费用补助：按必要维权费用的30%给予补助，每家单位每年最高20万元；"
    "补助在行政裁决生效、胜诉判决作出或和解协议生效后申请发放（未应诉的企业无法获得该补助）。",
    "海外知识产权侵权责任保险补贴：按实际缴纳保费的50%事后返还，每家企业最高10万元。",
]


@dataclass(frozen=True)
class Notice:
    """Everything one notice states, for one case and one named company."""

    number: str
    year: int
    seq: int
    level: str
    issued: date
    case: CaseFacts
    company: CompanyFacts
    match: MatchFacts
    related: list[dict[str, Any]]
    peers: list[dict[str, Any]]
    bureau: Bureau
    risks: list[str]
    advice: list[str]
    kind: str = "notice"  # notice | correction | withdrawal
    reference: str = ""  # the number of the notice a correction or withdrawal refers to
    note: str = ""  # 更正说明 / 撤回理由

    @property
    def level_zh(self) -> str:
        """一级(红) / 二级(橙) / 三级(黄)."""
        return LEVELS_ZH[self.level]

    @property
    def title(self) -> str:
        """The notice's formal title with its number (更正/撤回 named first)."""
        prefix = {"correction": "更正：", "withdrawal": "撤回："}.get(self.kind, "")
        return f"{prefix}《{TITLE}》{self.number}"


def notice_level(cfg: Config, case: CaseFacts) -> str:
    """The first configured rule whose forums and events fit the case decides; otherwise yellow."""
    kinds = case.kinds
    for rule in cfg.alerts.notice_rules:
        if rule.forums and case.forum not in rule.forums:
            continue
        if rule.events and not kinds.intersection(rule.events):
            continue
        return rule.level
    return "yellow"


def format_number(year: int, seq: int) -> str:
    """A notice number as 〔2022〕第1号."""
    return f"〔{year}〕第{seq}号"


def risks_for(case: CaseFacts, related: list[dict[str, Any]]) -> list[str]:
    """Risk statements that follow from the forum, the case kind and the events seen."""
    out = [
        "未在期限内应诉的，可能被作出缺席判决或缺席裁定（default），企业将丧失抗辩机会并承担不利后果。"
    ]
    if case.forum == "itc":
        out.append(
            "337调查可能以有限排除令（LEO）、普遍排除令（GEO）及禁止令结案；普遍排除令禁止任何来源的"
            "同类侵权产品进入美国，未被列名的同类产品出口企业同样受影响。"
        )
    if case.forum == "usdc":
        out.append("美国联邦地区法院可判令赔偿损失（专利案件可能加重至三倍）并颁发禁令。")
    if case.forum == "upc":
        out.append("统一专利法院的禁令可同时覆盖多个欧盟成员国市场。")
    if case.kind == "schedule_a" or case.kinds & {"tro", "tro_motion", "preliminary_injunction"}:
        out.append("此类案件原告常申请单方临时限制令，数日内冻结电商平台店铺账户及资金。")
    if case.kinds & {"default", "default_motion", "default_judgment"}:
        out.append("案卷已出现缺席（default）相关记录，请立即核实并委托律师处理。")
    if related:
        out.append(f"本系统另记录该企业作为被告涉及的其他案件 {len(related)} 宗，见下文。")
    return out


def advice_for(case: CaseFacts) -> list[str]:
    """What the company should do now, by forum."""
    out = [
        "立即核实是否已收到起诉材料或送达文件，并记录收到日期（期限自送达起算）。",
        "尽快委托具有相应执业资格的境外律师，评估答辩、和解或无效/不侵权抗辩策略。",
        "保全与涉案产品相关的研发、采购、销售记录，暂停销毁任何相关文件。",
    ]
    if case.forum == "itc":
        out.append("评估设计规避方案，并关注是否可能发布普遍排除令，必要时联合同行业企业共同应诉。")
    if case.kind == "schedule_a" or case.kinds & {"tro", "tro_motion", "preliminary_injunction"}:
        out.append("检查电商平台店铺及资金是否被冻结，及时就临时限制令/初步禁令提出异议。")
    out.append("将应诉进展告知本局，以便提供指导并办理维权费用补助。")
    return out


def build_notice(
    cfg: Config,
    case: CaseFacts,
    company: CompanyFacts,
    match: MatchFacts,
    number: tuple[int, int],
    issued: date,
    related: list[dict[str, Any]],
    peers: list[dict[str, Any]],
    *,
    level: str = "",
    risks: list[str] | None = None,
    advice: list[str] | None = None,
    kind: str = "notice",
    reference: str = "",
    note: str = "",
    number_text: str = "",
) -> Notice:
    """Assemble a notice from the case, company, match and an allocated (year, seq).

    The keyword arguments carry what a person decided in the sign-off workflow: the edited
    sections, a corrected level, the first notice's number and the correction or withdrawal note;
    `number_text` replaces the number on a preview of a notice not yet signed.
    """
    year, seq = number
    # Judged at the first instant of the issue day: a deadline still open anywhere in that day
    # (in the court's zone) is never printed as 已届满.
    case = replace(case, now=as_instant(issued, case.tz))
    return Notice(
        number_text or format_number(year, seq),
        year,
        seq,
        level or notice_level(cfg, case),
        issued,
        case,
        company,
        match,
        related,
        peers,
        cfg.bureau,
        risks_for(case, related) if risks is None else risks,
        advice_for(case) if advice is None else advice,
        kind,
        reference,
        note,
    )


def render_notice(notice: Notice) -> tuple[str, str]:
    """The print-ready HTML (A4) and the plain-text form of a notice."""
    context = {"n": notice, "policy": POLICY_SUPPORT, "title": TITLE}
    return render("notice.html", **context), render("notice.txt", **context)


def notice_paths(cfg: Config, notice: Notice) -> tuple[Path, Path]:
    """Where a notice's files go: <out_dir>/notices/<year>-<seq>_<company>_<docket>.html/.txt."""
    slug = re.sub(r"[^A-Za-z0-9.-]+", "_", f"{notice.company.id}_{notice.case.docket_number}")
    stem = f"{notice.year}-{notice.seq:04d}_{slug}"[:120]
    folder = cfg.path(cfg.alerts.out_dir) / "notices"
    return folder / f"{stem}.html", folder / f"{stem}.txt"


def write_notice(cfg: Config, notice: Notice, html: str, text: str) -> tuple[Path, Path]:
    """Write a notice's HTML and text files and return their paths."""
    html_path, text_path = notice_paths(cfg, notice)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(html, encoding="utf-8")
    text_path.write_text(text, encoding="utf-8")
    return html_path, text_path
