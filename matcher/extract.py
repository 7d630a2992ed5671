"""Turn stored events into cases, parties and matches: the step between crawl and alerts."""

from __future__ import annotations

from time import perf_counter
from typing import Any

from sqlite_utils import Database

from core import extract_store as store
from core.config import Config
from core.faults import crash_point
from core.logs import progress
from core.store import dumps, now_iso
from matcher.extract_rows import (
    ExtractResult,
    case_key,
    extract_one,
    gate_status,
    match_record,
    parties_of,
    resolve_case,
    row_id,
    scope_key,
)
from matcher.match import Matcher
from matcher.match_pool import MatchPool
from matcher.registry import Registry
from matcher.types import MatchResult, Party

# Callers import these from here; the row-by-row path lives in matcher/extract_rows.py.
__all__ = [
    "BATCH",
    "ExtractResult",
    "case_key",
    "extract_all",
    "gate_status",
    "resolve_case",
    "scope_key",
    "sync_registry",
]

BATCH = 500  # events whose writes are gathered and written together (ITC events last)
# Batches per transaction: each commit rewrites the index pages its events touch, so four
# batches per commit halve the pages written; a crash still loses only work redone next cycle.
PER_COMMIT = 4
# New parties in one batch from which they are matched on every core (see _Verdicts).
PARALLEL_BATCH = 400


def sync_registry(db: Database, registry: Registry) -> None:
    """Mirror the registry into the companies table, so alerts and the digest can join on it.

    A registry unchanged since the last mirror (the same digest of every field) writes
    nothing: at a million companies the mirror is a million rows.
    """
    digest = registry.table.digest().hex()
    last = list(db.query("select digest from registry_mirror where id = 1"))
    if last and last[0]["digest"] == digest:
        return
    with db.atomic():
        db.table("companies").upsert_all(
            (
                {
                    "id": c.id,
                    "name_zh": c.name_zh,
                    "name_en": c.name_en,
                    "aliases": ";".join(n.text for n in c.names if n.kind in ("variant", "former")),
                    "district": c.district,
                    "industry": c.industry,
                    "products": c.products,
                    "parent_group": c.parent_group,
                    "contact_email": c.contact_email,
                }
                for c in registry.companies
            ),
            pk="id",
        )
        db.table("registry_mirror").upsert({"id": 1, "digest": digest, "at": now_iso()}, pk="id")


def extract_all(db: Database, cfg: Config, matcher: Matcher) -> ExtractResult:
    """Extract and match every pending event, committing in batches of set-based writes."""
    out = ExtractResult()
    total = store.pending_count(db)
    bar = progress(range(total), "extract / 抽取匹配", total=total)
    # Cases whose caption was parsed this run: a later event with that caption adds nothing.
    parsed: set[tuple[str, str]] = set()
    verdicts = _Verdicts(matcher)
    try:
        for page in store.pending_events(db, BATCH * PER_COMMIT):
            with db.atomic():
                for start in range(0, len(page), BATCH):
                    _extract_batch(db, cfg, verdicts, page[start : start + BATCH], parsed, out)
            for _ in page:
                next(bar, None)
    finally:
        verdicts.pool.close()
    bar.close()
    out.match_seconds = verdicts.seconds
    out.matched = len(verdicts.known)
    return out


class _Verdicts:
    """The matcher's verdict per party, computed once per extract pass.

    The same party recurs across cases all day ("USA" is the plaintiff of every federal
    criminal case, a tenth of all parties); the registry and settings do not change within a
    pass, so its verdict is the same and is matched once.
    """

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self.known: dict[Party, MatchResult] = {}
        self.seconds = 0.0  # time inside the matcher
        # A batch naming many new parties (a nationwide first cycle) is matched on every core.
        self.pool = MatchPool(matcher, min_parallel=PARALLEL_BATCH)

    def prefetch(self, parties: list[Party]) -> None:
        """Match a batch's new parties together (the pool decides where; see match_pool)."""
        started = perf_counter()
        self.known.update(self.pool.match_all(p for p in parties if p not in self.known))
        self.seconds += perf_counter() - started

    def match(self, party: Party) -> MatchResult:
        """The matcher's result for this party (name, role and location)."""
        result = self.known.get(party)
        if result is None:
            started = perf_counter()
            result = self.known[party] = self.matcher.match(party)
            self.seconds += perf_counter() - started
        return result


