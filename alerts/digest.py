"""The analysts' daily digest: matches, updates, review queue, deadlines, deliveries, sources."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from alerts.compose import Envelope, build_message
from alerts.deadlines import Deadline, iso, parse_iso
from alerts.events import KEY_EVENTS, classify, name_zh
from alerts.facts import CaseFacts, load_case, match_facts
from alerts.links import case_links
from alerts.outbox import queue_message
from alerts.pacer_section import PacerSection, pacer_section
from alerts.render import render
from core.config import Config
from core.notices import OPEN_STATUSES, NoticeRow, list_notices
from core.records import MatchRecord
from core.store import rows

UPCOMING_DAYS = 14
Pairs = list[tuple[dict[str, Any], Deadline]]


@dataclass(frozen=True)
class DigestResult:
    """Where the digest was written and whether this call queued its email."""

    html_path: Path
    text_path: Path
    queued: bool


@dataclass
class Digest:
    """Everything one day's digest shows, section by section."""

    day: date
    since: str
    until: str
    new_entity: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    review: list[dict[str, Any]] = field(default_factory=list)
    local: list[dict[str, Any]] = field(default_factory=list)
    products: list[dict[str, Any]] = field(default_factory=list)
    campaigns: list[dict[str, Any]] = field(default_factory=list)
    deadlines: list[tuple[dict[str, Any], Deadline]] = field(default_factory=list)
    overdue: list[tuple[dict[str, Any], Deadline]] = field(default_factory=list)
    signoff: list[NoticeRow] = field(default_factory=list)
    pdf_notes: list[NoticeRow] = field(default_factory=list)
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    missing_contacts: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    pacer: PacerSection | None = None
    at: datetime | None = None  # the instant deadlines were judged at (the window's end)

    @property
    def nothing_new(self) -> bool:
        """True when no section reports anything that happened in the window."""
        return not (
            self.new_entity or self.updates or self.local or self.products or self.campaigns
        )


_MATCH_SQL = """select m.*, c.docket_number, c.case_name, c.forum, c.court, c.link,
    co.name_zh, co.name_en from matches m join cases c on c.id = m.case_id
    left join companies co on co.id = m.company_id
    where {where} order by m.score desc, m.id"""


