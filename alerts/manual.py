"""Deadlines for a trigger an analyst types in: forum, court, trigger kind and day."""

from __future__ import annotations

import re
from datetime import date

from alerts.deadlines import RULES, Deadline, Trigger, deadline_for
from core.courts import UPC_STATES, US_DISTRICTS

FORUMS: tuple[str, ...] = ("usdc", "itc", "upc")
TRIGGERS: tuple[str, ...] = ("service", "waiver", "tro")


class TriggerError(ValueError):
    """The forum, court, trigger or date cannot be used to count a deadline."""


def parse_day(text: str) -> date:
    """A YYYY-MM-DD date, or TriggerError naming what was given."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise TriggerError(f"--date {text!r} is not a date in the form YYYY-MM-DD") from None


def _court(forum: str, court: str) -> str:
    if not court or forum == "itc":
        return ""
    if forum == "usdc":
        if court.lower() not in US_DISTRICTS:
            raise TriggerError(f"--court {court!r} is not a US district court code (e.g. txwd)")
        return court.lower()
    state = court.upper() if re.fullmatch(r"[A-Za-z]{2}", court) else ""
    if state and state not in UPC_STATES:
        raise TriggerError(f"--court {court!r} is not a UPC Member State (e.g. DE)")
    return f"({state})" if state else court  # a division name like "Düsseldorf (DE) …"


def trigger_deadlines(
    forum: str,
    trigger: str,
    day: date,
    court: str = "",
    abroad: bool = False,
    temporary_relief: bool = False,
) -> list[Deadline]:
    """Every rule of the forum that the trigger starts, counted from `day` under its own rule."""
    if forum not in FORUMS:
        raise TriggerError(f"--forum {forum!r} is unknown: use one of {', '.join(FORUMS)}")
    if trigger not in TRIGGERS:
        raise TriggerError(f"--trigger {trigger!r} is unknown: use one of {', '.join(TRIGGERS)}")
    where = _court(forum, court)
    kinds = {"temporary_relief"} if temporary_relief else set()
    kinds.add("tro")  # the TRO rule needs an order; typing the trigger says there is one
    out = []
    for rule in RULES:
        if rule.forum != forum or rule.trigger != trigger:
            continue
        if rule.needs and rule.needs not in kinds or rule.unless and rule.unless in kinds:
            continue
        if rule.abroad is not None and rule.abroad != abroad:
            continue
        basis = f"触发日 {day.isoformat()}（{_TRIGGERS_ZH[trigger]}）"
        try:
            out.append(deadline_for(rule, day, "computed", basis, where))
        except (OverflowError, ValueError):
            # The period (or its roll past a weekend) ends after 9999-12-31, the last date Python
            # and the holiday calendars can hold: a typing slip, not a case.
            raise TriggerError(
                f"--date {day.isoformat()} 起算的期限超出可计算的日期范围（9999-12-31 之后）"
                f" / the deadline from --date {day.isoformat()} falls after 9999-12-31, "
                "beyond the dates that can be counted"
            ) from None
    if not out:
        raise TriggerError(f"no {forum} rule starts with --trigger {trigger}")
    return sorted(out, key=lambda d: (d.due or date.max, d.key))


_TRIGGERS_ZH: dict[Trigger, str] = {
    "service": "送达日",
    "waiver": "放弃送达请求寄出日",
    "tro": "临时限制令作出日",
}


def as_json(deadlines: list[Deadline]) -> dict[str, list[dict[str, str]]]:
    """The `ipwatch deadlines --json` shape: rule, due, unadjusted, why, source."""
    return {
        "deadlines": [
            {
                "rule": d.key,
                "due": d.due.isoformat() if d.due else "",
                "unadjusted": d.unadjusted.isoformat() if d.unadjusted else "",
                "why": d.why_zh,
                "source": d.counting,
            }
            for d in deadlines
        ]
    }
