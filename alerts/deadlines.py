"""Compute a defendant's response deadlines from the forum, the events and the service status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from alerts import counting
from alerts.calendars import china_advisory
from alerts.counting import Count
from alerts.due import CERTAINTY_ZH, ITC_BEFORE_INSTITUTION_ZH, Certainty, Deadline
from alerts.service import (
    UNATTRIBUTED_ZH,
    CaseEvent,
    Service,
    attributable,
    first,
    service_from_events,
    unattributed,
)
from core.courts import court_zone, upc_seat_region, upc_state, us_state

__all__ = [
    "CERTAINTY_ZH",
    "ITC_BEFORE_INSTITUTION_ZH",
    "UNATTRIBUTED_ZH",
    "CaseEvent",
    "Certainty",
    "Deadline",
    "Service",
    "service_from_events",
    "unattributed",
]

Trigger = Literal["service", "waiver", "tro"]


@dataclass(frozen=True)
class Rule:
    """One deadline rule: which forum, what starts the clock, how long, and its legal source."""

    key: str
    forum: str
    trigger: Trigger
    days: int = 0
    months: int = 0
    title_zh: str = ""
    source: str = ""
    needs: str = ""  # an event kind that must be present for the rule to apply
    unless: str = ""  # an event kind that replaces this rule with another
    abroad: bool | None = None  # only for defendants abroad (True) or in the US (False)


RULES: list[Rule] = [
    Rule("itc_response", "itc", "service", days=20, title_zh="答复337调查申请书及立案公告",
         source="19 CFR 210.13(a): 20 days after service", unless="temporary_relief"),
    Rule("itc_response_tr", "itc", "service", days=10, title_zh="答复337申请书（含临时救济）",
         source="19 CFR 210.13(a): 10 days after service when temporary relief is sought",
         needs="temporary_relief"),
    Rule("usdc_answer", "usdc", "service", days=21, title_zh="提交答辩状（Answer）",
         source="FRCP 12(a)(1)(A)(i): 21 days after service"),
    Rule("usdc_answer_waiver", "usdc", "waiver", days=60, title_zh="放弃正式送达后提交答辩状",
         source="FRCP 12(a)(1)(A)(ii): 60 days after the waiver request was sent",
         abroad=False),
    Rule("usdc_answer_waiver_abroad", "usdc", "waiver", days=90,
         title_zh="放弃正式送达后提交答辩状（请求寄往美国境外）",
         source="FRCP 12(a)(1)(A)(ii): 90 days when the waiver request went outside the US",
         abroad=True),
    Rule("usdc_tro_expiry", "usdc", "tro", days=14, title_zh="单方临时限制令（TRO）失效",
         source="FRCP 65(b)(2): an ex parte TRO expires after 14 days unless extended",
         needs="tro"),
    Rule("upc_preliminary_objection", "upc", "service", months=1, title_zh="提出初步异议",
         source="UPC RoP 19: 1 month after service of the statement of claim"),
    Rule("upc_defence", "upc", "service", months=3, title_zh="提交答辩书（Statement of Defence）",
         source="UPC RoP 23: 3 months after service of the statement of claim"),
]  # fmt: skip
RULE_KEYS = tuple(r.key for r in RULES)

# Events after which the answer-type deadlines are spent, or only a court order can tell.
DONE_BY: dict[str, str] = {k: "answer" for k in RULE_KEYS if k.startswith("usdc_answer")}
EXTENDED_BY = ("answer_extension", "answer_extension_motion")
EXTENDED_ZH = "案卷显示已申请或获准延长答辩期，以法院命令为准"


def local_date(iso: str, tz: str = "Asia/Shanghai") -> date:
    """The calendar date in `tz` of an ISO 8601 timestamp (naive timestamps count as UTC)."""
    return parse_iso(iso).astimezone(ZoneInfo(tz)).date()


def iso(moment: datetime) -> str:
    """A moment as UTC ISO 8601 with seconds, the one format the outbox compares as text."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def parse_iso(text: str) -> datetime:
    """An ISO 8601 timestamp as an aware datetime (naive ones count as UTC)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def count(rule: Rule, trigger: date, court: str = "") -> Count:
    """Count a rule's period from its trigger day under the forum's own computation rule."""
    if rule.forum == "itc":
        return counting.itc(trigger, rule.days)
    if rule.forum == "upc":
        return counting.upc(trigger, rule.months, upc_state(court), upc_seat_region(court))
    return counting.frcp(trigger, rule.days, us_state(court))


def china_zh(due: date | None) -> str:
    """The advisory when the due date or the 5 Chinese working days before it meet a holiday."""
    if due is None:
        return ""
    found = china_advisory(due)
    if not found:
        return ""
    names = "、".join(dict.fromkeys(h.name for h in found))
    span = f"{found[0].day.isoformat()} 至 {found[-1].day.isoformat()}"
    return (
        f"期限日或其前5个工作日适逢中国法定节假日（{names}，{span}），"
        "企业人员可能休假，请提前安排律师并确认授权与材料"
    )


def deadline_for(
    rule: Rule, trigger: date, certainty: Certainty, basis: str, court: str = ""
) -> Deadline:
    """A Deadline for a rule counted from a trigger day, with its reasons and advisory."""
    counted = count(rule, trigger, court)
    return Deadline(
        rule.key, rule.title_zh, counted.due, certainty, rule.source, basis, counted.unadjusted,
        counted.why_zh, counted.rule, counted.possible_zh, china_zh(counted.due),
        court_zone(rule.forum, court),
    )  # fmt: skip


def rules_for(forum: str, kinds: set[str], abroad: bool | None) -> list[Rule]:
    """The rules of a forum that the event kinds and the defendant's location make applicable."""
    return [
        r
        for r in RULES
        if r.forum == forum
        and (not r.needs or r.needs in kinds)
        and not (r.unless and r.unless in kinds)
        and (abroad is None or r.abroad in (None, abroad))
    ]


