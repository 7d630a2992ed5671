"""One full cycle: crawl the enabled sources, extract, match, queue, deliver, write the digest."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from alerts.digest import write_digest
from alerts.outbox import deliver, held_messages, queue_warnings
from core.config import Config
from core.faults import terminated_as_exit
from core.match_settings import effective_config
from core.notices import awaiting_signoff
from core.store import StoreError, dumps, now_iso, open_db
from crawlers.run import SourceResult, crawl
from ipwatch.party_lists import run_party_lists
from ipwatch.retention import prune_events
from matcher.extract import ExtractResult, extract_all, sync_registry
from matcher.match import build_matcher
from matcher.registry import RegistryError

log = logging.getLogger("ipwatch.cycle")
# crawl: fetching and storing (the crawl process's time less parsing); parse: the spiders' CPU
# time on the payloads; match: loading the matcher and matching parties; extract: the rest of
# the extract stage (captions, cases, writes) and pruning; notify: queueing and delivery.
STAGES = ("crawl", "parse", "extract", "match", "notify", "digest")


@dataclass
class CycleSummary:
    """Everything `ipwatch run` reports at the end of a cycle."""

    sources: dict[str, SourceResult] = field(default_factory=dict)
    extract: ExtractResult = field(default_factory=ExtractResult)
    registry_errors: tuple[str, ...] = ()
    warnings_queued: int = 0
    updates_queued: int = 0
    notices_drafted: int = 0
    awaiting_signoff: list[str] = field(default_factory=list)  # draft/submitted/returned ids
    sent: int = 0
    failed_deliveries: int = 0
    held_now: int = 0  # messages held by this cycle's delivery
    held: tuple[str, ...] = ()  # every message waiting for --release/--mark-sent: key (Message-ID)
    digest_path: str = ""
    party_lists: dict[str, object] = field(default_factory=dict)
    pruned: int = 0
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage, in STAGES order

    @property
    def failed_sources(self) -> list[str]:
        """Ids of the sources whose crawl failed this cycle."""
        return [s for s, r in self.sources.items() if r.status == "failed"]

    @property
    def delivery_problem(self) -> bool:
        """True when a message failed or was held in this cycle: someone must look."""
        return bool(self.failed_deliveries or self.held_now)


def run_cycle(
    cfg: Config,
    config_path: str,
    source_ids: list[str] | None = None,
    url_overrides: dict[str, str] | None = None,
) -> CycleSummary:
    """Run crawl → extract → match → notify → digest once; a failing source never stops the rest."""
    with terminated_as_exit():
        try:
            return _run_cycle(cfg, config_path, source_ids, url_overrides)
        except sqlite3.Error as exc:
            # A full or read-only disk mid-cycle: every stage wrote in transactions, so nothing
            # is half-written; name the database and let the next cycle catch up.
            raise StoreError(f"database {cfg.path(cfg.database)}: {exc}") from exc


def _run_cycle(
    cfg: Config,
    config_path: str,
    source_ids: list[str] | None,
    url_overrides: dict[str, str] | None,
) -> CycleSummary:
    started = time.monotonic()
    summary = CycleSummary()
    db = open_db(cfg.path(cfg.database))
    run_id = (
        db.table("runs").insert({"job": "run", "started": now_iso(), "outcome": "running"}).last_pk
    )
    if run_id is None:
        raise StoreError(f"database {cfg.path(cfg.database)}: runs insert returned no row id")
    clock = _StageClock()
    try:
        with clock("match"):
            # Built before crawling: a registry that cannot be read would crash every cycle after
            # the crawl. Matching settings saved in the console override config.yaml's values.
            matcher = build_matcher(effective_config(cfg, db), db)
    except Exception as exc:
        # The run row says why and nothing else is done: it must never stay "running".
        known = isinstance(exc, RegistryError | sqlite3.Error)
        error = f"registry: {exc}" if known else f"registry: {type(exc).__name__}: {exc}"
        db.table("runs").update(
            run_id, {"finished": now_iso(), "outcome": "error", "error": error[:500]}
        )
        db.close()
        if known:
            raise  # the command reports it (and logs it to log_file)
        log.exception("reading the registry failed")  # the traceback goes to the log file only
        raise RegistryError(error) from exc
    try:
        with clock("crawl"):
            summary.sources = crawl(config_path, source_ids, url_overrides, loaded=cfg)
        parse = sum(r.parse_seconds for r in summary.sources.values())
        clock.move("crawl", "parse", parse)
        with clock("match"):
            summary.registry_errors = matcher.registry.errors
            sync_registry(db, matcher.registry)
        with clock("extract"):
            extract_started = now_iso()
            summary.extract = extract_all(db, cfg, matcher)
            summary.party_lists = run_party_lists(db, cfg, matcher, extract_started)
            summary.pruned = prune_events(db, cfg)
        clock.move("extract", "match", summary.extract.match_seconds)
        with clock("notify"):
            queued = queue_warnings(db, cfg)
            summary.warnings_queued, summary.updates_queued = queued.warnings, queued.updates
            summary.notices_drafted = len(queued.drafts)
            summary.awaiting_signoff = awaiting_signoff(db)
            delivered = deliver(db, cfg)
            summary.sent, summary.failed_deliveries = delivered.sent, delivered.failed
            summary.held_now = delivered.held
            summary.held = held_messages(db)
        with clock("digest"):
            # Written after delivery, so the digest shows this cycle's failed and held messages.
            digest = write_digest(db, cfg, email=False)
            summary.digest_path = str(digest.html_path)
        outcome = "failed" if summary.failed_sources or summary.delivery_problem else "ok"
    except BaseException as exc:
        try:
            error = f"{type(exc).__name__}: {exc}"[:500]
            db.table("runs").update(
                run_id,
                {
                    "finished": now_iso(),
                    "outcome": "error",
                    "error": error,
                    "stages": dumps(clock.seconds),
                },
            )
        except sqlite3.Error:
            log.error("could not record the failed run in the database")
        raise
    summary.seconds = time.monotonic() - started
    summary.stages = clock.seconds
    data = summary_dict(summary)
    log.info(
        "cycle took %.1f s: %s",
        summary.seconds,
        format_stages(summary.stages),
        # The console already shows these times in the run summary.
        extra={"stages": summary.stages, "seconds": round(summary.seconds, 2), "file_only": True},
    )
    db.table("runs").update(
        run_id,
        {
            "finished": now_iso(),
            "outcome": outcome,
            "summary": dumps(data),
            "stages": dumps(summary.stages),
        },
    )
    log.info("cycle %s in %.1f s", outcome, summary.seconds, extra={"summary": data})
    db.close()
    return summary


class _StageClock:
    """Wall-clock seconds per stage; time measured inside one stage can be moved to another."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = round(self.seconds[stage] + time.perf_counter() - started, 3)

    def move(self, source: str, target: str, seconds: float) -> None:
        """Count `seconds` of `source`'s time under `target` (e.g. parsing within the crawl)."""
        moved = min(max(seconds, 0.0), self.seconds[source])
        self.seconds[source] = round(self.seconds[source] - moved, 3)
        self.seconds[target] = round(self.seconds[target] + moved, 3)


