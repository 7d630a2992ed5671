"""The party-list step of a cycle: queue new IP cases, fetch their parties, merge and match."""

from __future__ import annotations

import logging

from sqlite_utils import Database

from core.config import Config
from crawlers.dockets import fetch_party_lists
from matcher.docket_parties import merge_party_lists, queue_party_lists
from matcher.match import Matcher

log = logging.getLogger("ipwatch.party_lists")


def run_party_lists(db: Database, cfg: Config, matcher: Matcher, since: str) -> dict[str, object]:
    """Queue, fetch (free, then paid within budget) and merge; a summary for the run record."""
    queued = queue_party_lists(db, since)
    fetched = fetch_party_lists(db, cfg)
    if fetched.error:
        log.error("party lists: %s", fetched.error)
    merged = merge_party_lists(db, cfg, matcher)
    return {
        "queued": queued,
        "free": fetched.free,
        "bought": fetched.bought,
        "spent_usd": fetched.spent_usd,
        "refused": fetched.refused,
        "waiting": fetched.waiting,
        "error": fetched.error,
        "merged_cases": merged.cases,
        "new_parties": merged.new_parties,
        "matches": merged.levels,
    }
