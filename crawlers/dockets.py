"""The party-list fetch: CourtListener first, then a paid PACER report within the budget."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlite_utils import Database

from core import ledger
from core.config import Config
from core.party_lists import PartyListRequest, mark, store_fetched, wanted
from core.store import now_iso
from crawlers.base import SourceOutcome
from crawlers.courtlistener_parties import CourtListenerError, CourtListenerParties
from crawlers.health import record_outcome
from crawlers.pacer_session import PacerClient, PacerError
from crawlers.parsers import ParseError
from crawlers.parsers.pacer_docket import DocketPage, parse_docket

log = logging.getLogger("ipwatch.dockets")
# The party-list look-ups have health rows of their own beside the crawled sources, so
# `ipwatch status` and the digest name a CourtListener or PACER failure of this step.
CL_PARTIES = "courtlistener_parties"
PACER_REPORTS = "pacer_reports"


@dataclass
class FetchResult:
    """What one party-list pass did, for the run summary."""

    free: int = 0
    bought: int = 0
    spent_usd: float = 0.0
    refused: int = 0
    waiting: int = 0
    error: str = ""
    pacer_tried: bool = False  # a PACER login was attempted (its health row is written)
    cases: list[str] = field(default_factory=list)


def _report_facts(page: DocketPage) -> dict[str, str]:
    return {
        "docket_number": page.docket_number,
        "case_name": page.case_name,
        "nature_of_suit": page.nature_of_suit,
        "cause": page.cause,
        "date_filed": page.date_filed,
    }


def fetch_party_lists(db: Database, cfg: Config, now: datetime | None = None) -> FetchResult:
    """Fetch the party list of every queued case once: free when RECAP has it, else bought."""
    now = now or datetime.now(UTC)
    out = FetchResult()
    queue = wanted(db)
    if not queue:
        return out
    free = CourtListenerParties(cfg)
    to_buy: list[PartyListRequest] = []
    failures: list[str] = []
    for request in queue:
        try:
            parties = free.parties(request) if free.enabled else []
        except CourtListenerError as exc:
            # This case stays queued (wanted) for the next cycle; PACER is not paid for it now,
            # as RECAP may well hold the list once CourtListener answers again.
            message = f"{request.court} {request.docket_number}: {exc}"
            failures.append(message)
            mark(db, request.case_id, "wanted", f"CourtListener: {exc}")
            continue
        if parties:
            store_fetched(db, request.case_id, "courtlistener", parties, {})
            out.free += 1
            out.cases.append(request.case_id)
        else:
            to_buy.append(request)
    if free.enabled:
        error = f"{len(failures)} look-up(s) failed; first: {failures[0]}" if failures else ""
        record_lookup(db, CL_PARTIES, "party_lists", free.base, error)
    if to_buy:
        asyncio.run(_buy(db, cfg, to_buy, now, out))
        if out.pacer_tried:
            record_lookup(db, PACER_REPORTS, "party_lists", cfg.pacer.login_url, out.error)
    if failures:
        found = f"CourtListener party lists: {len(failures)} look-up(s) failed; first: "
        found += failures[0]
        out.error = "; ".join(e for e in (found, out.error) if e)
    return out


def record_lookup(db: Database, source_id: str, kind: str, url: str, error: str) -> None:
    """Record one party-list look-up pass in the `sources` health table (failed with error)."""
    outcome = SourceOutcome(source_id, url, kind, "failed" if error else "ok")
    outcome.error = error
    record_outcome(db, outcome, now_iso())


def _refuse(db: Database, request: PartyListRequest, now: datetime, reason: str) -> None:
    if not ledger.refused_this_month(db, request.case_id, now):
        ledger.record(
            db, now, court=request.court, case_id=request.case_id,
            docket_number=request.docket_number, pacer_case_id=request.pacer_case_id,
            outcome="refused", pages=0, cost=0.0, reason=reason,
        )  # fmt: skip


async def _buy(
    db: Database, cfg: Config, queue: list[PartyListRequest], now: datetime, out: FetchResult
) -> None:
    settings = cfg.pacer
    if not settings.can_buy:
        out.waiting = len(queue)  # no account or no budget: nothing is bought, nothing logged
        return
    buyable = [r for r in queue if r.pacer_case_id and not ledger.bought(db, r.case_id)]
    for request in queue:
        if request not in buyable:
            mark(db, request.case_id, "failed", "no PACER case id in the feed, or bought already")
    pending = buyable[: settings.max_reports_per_run]
    out.waiting = len(buyable) - len(pending)
    reason = ledger.refusal(
        settings.monthly_budget_usd, settings.allow_over_waiver, ledger.spend(db, now)
    )
    if reason:
        for request in pending:
            _refuse(db, request, now, reason)
        out.refused = len(pending)
        return
    password = settings.password()
    if not password:
        out.error = f"PACER: env var {settings.password_env} is not set; nothing bought"
        ledger.record(db, now, outcome="error", pages=0, cost=0.0, reason=out.error)
        return
    out.pacer_tried = True
    try:
        client = PacerClient(settings, password, cfg.crawl.user_agent, cfg.crawl.timeout)
    except PacerError as exc:  # juriscraper is not installed
        out.error = str(exc)
        ledger.record(db, now, outcome="error", pages=0, cost=0.0, reason=str(exc))
        return
    async with client:
        try:
            await client.login()
        except PacerError as exc:
            out.error = str(exc)
            ledger.record(db, now, outcome="error", pages=0, cost=0.0, reason=str(exc))
            return
        for i, request in enumerate(pending):
            reason = ledger.refusal(
                settings.monthly_budget_usd, settings.allow_over_waiver, ledger.spend(db, now)
            )
            if reason:
                _refuse(db, request, now, reason)
                out.refused += 1
                continue
            if i:
                await asyncio.sleep(cfg.crawl.download_delay)  # one request at a time, politely
            if not await _buy_one(db, client, request, now, out):
                return  # a changed page or a lost session: stop spending until someone looks


async def _buy_one(
    db: Database, client: PacerClient, request: PartyListRequest, now: datetime, out: FetchResult
) -> bool:
    fields = {
        "court": request.court, "case_id": request.case_id,
        "docket_number": request.docket_number, "pacer_case_id": request.pacer_case_id,
    }  # fmt: skip
    try:
        html = await client.parties_report(request.court, request.pacer_case_id)
    except PacerError as exc:
        out.error = str(exc)
        ledger.record(db, now, outcome="error", pages=0, cost=0.0, reason=str(exc), **fields)
        mark(db, request.case_id, "wanted", str(exc))
        return False
    try:
        page = parse_docket(html, request.court)
    except ParseError as exc:
        # A page that is not a docket report was not billed as one; say so and stop.
        out.error = f"PACER {request.court} {request.docket_number}: {exc}"
        ledger.record(db, now, outcome="error", pages=0, cost=0.0, reason=str(exc), **fields)
        mark(db, request.case_id, "wanted", str(exc))
        return False
    receipt = page.receipt
    if receipt is None:
        # Bought but the cost is unknown: never assumed; counted at the $3.00 cap for the budget.
        reason = "no receipt on the page: check PACER's billing history (counted at $3.00)"
        ledger.record(db, now, outcome="bought", pages=None, cost=None, reason=reason, **fields)
    else:
        cost = float(receipt.cost)
        ledger.record(
            db, now, outcome="bought", pages=receipt.pages, cost=cost,
            reason="parties-only docket report", receipt=receipt.fields, **fields,
        )  # fmt: skip
        out.spent_usd = round(out.spent_usd + cost, 2)
    if page.docket_number and page.docket_number != request.docket_number:
        error = f"the report is for {page.docket_number}, not {request.docket_number}"
        out.error = f"PACER {request.court}: {error}"
        mark(db, request.case_id, "failed", error)
        return False
    store_fetched(db, request.case_id, "pacer", list(page.parties), _report_facts(page))
    out.bought += 1
    out.cases.append(request.case_id)
    log.info("bought the party list of %s %s", request.court, request.docket_number)
    return True