def format_stages(stages: dict[str, float]) -> str:
    """'crawl 1.2, parse 0.4, …' in stage order."""
    return ", ".join(f"{name} {stages.get(name, 0.0):.1f}" for name in STAGES)


def summary_dict(summary: CycleSummary) -> dict[str, object]:
    """The summary as plain data (stored in the runs table and printed with --json)."""
    return {
        "sources": {
            s: {
                "status": r.status,
                "items": r.items_seen,
                "new": r.new_items,
                "skipped": r.skipped,
                "error": r.error,
            }
            for s, r in summary.sources.items()
        },
        "new_events": summary.extract.events,
        "new_cases": summary.extract.new_cases,
        "matches": summary.extract.levels,
        "registry_errors": list(summary.registry_errors),
        "warnings_queued": summary.warnings_queued,
        "updates_queued": summary.updates_queued,
        "notices_drafted": summary.notices_drafted,
        "awaiting_signoff": summary.awaiting_signoff,
        "sent": summary.sent,
        "failed_deliveries": summary.failed_deliveries,
        "held": list(summary.held),
        "digest": summary.digest_path,
        "party_lists": summary.party_lists,
        "pruned_events": summary.pruned,
        "seconds": round(summary.seconds, 2),
        "stages": summary.stages,
    }


def format_summary(summary: CycleSummary, out_dir: Path) -> str:
    """A bilingual, human-readable run summary for stderr."""
    lines = ["== 运行结果 / run summary =="]
    for sid, r in summary.sources.items():
        mark = {"ok": "成功 ok", "unchanged": "未更新 unchanged", "failed": "失败 FAILED"}.get(
            r.status, r.status
        )
        detail = f"items {r.items_seen}, new {r.new_items}, skipped {r.skipped}"
        lines.append(f"  {sid:<16} {mark:<18} {detail}" + (f"  — {r.error}" if r.error else ""))
    levels = ", ".join(f"{k} {v}" for k, v in sorted(summary.extract.levels.items())) or "none"
    lines += [
        f"新事件 new events: {summary.extract.events}   "
        f"新案件 new cases: {summary.extract.new_cases}",
        f"匹配 matches by level: {levels}",
        f"排队邮件 messages queued: {summary.warnings_queued} warnings, "
        f"{summary.updates_queued} updates; 已发送/写出 delivered: {summary.sent}, "
        f"失败 failed: {summary.failed_deliveries}, 待处理 held: {len(summary.held)}",
        f"日报 digest: {summary.digest_path}",
        _party_line(summary.party_lists),
        f"预警提示 notices: {out_dir / 'notices'}   邮件 outbox: {out_dir / 'outbox'}",
        f"用时 time: {summary.seconds:.1f} s ({format_stages(summary.stages)})",
    ]
    for held in summary.held:
        lines.append(f"  待处理 held (notify --release/--mark-sent): {held}")
    if summary.awaiting_signoff:
        lines.append(
            f"待签发预警提示 notices awaiting sign-off: {len(summary.awaiting_signoff)}"
            f"（本次新起草 drafted now: {summary.notices_drafted}）；审批人签发后才编号、发出："
        )
        for notice_id in summary.awaiting_signoff[:10]:
            lines.append(f"  ipwatch notices show '{notice_id}'")
            lines.append(
                f"  ipwatch notices submit '{notice_id}' && ipwatch notices approve '{notice_id}'"
            )
    for err in summary.registry_errors:
        lines.append(f"  登记表错误 registry: {err}")
    return "\n".join(lines)


def _party_line(p: dict[str, object]) -> str:
    """One line on the party lists: queued, free, bought, refused for budget."""
    if not p:
        return "当事人列表 party lists: -"
    line = (
        f"当事人列表 party lists: queued {p['queued']}, free {p['free']}, "
        f"bought {p['bought']} (${p['spent_usd']}), refused {p['refused']}, "
        f"new parties {p['new_parties']}"
    )
    return line + (f"  — {p['error']}" if p["error"] else "")
