"""The records spiders yield: one docket event per filing, one item type for every source."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocketEvent:
    """One event on a dispute as a source published it (a docket entry, a notice, a news item)."""

    id: str  # deterministic: "<source>:<stable key>", so re-crawls are idempotent
    source: str  # source id from config.yaml (pacer_txwd, fr_itc, …)
    forum: str  # usdc | itc | upc | news | …
    court: str  # court id (txwd) or "" where none
    docket_number: str  # normalised docket/investigation number, "" for news
    case_name: str  # caption exactly as published, HTML stripped and entities decoded once
    event_types: tuple[str, ...]  # e.g. ("Complaint", "Summons Issued"); several items merged
    published: str  # ISO 8601 with timezone, or a bare YYYY-MM-DD when the source gives no time
    link: str = ""  # public page for the event (never fetched when it is paid PACER)
    doc_number: str = ""
    doc_url: str = ""
    body: str = ""  # free text (notice body, news summary); "" for docket entries
    parties: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)
    # parties the source names explicitly: (role, name, location); PACER RSS has none
    retrieved_at: str = ""
    source_case_id: str = ""  # the source's own case key (PACER case id), "" where none


@dataclass(frozen=True)
class EventBatch:
    """The events one response gave, handed through scrapy's item pipelines as one item.

    Scrapy runs its item machinery (spider middlewares, signals, stats) once per item; a court
    feed gives up to 2,000 events, so one item per response instead of one per event saves the
    crawl most of that work. The pipelines validate and store each event of the batch.
    """

    source: str
    events: tuple[DocketEvent, ...]
