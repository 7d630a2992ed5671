"""Read one case, its events, a company and its match from the store into records for templates."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from alerts.deadlines import CaseEvent, Deadline, Service, compute_deadlines, local_date
from alerts.deadlines import service_from_events as _service
from alerts.events import classify, institution_day, name_zh
from alerts.parties_known import DEFENDANT_ROLES, as_instant, defendants_unknown
from alerts.stage import Stage, case_stage
from core.courts import COURTS_ZH, court_date, court_zone
from core.records import MatchRecord
from core.store import rows
from core.vocabulary import FORUMS_ZH, UNDATED_ENTRIES

SERVICE_ZH: dict[str, str] = {
    "unknown": "送达情况不明：公开案卷未显示送达记录（常见情形），下列期限按最早可能的送达日推算",
    "served": "已送达",
    "proof_filed": "原告已向法院提交送达回证，实际送达日不晚于提交日",
    "waiver": "已签署放弃正式送达（Waiver of Service），答辩期自放弃请求寄出之日起算",
}
UNKNOWN_UNDER_WAY_ZH = "送达情况不明：公开来源未显示贵单位的送达记录"
_PATENTS = re.compile(r"\b(?:\d{1,2},\d{3},\d{3}|RE\d{2},?\d{3}|D\d{3},\d{3})\b")
# Below entity level an analyst's confirmation is what ties the party to the company.
CONFIRMABLE_LEVELS = ("group", "review")


class AlertsError(Exception):
    """A case, company or match needed for a notice is missing from the store."""


@dataclass(frozen=True)
class EventFact:
    """One event as shown in a notice: verbatim titles, kinds, dates and its source link."""

    id: str
    titles: list[str]
    kinds: list[str]
    published: str
    day: date  # the date in the court's own time zone: what a trigger counts from
    link: str
    doc_url: str
    retrieved_at: str
    source: str
    body: str
    day_bj: date | None = None  # the same moment's date in Beijing, shown beside it

    @property
    def kinds_zh(self) -> list[str]:
        """The Chinese names of this event's kinds."""
        return [name_zh(k) for k in self.kinds]


@dataclass(frozen=True)
class CaseFacts:
    """A case with everything a notice states about it."""

    id: str
    forum: str
    court: str
    docket_number: str
    case_name: str
    kind: str
    plaintiffs: list[str]
    defendants: list[str]
    first_seen: str
    link: str
    source: str
    events: list[EventFact]
    service: Service
    deadlines: list[Deadline]
    patents: list[str] = field(default_factory=list)
    stage: Stage = field(default_factory=lambda: case_stage([]))
    now: datetime = datetime.min.replace(tzinfo=UTC)  # the instant 已届满 is judged at
    zone: str = ""  # the court's IANA time zone, which dates its events
    tz: str = "Asia/Shanghai"  # the bureau's zone, in which `now` is shown

    @property
    def open_deadlines(self) -> list[Deadline]:
        """Deadlines not run out at `now` in the court's zone (and those not yet started)."""
        return [d for d in self.deadlines if not d.expired(self.now)]

    @property
    def expired_deadlines(self) -> list[Deadline]:
        """Deadlines run out at `now` in the court's zone: 已届满, shown apart."""
        return [d for d in self.deadlines if d.expired(self.now)]

    @property
    def earliest_passed(self) -> list[Deadline]:
        """Earliest-possible dates (service unknown) already past: shown open, with a warning."""
        return [d for d in self.deadlines if d.earliest_passed(self.now)]

    @property
    def as_of_zh(self) -> str:
        """The instant deadlines are judged at, in the bureau's zone: 北京时间 2024-04-03 14:59."""
        label = "北京时间" if self.tz == "Asia/Shanghai" else self.tz
        return f"{label} {self.now.astimezone(ZoneInfo(self.tz)):%Y-%m-%d %H:%M}"

    @property
    def forum_zh(self) -> str:
        """The forum in Chinese, with the district for US courts."""
        base = FORUMS_ZH.get(self.forum, self.forum)
        court = COURTS_ZH.get(self.court)
        return f"{base}（{court}，{self.court.upper()}）" if court else base

    @property
    def kinds(self) -> set[str]:
        """Every event kind seen on this case."""
        return {k for e in self.events for k in e.kinds}

    @property
    def service_zh(self) -> str:
        """The service status in Chinese, with any record that may be a co-defendant's."""
        note = f"；{self.service.note}" if self.service.note else ""
        if self.stage.under_way and self.service.status == "unknown":
            return UNKNOWN_UNDER_WAY_ZH + note
        return SERVICE_ZH[self.service.status] + note

    @property
    def first_day(self) -> date | None:
        """The earliest event date we know of."""
        return min((e.day for e in self.events), default=None)