def _extract_batch(
    db: Database,
    cfg: Config,
    verdicts: _Verdicts,
    batch: list[dict[str, Any]],
    parsed: set[tuple[str, str]],
    out: ExtractResult,
) -> None:
    """One batch: ITC events one by one (they join dockets), the rest with set-based writes."""
    matcher = verdicts.matcher
    now = now_iso()  # one time stamp per batch
    writes = store.Writes()
    plain = [e for e in batch if e["forum"] != "itc"]
    cases = store.cases_by_id(db, [case_key(e) for e in plain])
    work: list[tuple[dict[str, Any], str, list[Party], str, list[str]]] = []
    for event in plain:
        cid = case_key(event)
        known = cases.get(cid)
        caption = event["case_name"] or ""
        if _nothing_new(event, cid, known[1] if known else None, parsed):
            work.append((event, cid, [], "", []))
            continue
        parties, kind, plaintiffs = parties_of(event, matcher)
        if not event["parties"] or event["parties"] == "[]":
            parsed.add((cid, caption))
        work.append((event, cid, parties, kind, plaintiffs))
    ids = [[row_id(cid, p.role, p.raw) for p in parties] for _, cid, parties, _, _ in work]
    seen = store.existing_parties(db, [pid for row in ids for pid in row])
    verdicts.prefetch(
        [
            party
            for (_, _, parties, _, _), row in zip(work, ids, strict=True)
            for party, pid in zip(parties, row, strict=True)
            if pid not in seen
        ]
    )
    for (event, cid, parties, kind, plaintiffs), row in zip(work, ids, strict=True):
        out.new_cases += _case_writes(writes, cases, event, cid, kind, plaintiffs, now)
        for party, pid in zip(parties, row, strict=True):
            if pid in seen:
                continue  # matched when first seen; later events of the case add nothing
            seen.add(pid)
            writes.parties.append(
                (pid, cid, party.role, party.raw, party.location, event["source"])
            )
            out.new_parties += 1
            result = verdicts.match(party)
            if result.level != "none":
                writes.matches.append(_match_row(cfg, cid, pid, result, now))
                out.levels[result.level] = out.levels.get(result.level, 0) + 1
        writes.extracted.append((cid, now, event["id"]))
        out.events += 1
        crash_point("extract.event")
    store.write(db, writes)
    for event in batch:
        if event["forum"] == "itc":
            extract_one(db, cfg, matcher, event, out)


def _nothing_new(
    event: dict[str, Any], cid: str, stored_caption: str | None, parsed: set[tuple[str, str]]
) -> bool:
    """An event of a known case whose caption was parsed before and that names no parties."""
    if event["forum"] == "news" or (event["parties"] and event["parties"] != "[]"):
        return False
    caption = event["case_name"] or ""
    return caption == stored_caption or (cid, caption) in parsed


def _case_writes(
    writes: store.Writes,
    cases: dict[str, tuple[str, str]],
    event: dict[str, Any],
    cid: str,
    kind: str,
    plaintiffs: list[str],
    now: str,
) -> bool:
    """Queue the case row (new) or its newer last_event (known); True for a new case."""
    published = event["published"] or ""
    known = cases.get(cid)
    if known:
        if published > known[0]:
            cases[cid] = (published, known[1])
            writes.last_event[cid] = event["published"]
        return False
    cases[cid] = (published, event["case_name"] or "")
    writes.cases.append(
        (
            cid,
            event["forum"],
            event["court"],
            event["docket_number"],
            event["case_name"],
            kind,
            dumps(plaintiffs),
            event["retrieved_at"] or now,
            event["published"],
            event["link"],
            event["source"],
        )
    )
    return True


def _match_row(cfg: Config, cid: str, pid: str, result: MatchResult, now: str) -> tuple:
    """The matches row for a match result, in store.MATCH_COLUMNS order."""
    row = match_record(cfg, cid, pid, result, now)
    return tuple(row[c] for c in store.MATCH_COLUMNS)