def _matches(db: Database, where: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    return list(rows(db, _MATCH_SQL.format(where=where), params))


def _deadlines_of(db: Database, cfg: Config, case_id: str, at: datetime) -> CaseFacts:
    return load_case(db, case_id, cfg.timezone, today=at)


def build_digest(db: Database, cfg: Config, day: date, now: datetime) -> Digest:
    """Collect the digest for `day`: what arrived since the previous digest (or in 24 hours)."""
    tz = ZoneInfo(cfg.timezone)
    until = min(now, datetime.combine(day + timedelta(days=1), time(), tz))
    since = _previous_digest(db, day, until) or until - timedelta(days=1)
    # (since, until]: consecutive digests never overlap, and work stored earlier in the same
    # second as the digest (timestamps have whole seconds) still counts.
    window = (iso(since), iso(until))
    d = Digest(day, window[0], window[1], at=until)
    in_window = "m.created_at > ? and m.created_at <= ?"
    for m in _matches(
        db,
        f"m.level = 'entity' and m.role in ('defendant', 'respondent') "
        f"and m.status != 'dismissed' and {in_window}",
        window,
    ):
        case = _deadlines_of(db, cfg, m["case_id"], until)
        d.new_entity.append({**m, "deadlines": case.open_deadlines, "stage": case.stage})
    d.review = review_queue(db)
    d.signoff = [n for status in OPEN_STATUSES for n in list_notices(db, status=status)]
    if cfg.alerts.chromium.strip():  # switched off on purpose: no news worth a line
        recent = list_notices(db, limit=50)
        d.pdf_notes = [n for n in recent if n.pdf_note and n.signed_at > window[0]]
    d.local = _matches(db, f"m.level = 'local' and {in_window}", window)
    d.products = _matches(db, f"m.level = 'product' and {in_window}", window)
    d.updates = _updates(db, window)
    d.campaigns = _campaigns(db, window)
    d.deadlines, d.overdue = _upcoming(db, cfg, day, until)
    d.deliveries = list(
        rows(
            db,
            """select id, kind, subject, state, attempts, last_error,
        next_attempt, message_id from outbox where state in ('failed', 'held')
        or (state = 'pending' and attempts > 0)
        or (state = 'sent' and coalesce(last_error, '') != '') order by created_at, id""",
        )
    )
    d.missing_contacts = list(
        rows(
            db,
            """select o.id, o.case_id, o.company_id, o.state,
        co.name_zh from outbox o left join companies co on co.id = o.company_id
        where o.kind = 'warning' and o.subject like '[待转发]%'
        and not exists (select 1 from notices n where n.outbox_id = o.id and n.status != 'held')
        order by o.created_at, o.id""",
        )
    )
    d.sources = _sources(db, cfg)
    d.pacer = pacer_section(db, cfg, now)
    return d


def _sources(db: Database, cfg: Config) -> list[dict[str, Any]]:
    """Every source's health row, and each enabled source never crawled yet (status says so)."""
    found = {r["id"]: r for r in rows(db, "select * from sources order by id")}
    for source in cfg.sources:
        if source.enabled and source.id not in found:
            found[source.id] = {
                "id": source.id, "kind": source.kind, "status": "never", "last_attempt": "",
                "last_success": "", "items_seen": 0, "new_items": 0, "consecutive_failures": 0,
                "last_error": "启用但从未抓取 enabled but never crawled",
            }  # fmt: skip
    return [found[k] for k in sorted(found)]


def review_queue(db: Database) -> list[dict[str, Any]]:
    """Pending entity/group/review matches with their id, evidence lines and free links first."""
    out = []
    for m in _matches(db, "m.status = 'pending' and m.level in ('entity', 'group', 'review')", ()):
        evidence = match_facts(MatchRecord.from_row(m)).evidence
        urls = [m["link"] or "", *_event_links(db, m["case_id"])]
        links = case_links(m["forum"] or "", m["court"] or "", m["docket_number"] or "", urls)
        out.append({**m, "evidence_lines": [d for _, _, d in evidence[:3]], "links": links})
    return out


def _event_links(db: Database, case_id: str) -> list[str]:
    sql = "select distinct link from events where case_id = ? and coalesce(link, '') != ''"
    return [r["link"] for r in rows(db, sql, (case_id,))]


def _previous_digest(db: Database, day: date, until: datetime) -> datetime | None:
    """When the last earlier digest was queued: the digest job skips weekends and holidays."""
    sql = """select max(created_at) as at from outbox where kind = 'digest' and id != ?
             and created_at < ?"""
    found = list(rows(db, sql, (digest_key(day), iso(until))))
    return parse_iso(found[0]["at"]) if found and found[0]["at"] else None


def _updates(db: Database, window: tuple[str, str]) -> list[dict[str, Any]]:
    """Events that arrived in the window on cases already warned to a company."""
    # Only events that arrived after the case's first warning: earlier ones are in the notice.
    sql = """select e.*, c.docket_number as docket, c.case_name as caption from events e
             join cases c on c.id = e.case_id
             where e.retrieved_at > (select min(created_at) from outbox o
                                     where o.kind = 'warning' and o.case_id = e.case_id)
             and e.retrieved_at > ? and e.retrieved_at <= ? order by e.published, e.id"""
    out = []
    for e in rows(db, sql, window):
        titles = json.loads(e["event_types"] or "[]")
        kinds = classify(titles)
        key = bool(KEY_EVENTS.intersection(kinds))
        out.append({**e, "titles": titles, "kinds_zh": [name_zh(k) for k in kinds], "key": key})
    return out


def _campaigns(db: Database, window: tuple[str, str]) -> list[dict[str, Any]]:
    """New Schedule A cases grouped by plaintiff: one line per campaign."""
    sql = """select plaintiffs, docket_number, case_name, court from cases where kind = 'schedule_a'
             and first_seen > ? and first_seen <= ? order by plaintiffs, docket_number"""
    grouped: dict[str, dict[str, Any]] = {}
    for c in rows(db, sql, window):
        plaintiff = "; ".join(json.loads(c["plaintiffs"] or "[]")) or c["case_name"]
        entry = grouped.setdefault(plaintiff, {"plaintiff": plaintiff, "cases": []})
        entry["cases"].append(c)
    return list(grouped.values())


def _upcoming(db: Database, cfg: Config, day: date, at: datetime) -> tuple[Pairs, Pairs]:
    """Open deadlines due in the next 14 days, then overdue ones, on actively matched cases.

    Past means past midnight after the due day in the court's zone at the instant `at`; an
    earliest date (service unknown) that has passed is listed with the past ones but labelled
    apart, since its passing does not show that the period ran out.
    """
    sql = """select distinct m.case_id, c.docket_number, c.case_name, co.name_zh from matches m
             join cases c on c.id = m.case_id left join companies co on co.id = m.company_id
             where m.level = 'entity' and m.role in ('defendant', 'respondent')
             and m.status != 'dismissed' order by m.case_id, co.name_zh"""
    end = day + timedelta(days=UPCOMING_DAYS)
    pairs = [
        (c, dl)
        for c in rows(db, sql)
        for dl in _deadlines_of(db, cfg, c["case_id"], at).deadlines
        if dl.due and dl.certainty != "done"
    ]
    upcoming = [(c, dl) for c, dl in pairs if dl.due and dl.due <= end and not dl.passed(at)]
    overdue = [(c, dl) for c, dl in pairs if dl.passed(at)]

    def by_date(pair: tuple[dict[str, Any], Deadline]) -> tuple[date, str]:
        return (pair[1].due or end, pair[0]["case_id"])

    return sorted(upcoming, key=by_date), sorted(overdue, key=by_date)


def digest_paths(cfg: Config, day: date) -> tuple[Path, Path]:
    """<out_dir>/digests/digest-YYYY-MM-DD.html and .txt."""
    folder = cfg.path(cfg.alerts.out_dir) / "digests"
    return folder / f"digest-{day.isoformat()}.html", folder / f"digest-{day.isoformat()}.txt"


def digest_key(day: date) -> str:
    """The outbox key of the day's digest email."""
    return f"digest|||{day.isoformat()}"


def digest_subject(d: Digest) -> str:
    """The digest email's subject."""
    return (
        f"【海外知识产权预警日报】{d.day.isoformat()} 新增实体匹配 {len(d.new_entity)} 宗，"
        f"待复核 {len(d.review)} 条" + (f"，待签发 {len(d.signoff)} 份" if d.signoff else "")
    )


def write_digest(
    db: Database,
    cfg: Config,
    day: date | None = None,
    now: datetime | None = None,
    email: bool = True,
) -> DigestResult:
    """Write the day's digest files and, with email=True, queue its email to the analysts once."""
    now = now or datetime.now(UTC)
    day = day or now.astimezone(ZoneInfo(cfg.timezone)).date()
    d = build_digest(db, cfg, day, now)
    context = {"d": d, "bureau": cfg.bureau, "footer_note": _footer(cfg)}
    html, text = render("digest.html", **context), render("digest.txt", **context)
    html_path, text_path = digest_paths(cfg, day)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(html, encoding="utf-8")
    text_path.write_text(text, encoding="utf-8")
    key = digest_key(day)
    # Each cycle refreshes the files; only the scheduled digest job emails, once per day.
    if (
        not email
        or not cfg.analysts
        or list(rows(db, "select id from outbox where id = ?", (key,)))
    ):
        return DigestResult(html_path, text_path, False)
    envelope = Envelope(list(cfg.analysts), [], [])
    msg = build_message(
        cfg, key=key, subject=digest_subject(d), text=text, html=html, envelope=envelope, now=now
    )
    queue_message(db, key, "digest", ("", "", day.isoformat()), msg, envelope, now)
    return DigestResult(html_path, text_path, True)


def _footer(cfg: Config) -> str:
    return (
        f"本日报由 ipwatch 为{cfg.bureau.name}{cfg.bureau.desk}生成。"
        "调整匹配规则请编辑 config.yaml "
        "及企业名录 data/exporters.csv；复核匹配请使用 `ipwatch review`。"
    )
