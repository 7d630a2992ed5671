"""The Deadline record: a due date, how sure it is, and whether it has run out in court."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

# computed: the trigger date is known; earliest: service is unknown, so the date is the earliest
# plausible one (service on the first day we know of); latest: proof of service was filed, so
# service happened on or before that day and the deadline falls on or before the date shown;
# done: the step was already taken (an answer is on file); approximate: counted from a day known
# to fall after the true trigger (FR publication follows ITC institution), so it may be earlier;
# pending: the clock has not started (ITC complaint received, investigation not yet instituted);
# extended: an extension of time to answer was sought or ordered, so the court's order decides.
Certainty = Literal["computed", "earliest", "latest", "done", "approximate", "pending", "extended"]

# 19 CFR 210.13(a): the response is due 20 days after SERVICE of the complaint and notice of
# investigation (10 with temporary relief); the Commission serves upon institution.
ITC_BEFORE_INSTITUTION_ZH = (
    "337调查申请书及立案公告送达后20日（申请临时救济的为10日）"
    "（20 days after service of the complaint and notice of investigation, 19 CFR 210.13(a)）"
)
EXPIRED_ZH = "已届满"
# An "earliest" date assumes service on the first day we know of: its passing says only that
# the real deadline may have run, never that it has.
EARLIEST_PASSED_ZH = "最早可能日期已过（送达日期未知），实际期限可能尚未届满，请立即核实送达日期"


@dataclass(frozen=True)
class Deadline:
    """One computed date with the rule behind it, how sure it is, and why it falls there."""

    key: str
    title_zh: str
    due: date | None  # None while the clock has not started (certainty "pending")
    certainty: Certainty
    source: str
    basis_zh: str
    unadjusted: date | None = None  # the last day before a weekend or holiday moved it
    why_zh: str = ""  # the counting rule applied and, if it moved the date, why
    counting: str = ""  # FRCP 6(a)(1)(C), 19 CFR 201.14(a) or UPC RoP 300, 301.1
    possible_zh: tuple[str, ...] = field(default_factory=tuple)  # may extend; not applied
    china_zh: str = ""  # the Chinese holiday advisory, when one applies
    zone: str = "UTC"  # the court's IANA zone: the due day ends at midnight there

    @property
    def due_zh(self) -> str:
        """The due date, or in words when it cannot be computed yet."""
        return self.due.isoformat() if self.due else ITC_BEFORE_INSTITUTION_ZH

    @property
    def ends_at(self) -> datetime | None:
        """The instant the due day ends: midnight after it in the court's zone (FRCP 6(a)(4)(A))."""
        if self.due is None:
            return None
        return datetime.combine(self.due + timedelta(days=1), time(), ZoneInfo(self.zone))

    def passed(self, now: datetime) -> bool:
        """True when the instant `now` is past the end of the due day in the court's zone."""
        ends = self.ends_at
        return ends is not None and now >= ends

    def expired(self, now: datetime) -> bool:
        """True when the period has run out at `now` (已届满); an earliest date never has."""
        return self.certainty != "earliest" and self.passed(now)

    def earliest_passed(self, now: datetime) -> bool:
        """True when an earliest-possible date (service unknown) has passed at `now`."""
        return self.certainty == "earliest" and self.passed(now)

    def passed_zh(self, now: datetime) -> str:
        """已届满, the earliest-date-passed wording, or "" while the date is still ahead."""
        if self.expired(now):
            return EXPIRED_ZH
        return EARLIEST_PASSED_ZH if self.earliest_passed(now) else ""


CERTAINTY_ZH: dict[str, str] = {
    "computed": "确定",
    "earliest": "最早可能届满日",
    "latest": "不晚于",
    "done": "已完成",
    "approximate": "估算（实际可能更早）",
    "pending": "尚未起算",
    "extended": "已延期，以法院命令为准",
}