@dataclass(frozen=True)
class CompanyFacts:
    """A registry company and where its warnings go."""

    id: str
    name_zh: str
    name_en: str
    district: str
    products: str
    contacts: list[str]


@dataclass(frozen=True)
class MatchFacts:
    """Why a party was tied to a company: the verbatim party name and each feature's detail."""

    party: str
    role: str
    level: str
    score: float
    matched_name: str
    status: str
    evidence: list[tuple[str, float, str]]


def warrants_warning(match: MatchRecord) -> bool:
    """True for a defendant entity match auto-approved or confirmed by an analyst, and for a group-
    or review-level match to a registry company that an analyst confirmed (then it is the company).
    """
    return (
        match.role in DEFENDANT_ROLES
        and bool(match.company_id)
        and (
            (match.level == "entity" and match.status in ("auto", "confirmed"))
            or (match.level in CONFIRMABLE_LEVELS and match.status == "confirmed")
        )
    )


def _json_list(value: str | None) -> list[str]:
    try:
        data = json.loads(value or "[]")
    except json.JSONDecodeError:
        return [value] if value else []
    return [str(x) for x in data] if isinstance(data, list) else [str(data)]


def load_events(db: Database, case_id: str, tz: str, zone: str = "") -> list[EventFact]:
    """The case's events, oldest first, classified, dated in the court's zone and in `tz`."""
    out = []
    sql = "select * from events where case_id = ? order by published, id"
    for r in rows(db, sql, (case_id,)):
        titles = _json_list(r["event_types"])
        out.append(
            EventFact(
                r["id"],
                titles,
                classify(titles),
                r["published"] or "",
                court_date(r["published"], zone or court_zone(r["forum"] or "", r["court"] or "")),
                r["link"] or "",
                r["doc_url"] or "",
                r["retrieved_at"] or "",
                r["source"] or "",
                r["body"] or "",
                local_date(r["published"], tz),
            )
        )
    return out


def load_case(
    db: Database, case_id: str, tz: str = "Asia/Shanghai", today: date | datetime | None = None
) -> CaseFacts:
    """A case with its events, stage, service status and deadlines (past ones as of `today`)."""
    found = list(rows(db, "select * from cases where id = ?", (case_id,)))
    if not found:
        raise AlertsError(f"case {case_id!r} is not in the database")
    c = found[0]
    forum, court = c["forum"] or "", c["court"] or ""
    zone = court_zone(forum, court)
    events = load_events(db, case_id, tz, zone)
    stage = case_stage(events)
    sql = "select name from parties where case_id = ? and role in (?, ?) order by name"
    defendants = [r["name"] for r in rows(db, sql, (case_id, *DEFENDANT_ROLES))]
    cevents = [
        CaseEvent(
            tuple(e.kinds),
            e.day,
            institution_day(e.body) if "institution" in e.kinds else None,
            UNDATED_ENTRIES in e.body,
        )
        for e in events
    ]
    co_defendants = defendants_unknown(c["kind"] or "", c["case_name"] or "", defendants)
    service = _service(cevents, co_defendants)
    filed = court_date(c["first_seen"], zone) if c.get("first_seen") else None
    if cevents:
        filed = min(filed or cevents[0].day, min(e.day for e in cevents))
    patents = sorted({p for e in events for p in _PATENTS.findall(e.body)})
    return CaseFacts(
        c["id"],
        c["forum"] or "",
        c["court"] or "",
        c["docket_number"] or "",
        c["case_name"] or "",
        c["kind"] or "ordinary",
        _json_list(c["plaintiffs"]),
        defendants,
        c["first_seen"] or "",
        c["link"] or "",
        c["source"] or "",
        events,
        service,
        compute_deadlines(
            forum, cevents, service, filed, True, co_defendants, court, stage.under_way
        ),
        patents,
        stage,
        as_instant(today, tz),
        zone,
        tz,
    )


def load_company(db: Database, company_id: str) -> CompanyFacts:
    """A registry company with its contact addresses (several may be separated by ; or ,)."""
    found = list(rows(db, "select * from companies where id = ?", (company_id,)))
    if not found:
        raise AlertsError(f"company {company_id!r} is not in the companies table")
    c = found[0]
    contacts = [a.strip() for a in re.split(r"[;,\s]+", c.get("contact_email") or "") if "@" in a]
    return CompanyFacts(
        c["id"],
        c["name_zh"] or "",
        c["name_en"] or "",
        c["district"] or "",
        c["products"] or "",
        contacts,
    )


def match_facts(match: MatchRecord) -> MatchFacts:
    """A stored match as the notice shows it, with its evidence sorted strongest first."""
    return MatchFacts(
        match.party,
        match.role,
        match.level,
        float(match.score),
        match.matched_name,
        match.status,
        match.evidence_items(),
    )
