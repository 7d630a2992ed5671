"""Compute a defendant's response deadlines from the forum, the events and the service status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from alerts.events import name_zh

# computed: the trigger date is known; earliest: service is unknown, so the date is the earliest
# plausible one (service on the first day we know of); latest: proof of service was filed, so
# service happened on or before that day and the deadline falls on or before the date shown;
# done: the step was already taken (an answer is on file); approximate: counted from a day known
# to fall after the true trigger (FR publication follows ITC institution), so it may be earlier;
# pending: the clock has not started (ITC complaint received, investigation not yet instituted).
Certainty = Literal["computed", "earliest", "latest", "done", "approximate", "pending"]
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

# Events after which the answer-type deadlines are spent.
DONE_BY: dict[str, str] = {
    "usdc_answer": "answer",
    "usdc_answer_waiver": "answer",
    "usdc_answer_waiver_abroad": "answer",
}
# Docket events that concern one defendant, which PACER RSS never names: with co-defendants
# they may be another defendant's, so they must neither close nor replace our company's deadlines.
PARTY_SPECIFIC: tuple[str, ...] = ("answer", "waiver_executed", "service_executed")
UNATTRIBUTED_ZH = "可能已由其他被告完成/送达（无法确定当事人）"
ITC_BEFORE_INSTITUTION_ZH = "立案后20日（申请临时救济的为10日）"


@dataclass(frozen=True)
class CaseEvent:
    """What the deadline rules need from one event: its kinds and its local date."""

    kinds: tuple[str, ...]
    day: date
    instituted: date | None = None  # ITC: the institution day the notice body states


@dataclass(frozen=True)
class Service:
    """Service status: unknown (the usual case), served on a day, or a waiver requested on a day."""

    status: Literal["unknown", "served", "proof_filed", "waiver"] = "unknown"
    day: date | None = None
    note: str = ""  # e.g. a proof or waiver on file that may be a co-defendant's


@dataclass(frozen=True)
class Deadline:
    """One computed date with the rule behind it and how sure it is."""

    key: str
    title_zh: str
    due: date | None  # None while the clock has not started (certainty "pending")
    certainty: Certainty
    source: str
    basis_zh: str

    @property
    def due_zh(self) -> str:
        """The due date, or in words when it cannot be computed yet."""
        return self.due.isoformat() if self.due else ITC_BEFORE_INSTITUTION_ZH


def local_date(iso: str, tz: str = "Asia/Shanghai") -> date:
    """The calendar date in `tz` of an ISO 8601 timestamp (naive timestamps count as UTC)."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(tz)).date()


def iso(moment: datetime) -> str:
    """A moment as UTC ISO 8601 with seconds, the one format the outbox compares as text."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def parse_iso(text: str) -> datetime:
    """An ISO 8601 timestamp as an aware datetime (naive ones count as UTC)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def add_period(start: date, rule: Rule) -> date:
    """Add the rule's period; a month from 31 Jan ends on 28/29 Feb (the shorter month's end)."""
    return start + relativedelta(months=rule.months, days=rule.days)


def unattributed(events: Sequence[CaseEvent], co_defendants: bool) -> list[tuple[str, date]]:
    """Party-specific events that cannot be tied to our defendant: (kind, first day)."""
    if not co_defendants:
        return []
    found = [(k, _first(events, k)) for k in PARTY_SPECIFIC]
    return [(k, d) for k, d in found if d is not None]


def _attributable(events: Sequence[CaseEvent], co_defendants: bool) -> list[CaseEvent]:
    if not co_defendants:
        return list(events)
    return [
        CaseEvent(tuple(k for k in e.kinds if k not in PARTY_SPECIFIC), e.day, e.instituted)
        for e in events
    ]


def _unattributed_zh(found: list[tuple[str, date]]) -> str:
    seen = "、".join(f"「{name_zh(k)}」（{d.isoformat()}）" for k, d in found)
    return f"案卷有{seen}记录，但本案有多名被告，{UNATTRIBUTED_ZH}"


def service_from_events(events: Sequence[CaseEvent], co_defendants: bool = False) -> Service:
    """Infer the service status from docket events: executed waivers/proofs, or unknown."""
    found = unattributed(events, co_defendants)
    note = _unattributed_zh(found) if found else ""
    events = _attributable(events, co_defendants)
    for kind, status in (("service_executed", "proof_filed"), ("waiver_executed", "waiver")):
        days = [e.day for e in events if kind in e.kinds]
        if days:
            return Service(status, min(days), note)  # type: ignore[arg-type]
    return Service(note=note)


def _first(events: Sequence[CaseEvent], kind: str) -> date | None:
    days = [e.day for e in events if kind in e.kinds]
    return min(days) if days else None


def compute_deadlines(
    forum: str,
    events: Sequence[CaseEvent],
    service: Service | None = None,
    filed: date | None = None,
    abroad: bool = True,
    co_defendants: bool = False,
) -> list[Deadline]:
    """Every deadline that applies to a defendant in this forum, sorted by date."""
    service = service or service_from_events(events, co_defendants)
    events = _attributable(events, co_defendants)
    kinds = {k for e in events for k in e.kinds}
    start = _start(forum, events, filed)
    out: list[Deadline] = []
    for rule in RULES:
        if rule.forum != forum or (rule.needs and rule.needs not in kinds):
            continue
        if (rule.unless and rule.unless in kinds) or rule.abroad not in (None, abroad):
            continue
        deadline = _apply(rule, events, service, start, kinds)
        if deadline and service.note and rule.trigger != "tro":
            deadline = replace(deadline, basis_zh=f"{deadline.basis_zh}；{service.note}")
        if deadline:
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
) -> Deadline | None:
    if rule.trigger == "tro":
        start = _first(events, "tro")
        if start is None:
            return None
        return Deadline(rule.key, rule.title_zh, add_period(start, rule), "computed", rule.source,
                        f"临时限制令于 {start.isoformat()} 出现在案卷中，自该日起算")  # fmt: skip
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
        basis = f"案卷已有答辩记录（{_first(events, done_kind)}）；" + basis
    return Deadline(rule.key, rule.title_zh, add_period(start, rule), certainty, rule.source, basis)


CERTAINTY_ZH: dict[str, str] = {
    "computed": "确定",
    "earliest": "最早可能届满日",
    "latest": "不晚于",
    "done": "已完成",
    "approximate": "估算（实际可能更早）",
    "pending": "尚未起算",
}
