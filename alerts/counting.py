"""One counting engine per rule text: FRCP 6(a)(1), 19 CFR 201.14(a) and UPC RoP 300.

Each engine returns the due date, the date before any roll-forward, why each step moved it (in
Chinese, for the notice) and holidays whose force is uncertain: those never move the due date,
since the earlier date is the safe side, but are shown as a possible extension to confirm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from alerts.calendars import (
    Holiday,
    upc_common,
    upc_state_only,
    us_business_day,
    us_federal,
    us_state_only,
    weekday_zh,
)

FRCP = "FRCP 6(a)(1)(C)"
ITC = "19 CFR 201.14(a)"
UPC = "UPC RoP 300"


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


def _closed_us(day: date, state: str | None = None, executive: bool = True) -> str:
    """Why a US court or the Commission is closed that day, or "" when it is open.

    With `state`, that state's legal holidays close the day too (FRCP 6(a)(6)(C)); without
    `executive`, a day closed only by a President's executive order does not (see frcp()).
    """
    holiday = us_federal(day)
    if holiday and (executive or holiday.kind != "executive"):
        return f"{day.isoformat()} 是{holiday.label_zh}"
    if day.weekday() >= 5:
        return f"{day.isoformat()} 是{weekday_zh(day)}"
    local = us_state_only(day, state)
    if local:
        return f"{day.isoformat()} 是{local.label_zh}（FRCP 6(a)(6)(C)）"
    return ""


def _roll_us(
    last: date, rule: str, state: str | None = None, executive: bool = True
) -> tuple[date, list[str]]:
    """Roll a last day that is a Saturday, Sunday or legal holiday to the next open day."""
    reasons, day = [], last
    while reason := _closed_us(day, state, executive):
        reasons.append(reason)
        day += timedelta(days=1)
    return day, reasons


def _why(rule: str, last: date, due: date, reasons: list[str], counted: str) -> str:
    if due == last:
        return (
            f"{counted}，末日 {last.isoformat()}（{weekday_zh(last)}）为工作日，无需顺延（{rule}）"
        )
    return f"{counted}；{'，'.join(reasons)}，顺延至 {due.isoformat()}（{weekday_zh(due)}，{rule}）"


def _possible(day: date, holiday: Holiday | None, due: date) -> tuple[str, ...]:
    if holiday is None or holiday.kind != "executive":
        return ()
    return (
        f"{day.isoformat()} 是{holiday.label_zh}；总统以行政令让联邦行政机关休假的日子是否属"
        "“总统宣布的假日”（FRCP 6(a)(6)(B)）、法院当日是否闭庭，以法院公告为准，"
        f"届时期限可能延至下一工作日，但此处仍按 {due.isoformat()} 提示，请与律师确认",
    )


def frcp(trigger: date, days: int, state: str | None = None) -> Count:
    """FRCP 6(a)(1): exclude the trigger day, count every day, roll a closed last day forward.

    Legal holidays (6(a)(6)) are the federal statutory days, their observed days and the court
    state's own legal holidays (6(a)(6)(C)). A day a President closes the executive branch by
    order is not rolled over: orders excuse federal employees without always "declaring a
    holiday" under 6(a)(6)(B), and the judiciary decides for itself whether to close (it stayed
    open on some mourning days). The earlier date is the safe side, so the order is shown as a
    possible extension to confirm.
    """
    last = trigger + timedelta(days=days)
    due, reasons = _roll_us(last, FRCP, state, executive=False)
    counted = f"自 {trigger.isoformat()} 次日起算 {days} 日，末日为 {last.isoformat()}"
    possible = _possible(due, us_federal(due), due)
    return Count(due, last, FRCP, _why(FRCP, last, due, reasons, counted), possible)


def itc(trigger: date, days: int) -> Count:
    """19 CFR 201.14(a): begin with the first business day after the act; roll forward."""
    first = trigger + timedelta(days=1)
    while not us_business_day(first):
        first += timedelta(days=1)
    if days < 7:
        # Periods under 7 days exclude intermediate Saturdays, Sundays and federal holidays.
        last, counted_days = first, 1
        while counted_days < days:
            last += timedelta(days=1)
            counted_days += int(us_business_day(last))
        how = f"{days} 个工作日"
    else:
        last = first + timedelta(days=days - 1)  # the first business day is day 1
        how = f"{days} 日"
    due, reasons = _roll_us(last, ITC)
    counted = (
        f"自行为日 {trigger.isoformat()} 后的第一个工作日 {first.isoformat()}"
        f"（{weekday_zh(first)}）起算 {how}，末日为 {last.isoformat()}"
    )
    return Count(due, last, ITC, _why(ITC, last, due, reasons, counted))


def _closed_upc(day: date) -> str:
    holiday = upc_common(day)
    if holiday:
        return f"{day.isoformat()} 是{holiday.label_zh}"
    if day.weekday() >= 5:
        return f"{day.isoformat()} 是{weekday_zh(day)}"
    return ""


def upc(trigger: date, months: int, state: str | None = None) -> Count:
    """UPC RoP 300: same day number months later (else the month's last day); roll forward."""
    last = trigger + relativedelta(months=months)
    reasons, due = [], last
    while reason := _closed_upc(due):
        reasons.append(reason)
        due += timedelta(days=1)
    counted = f"自 {trigger.isoformat()} 起 {months} 个月，末日为 {last.isoformat()}"
    if last.day != trigger.day:
        counted += f"（该月无 {trigger.day} 日，取当月最后一日）"
    holiday = upc_state_only(due, state)
    possible: tuple[str, ...] = ()
    if holiday:
        possible = (
            f"{due.isoformat()} 是{holiday.label_zh}，并非所有成员国共同的假日；"
            "该分庭可能视为法定假日而顺延（RoP 300），"
            f"但此处仍按 {due.isoformat()} 提示，请与律师确认",
        )
    return Count(due, last, UPC, _why(UPC, last, due, reasons, counted), possible)