def compute_deadlines(
    forum: str,
    events: Sequence[CaseEvent],
    service: Service | None = None,
    filed: date | None = None,
    abroad: bool = True,
    co_defendants: bool = False,
    court: str = "",
    under_way: bool = False,
) -> list[Deadline]:
    """Every deadline that applies to a defendant in this forum, sorted by date.

    A case first seen through a mid-case event (under_way) gets no "earliest" or estimated
    date: the day we first saw it says nothing about when the defendant was served.
    """
    service = service or service_from_events(events, co_defendants)
    events = attributable(events, co_defendants)
    kinds = {k for e in events for k in e.kinds}
    start = _start(forum, events, filed)
    out: list[Deadline] = []
    for rule in rules_for(forum, kinds, abroad):
        deadline = _apply(rule, events, service, start, kinds, court)
        if deadline is None:
            continue
        if under_way and deadline.certainty in ("earliest", "approximate", "pending"):
            continue
        if service.note and rule.trigger != "tro":
            deadline = replace(deadline, basis_zh=f"{deadline.basis_zh}；{service.note}")
        out.append(deadline)
    return sorted(out, key=lambda d: (d.due or date.max, d.key))


# How the unknown-service start day was found: earliest (a true lower bound), approximate (a day
# known to be later than the trigger) or pending (no trigger yet), with the Chinese basis text.
Start = tuple[date | None, Certainty, str]


def _start(forum: str, events: Sequence[CaseEvent], filed: date | None) -> Start:
    if forum != "itc":
        day = filed or min((e.day for e in events), default=None)
        if day is None:
            return None, "earliest", ""
        return day, "earliest", f"送达情况不明；按最早可能的送达日 {day}（立案或首次发现之日）计算"
    # The Commission serves respondents upon institution, days before the FR notice appears.
    notices = [e for e in events if "institution" in e.kinds]
    if not notices:
        return None, "pending", "尚未立案（仅见收到337调查申请书的公告）；答复期限自立案送达起算"
    stated = [e.instituted for e in notices if e.instituted]
    if stated:
        day = min(stated)
        published = min(e.day for e in notices)
        basis = (
            f"送达情况不明；委员会于 {day.isoformat()} 立案并随即送达，按该日计算"
            f"（联邦公报 {published.isoformat()} 刊登，晚于立案）"
        )
        return day, "earliest", basis
    day = min(e.day for e in notices)
    basis = (
        f"送达情况不明；公告正文未载明立案日，按联邦公报刊登日 {day.isoformat()} 计算。"
        "刊登日晚于立案送达日，实际期限可能更早，请立即向委员会或律师核实"
    )
    return day, "approximate", basis


def _apply(
    rule: Rule,
    events: Sequence[CaseEvent],
    service: Service,
    start_info: Start,
    kinds: set[str],
    court: str,
) -> Deadline | None:
    if rule.trigger == "tro":
        dated = [e.day for e in events if "tro" in e.kinds and not e.undated]
        start = min(dated) if dated else first(events, "tro")
        if start is None:
            return None
        if not dated:
            basis = (
                f"案卷有临时限制令（TRO）记录，但来源未载明其日期；按立案日 {start.isoformat()} "
                "计算最早可能失效日，实际失效日更晚"
            )
            return deadline_for(rule, start, "earliest", basis, court)
        basis = f"法院于 {start.isoformat()} 作出临时限制令（TRO），自该命令之日起算"
        return deadline_for(rule, start, "computed", basis, court)
    if rule.trigger == "waiver" and service.status in ("served", "proof_filed"):
        return None  # formal service happened: the waiver periods no longer apply
    if rule.trigger == "service" and rule.forum == "usdc" and service.status == "waiver":
        return None  # a returned waiver replaces the 21-day answer period
    certainty: Certainty
    if service.status == "served" and service.day:
        start, certainty = service.day, "computed"
        basis = f"送达日 {start.isoformat()}"
    elif service.status in ("proof_filed", "waiver") and service.day:
        start, certainty = service.day, "latest"
        basis = (
            f"送达/弃权文书于 {start.isoformat()} 提交法院，"
            "实际送达或请求日可能更早，期限不晚于此日"
        )
    elif start_info[1] == "pending":
        return Deadline(rule.key, rule.title_zh, None, "pending", rule.source, start_info[2])
    elif start_info[0]:
        start, certainty, basis = start_info[0], start_info[1], start_info[2]
    else:
        return None
    done_kind = DONE_BY.get(rule.key)
    if done_kind and done_kind in kinds:
        certainty = "done"
        basis = f"案卷已有答辩记录（{first(events, done_kind)}）；" + basis
    elif rule.forum == "usdc" and rule.trigger != "tro" and kinds.intersection(EXTENDED_BY):
        certainty = "extended"
        basis = f"{EXTENDED_ZH}；原期限 " + basis
    return deadline_for(rule, start, certainty, basis, court)
