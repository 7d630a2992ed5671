"""Who else is in or near a case (unknown co-defendants, other cases, peers); when it is judged."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.store import rows

DEFENDANT_ROLES = ("defendant", "respondent")

# PACER captions are cut to the first party on each side plus "et al": more defendants exist.
_ET_AL = re.compile(r"\bet\.? al\b", re.I)
# Captions that name no defendant at all: Schedule A suits, unincorporated associations, Does.
_UNNAMED = re.compile(
    r"\bschedule\s+\"?a\b|unincorporated\s+associations|\bdoes?\s+\d|\bjohn\s+does?\b", re.I
)


def as_instant(when: date | datetime | None, tz: str) -> datetime:
    """An aware instant: a datetime as given (naive counts as `tz`), a date as its start in `tz`.

    A day means its first instant: a deadline still open anywhere in that day is shown open,
    never 已届满 hours before it runs out in the court's own zone.
    """
    if when is None:
        return datetime.now(ZoneInfo(tz))
    if isinstance(when, datetime):
        return when if when.tzinfo else when.replace(tzinfo=ZoneInfo(tz))
    return datetime.combine(when, time(), ZoneInfo(tz))


def defendants_unknown(kind: str, case_name: str, defendants: list[str]) -> bool:
    """True when other defendants may exist, so a docket answer may be another defendant's.

    A Schedule A suit names its sellers only in a sealed schedule: the one defendant row we hold
    is our own match, and another seller's "Answer to Complaint" must never close our deadline.
    """
    return (
        kind == "schedule_a"
        or len(defendants) > 1
        or bool(_ET_AL.search(case_name) or _UNNAMED.search(case_name))
    )


def related_cases(db: Database, company_id: str, exclude: str) -> list[dict[str, Any]]:
    """Other cases in which this company is matched as a defendant."""
    sql = """select distinct c.id, c.docket_number, c.case_name, c.forum from matches m
             join cases c on c.id = m.case_id
             where m.company_id = ? and m.case_id != ? and m.role in (?, ?)
               and m.status != 'dismissed' order by c.id"""
    return list(rows(db, sql, (company_id, exclude, *DEFENDANT_ROLES)))


def product_peers(db: Database, case_id: str) -> list[dict[str, Any]]:
    """Registered exporters not named in the case whose products the case's scope covers."""
    sql = """select distinct co.id, co.name_zh, co.name_en, m.matched_name from matches m
             join companies co on co.id = m.company_id
             where m.case_id = ? and m.level = 'product' order by co.id"""
    return list(rows(db, sql, (case_id,)))
