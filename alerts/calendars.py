"""Court calendars from the `holidays` library: which days move a deadline, which only may.

Nothing here lists a holiday's date: `holidays` maintains them, including the days a President
closes the federal government by executive order (its "government" category for the US).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from core.courts import UPC_STATES

# Chinese names for the statutory US holidays (5 U.S.C. 6103(a)); dates come from the library.
US_NAMES_ZH: dict[str, str] = {
    "New Year's Day": "元旦",
    "Birthday of Martin Luther King, Jr.": "马丁·路德·金纪念日",
    "Martin Luther King Jr. Day": "马丁·路德·金纪念日",
    "Washington's Birthday": "华盛顿诞辰纪念日（总统日）",
    "Memorial Day": "阵亡将士纪念日",
    "Juneteenth National Independence Day": "六月节（Juneteenth）",
    "Independence Day": "独立日",
    "Labor Day": "劳动节",
    "Columbus Day": "哥伦布日",
    "Veterans Day": "退伍军人节",
    "Thanksgiving Day": "感恩节",
    "Thanksgiving": "感恩节",
    "Christmas Day": "圣诞节",
    "Christmas Eve": "平安夜",
    "Day After Christmas": "圣诞节次日",
    "Inauguration Day": "总统就职日",
}
WEEKDAYS_ZH = "一二三四五六日"


@dataclass(frozen=True)
class Holiday:
    """One day off: its date, its name in Chinese (with the English) and what kind of day it is."""

    day: date
    name: str
    name_zh: str
    kind: str  # federal, observed, executive, capital, state, upc_*, china (see label_zh)

    @property
    def label_zh(self) -> str:
        """The day with its name and kind, e.g. "感恩节（美国联邦法定假日）"."""
        kinds = {
            "federal": "美国联邦法定假日",
            "observed": "美国联邦法定假日的补休日",
            "executive": "总统行政令宣布的联邦休假日",
            "capital": "华盛顿特区联邦机关的法定假日，5 U.S.C. 6103(c)",
            "state": "法院所在州的州假日",
            "upc_common": "UPC全体成员国共同的法定假日",
            "upc_state": "UPC分庭所在成员国的法定假日",
            "upc_seat": "UPC分庭所在地区的假日",
            "china": "中国法定节假日",
        }
        space = " " if self.name_zh[:1].isascii() else ""  # CJK beside Latin text
        return f"{space}{self.name_zh}（{kinds[self.kind]}）"


def weekday_zh(day: date) -> str:
    """星期一 … 星期日."""
    return "星期" + WEEKDAYS_ZH[day.weekday()]


def _zh(name: str) -> str:
    parts = [US_NAMES_ZH.get(p.strip().removesuffix(" (observed)"), "") for p in name.split(";")]
    zh = next((p for p in parts if p), "")
    return zh or name


@functools.cache
def _calendar(
    country: str,
    year: int,
    subdiv: str | None,
    categories: tuple[str, ...],
    language: str = "en_US",
) -> dict[date, str]:
    import holidays  # imported on first use: it is slow to load and most commands never count

    cal = holidays.country_holidays(
        country, subdiv=subdiv, years=year, categories=categories, language=language
    )
    return dict(cal.items())


def us_federal(day: date, washington: bool = False) -> Holiday | None:
    """A US federal legal holiday, its observed day, or a day closed by executive order (with
    `washington`, also Inauguration Day, a holiday in the capital's area: 5 U.S.C. 6103(c))."""
    public = _calendar("US", day.year, None, ("public",))
    if day in public:
        name = public[day]
        kind = "observed" if "(observed)" in name else "federal"
        return Holiday(day, name, _zh(name), kind)
    capital = _calendar("US", day.year, "DC", ("public",)) if washington else {}
    if "Inauguration" in capital.get(day, ""):
        return Holiday(day, capital[day], _zh(capital[day]), "capital")
    government = _calendar("US", day.year, None, ("government",))
    # A half-day closing is no "full calendar day designated as a legal holiday" (19 CFR
    # 201.14(a)); the government category lists the full-day closures without that mark.
    if day in government and "half-day" not in government[day]:
        name = government[day]
        return Holiday(day, name, f"{_zh(name)} {name}" if _zh(name) != name else name, "executive")
    return None


def us_state_only(day: date, state: str | None) -> Holiday | None:
    """A legal holiday of the court's state that is no federal statutory one (FRCP 6(a)(6)(C)).

    Only the library's "public" category counts: the days each state's statutes make legal
    holidays. Its "unofficial" category (Groundhog Day, Election Day outside the states that
    close for it …) and "government" (federal closures) are not state holidays.
    """
    found = us_federal(day)
    if not state or (found and found.kind != "executive"):
        return None
    try:
        cal = _calendar("US", day.year, state, ("public",))
    except NotImplementedError:
        return None
    if day not in cal:
        return None
    name = cal[day]
    return Holiday(day, name, f"{name}（{state}）", "state")


def us_business_day(day: date, washington: bool = False) -> bool:
    """Not a Saturday, Sunday or federal legal holiday (statute, observed or executive order)."""
    return day.weekday() < 5 and us_federal(day, washington) is None


def _upc_members(day: date) -> list[str]:
    return [c for c, (since, _) in UPC_STATES.items() if day.isoformat() >= since]


def upc_common(day: date) -> Holiday | None:
    """A public holiday in every UPC Member State on that day (the Court is closed everywhere)."""
    calendars = [_calendar(c, day.year, None, ("public",)) for c in _upc_members(day)]
    if calendars and all(day in cal for cal in calendars):
        name = calendars[0][day]
        return Holiday(day, name, f"{_zh(name)} {name}", "upc_common")
    return None


def upc_state_only(day: date, state: str | None) -> Holiday | None:
    """A public holiday of the division's Member State that not all Member States share."""
    if not state or upc_common(day):
        return None
    cal = _calendar(state, day.year, None, ("public",))
    if day not in cal:
        return None
    return Holiday(day, cal[day], f"{cal[day]}（{state}）", "upc_state")


def upc_seat_only(day: date, state: str | None, region: str | None) -> Holiday | None:
    """A public holiday of the division seat's region only ("Corpus Christi" in Bavaria)."""
    if not state or not region or upc_state_only(day, state) or upc_common(day):
        return None
    cal = _calendar(state, day.year, region, ("public",))
    if day not in cal:
        return None
    return Holiday(day, cal[day], f"{cal[day]}（{state}-{region}）", "upc_seat")


def china_off(day: date) -> Holiday | None:
    """A day off in mainland China: a public holiday or a weekend day not made a working day."""
    cal = _calendar("CN", day.year, None, ("public",), "zh_CN")
    if day in cal:
        return Holiday(day, cal[day], cal[day], "china")
    return None


def china_working_day(day: date) -> bool:
    """A working day in mainland China, counting make-up working days (调休上班)."""
    if day in _calendar("CN", day.year, None, ("public",)):
        return False
    return day.weekday() < 5 or day in _china_workdays(day.year)


@functools.cache
def _china_workdays(year: int) -> frozenset[date]:
    """Weekend days made working days (调休上班), which the library records per year."""
    import holidays

    return frozenset(holidays.country_holidays("CN", years=year).weekend_workdays)


def china_advisory(due: date, working_days: int = 5) -> list[Holiday]:
    """Chinese public holidays on the due date or among the `working_days` days before it."""
    found: list[Holiday] = []
    day, counted = due, 0
    # Walk back over the due date and its 5 preceding Chinese working days; holidays met on the
    # way fall in the window in which the company must instruct its lawyers.
    while counted <= working_days:
        holiday = china_off(day)
        if holiday:
            found.append(holiday)
        elif china_working_day(day):
            counted += 1
        day -= timedelta(days=1)
    return sorted(found, key=lambda h: h.day)
