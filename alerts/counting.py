"""One counting engine per rule text: FRCP 6(a)(1), 19 CFR 201.14(a) and UPC RoP 300-301.

Each engine returns the due date, the date before any roll-forward, why each step moved it (in
Chinese, for the notice) and holidays whose force is uncertain: those never move the due date,
since the earlier date is the safe side, but are shown as a possible extension to confirm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from alerts.calendars import (
    upc_common,
    upc_seat_only,
    upc_state_only,
    us_business_day,
    us_federal,
    us_state_only,
    weekday_zh,
)

FRCP = "FRCP 6(a)(1)(C)"
ITC = "19 CFR 201.14(a)"
UPC = "UPC RoP 300, 301.1"


@dataclass(frozen=True)
class Count:
    """A counted period: the due date, the unadjusted last day and the reasons in Chinese."""

    due: date
    unadjusted: date
    rule: str
    why_zh: str
    possible_zh: tuple[str, ...] = field(default_factory=tuple)

    @property
    def moved(self) -> bool:
        """True when a weekend or holiday moved the last day."""
        return self.due != self.unadjusted


def _closed_us(day: date, executive: bool = True, washington: bool = False) -> str:
    """Why a US court or the Commission is closed that day, or "" when it is open (without
    `executive`, a day closed only by a President's executive order does not count: frcp();
    with `washington`, Inauguration Day closes it too: the Commission sits in the capital)."""
    holiday = us_federal(day, washington)
    if holiday and (executive or holiday.kind != "executive"):
        return f"{day.isoformat()} 是{holiday.label_zh}"
    if day.weekday() >= 5:
        return f"{day.isoformat()} 是{weekday_zh(day)}"
    return ""


def _roll_us(
    last: date, rule: str, executive: bool = True, washington: bool = False
) -> tuple[date, list[str]]:
    """Roll a last day that is a Saturday, Sunday or federal legal holiday to the next open day."""
    reasons, day = [], last
    while reason := _closed_us(day, executive, washington):
        reasons.append(reason)
        day += timedelta(days=1)
    return day, reasons


def _why(rule: str, last: date, due: date, reasons: list[str], counted: str) -> str:
    if due == last:
        return (
            f"{counted}，末日 {last.isoformat()}（{weekday_zh(last)}）为工作日，无需顺延（{rule}）"
        )
    return f"{counted}；{'，'.join(reasons)}，顺延至 {due.isoformat()}（{weekday_zh(due)}，{rule}）"


# Days that may extend an FRCP period, shown beside the date and never applied to it.
_EXECUTIVE_DAY = (
    "总统以行政令让联邦行政机关休假的日子是否属“总统宣布的假日”（FRCP 6(a)(6)(B)）、"
    "法院当日是否闭庭，以法院公告为准"
)
_STATE_DAY = (
    "FRCP 6(a)(6)(C) 把法院所在州宣布的假日列为法定假日，但哪些州假日属于此类、"
    "法院当日是否闭庭，各法院做法不一，以法院公告为准"
)


def _possible(due: date, state: str | None) -> tuple[str, ...]:
    federal, local = us_federal(due), us_state_only(due, state)
    if federal is not None and federal.kind == "executive":
        holiday, why = federal, _EXECUTIVE_DAY
    elif local is not None:
        holiday, why = local, _STATE_DAY
    else:
        return ()
    return (
        f"{due.isoformat()} 是{holiday.label_zh}；{why}，"
        f"届时期限可能延至下一工作日，但此处仍按 {due.isoformat()} 提示，请与律师确认",
    )


def frcp(trigger: date, days: int, state: str | None = None) -> Count:
    """FRCP 6(a)(1): exclude the trigger day, count every day, roll a closed last day forward.

    Rolled over: weekends and the federal legal holidays with their observed days. Shown as a
    possible extension only, on the last day: a day a President closes the executive branch
    by order (orders excuse federal employees without always "declaring a holiday" under
    6(a)(6)(B), and the judiciary decides for itself whether to close) and a holiday of the
    court's state (6(a)(6)(C) counts days the state "declares", yet states list optional and
    commemorative days their offices stay open on, and courts differ on which count). A date
    told too late makes a company default; one told a day early costs it a day.
    """
    last = trigger + timedelta(days=days)
    due, reasons = _roll_us(last, FRCP, executive=False)
    counted = f"自 {trigger.isoformat()} 次日起算 {days} 日，末日为 {last.isoformat()}"
    return Count(due, last, FRCP, _why(FRCP, last, due, reasons, counted), _possible(due, state))


def itc(trigger: date, days: int) -> Count:
    """19 CFR 201.14(a): begin with the first business day after the act; roll forward."""
    first = trigger + timedelta(days=1)
    while not us_business_day(first, washington=True):
        first += timedelta(days=1)
    if days < 7:
        # Periods under 7 days exclude intermediate Saturdays, Sundays and federal holidays.
        last, counted_days = first, 1
        while counted_days < days:
            last += timedelta(days=1)
            counted_days += int(us_business_day(last, washington=True))
        how = f"{days} 个工作日"
    else:
        last = first + timedelta(days=days - 1)  # the first business day is day 1
        how = f"{days} 日"
    due, reasons = _roll_us(last, ITC, washington=True)
    counted = (
        f"自行为日 {trigger.isoformat()} 后的第一个工作日 {first.isoformat()}"
        f"（{weekday_zh(first)}）起算 {how}，末日为 {last.isoformat()}"
    )
    return Count(due, last, ITC, _why(ITC, last, due, reasons, counted))


def _closed_upc(day: date, state: str | None) -> str:
    holiday = upc_common(day) or upc_state_only(day, state)
    if holiday:
        return f"{day.isoformat()} 是{holiday.label_zh}"
    if day.weekday() >= 5:
        return f"{day.isoformat()} 是{weekday_zh(day)}"
    return ""


def upc(trigger: date, months: int, state: str | None = None, region: str | None = None) -> Count:
    """UPC RoP 300: same day number months later (else the month's last day); RoP 301.1: a
    period ending on a Saturday, Sunday or official holiday of the Member State where the
    division sits ends on the next working day. A holiday of the seat's region only (a German
    Land) is shown as a possible extension: the rule names the Member State's holidays."""
    last = trigger + relativedelta(months=months)
    reasons, due = [], last
    while reason := _closed_upc(due, state):
        reasons.append(reason)
        due += timedelta(days=1)
    counted = f"自 {trigger.isoformat()} 起 {months} 个月，末日为 {last.isoformat()}"
    if last.day != trigger.day:
        counted += f"（该月无 {trigger.day} 日，取当月最后一日）"
    holiday = upc_seat_only(due, state, region)
    possible: tuple[str, ...] = ()
    if holiday:
        possible = (
            f"{due.isoformat()} 是{holiday.label_zh}，并非该成员国全国的法定假日；"
            "分庭可能视为 RoP 301.1 所称的法定假日而顺延至下一工作日，"
            f"但此处仍按 {due.isoformat()} 提示，请与律师确认",
        )
    return Count(due, last, UPC, _why(UPC, last, due, reasons, counted), possible)
