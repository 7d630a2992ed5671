"""What the API and listing spiders share: parse errors as source errors, ids, options, paging."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import closing
from dataclasses import replace
from typing import Any

import scrapy
from scrapy.http import Response
from sqlite_utils import Database

from core.store import open_db
from crawlers.base import DisputeSpider, SourceError, SourceOutcome, SourceSpec
from crawlers.items import DocketEvent
from crawlers.parsers import ParseError

DAY = 86400.0


def source_error(exc: ParseError, source_id: str) -> SourceError:
    """The parser's complaint as a SourceError of the configured source, same wording."""
    return SourceError(source_id, exc.field, exc.reason)


def as_source(event: DocketEvent, source_id: str) -> DocketEvent:
    """The event filed under the configured source id (parsers use their default id)."""
    if event.source == source_id:
        return event
    key = event.id.partition(":")[2]
    return replace(event, id=f"{source_id}:{key}", source=source_id)


def option_list(options: Mapping[str, Any], key: str) -> list[str]:
    """A config option that may be one string or a list of strings, as a list."""
    value = options.get(key) or []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def option_int(options: Mapping[str, Any], key: str, default: int) -> int:
    """An integer config option with its default."""
    return int(options.get(key, default))


def stored_ids(db_path: str, ids: Iterable[str]) -> set[str]:
    """Which of these event ids the database already holds (to skip fetching them again)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return set()
    db = open_db(db_path)
    try:
        marks = ",".join("?" * len(wanted))
        sql = f"select id from events where id in ({marks})"
        return {row[0] for row in db.execute(sql, wanted).fetchall()}
    finally:
        db.close()


def request(
    spider: DisputeSpider,
    url: str,
    source_id: str,
    step: str,
    page: int = 1,
    headers: Mapping[str, str | bytes] | None = None,
    **meta: Any,
) -> scrapy.Request:
    """A request of one source; its response goes through the base spider's parse and errback."""
    return scrapy.Request(
        url,
        callback=spider.parse_batched,
        errback=spider.on_error,
        headers=headers,
        meta={"source_id": source_id, "step": step, "page": page, **meta},
        dont_filter=True,
    )


def skip_all(spider: DisputeSpider, source_id: str, skipped: list[str]) -> None:
    """Count and name each record a parser left out (the source's health shows the first)."""
    spider.outcomes[source_id].items_seen += len(skipped)  # seen, though not usable
    for reason in skipped:
        spider.skip(source_id, reason)


def meta_of(response: Response, key: str, default: Any = None) -> Any:
    """A value the spider put on the request of this response."""
    request = response.request
    return request.meta.get(key, default) if request is not None else default


def read_page(
    response: Response,
    source: SourceSpec,
    outcome: SourceOutcome,
    parse: Callable[[], tuple[list[DocketEvent], str | None]],
) -> tuple[list[Any], str | None, int]:
    """One page of a paged source: its events, the next page's URL and that page's number.

    A ParseError becomes the source's error; the events are counted in outcome and filed under
    the source. The URL is None on the last page or once options.max_pages (default 3) is read.
    """
    try:
        events, next_url = parse()
    except ParseError as exc:
        raise source_error(exc, source.id) from None
    outcome.items_seen += len(events)
    found: list[Any] = [as_source(e, source.id) for e in events]
    number = meta_of(response, "page", 1)
    if not (next_url and number < option_int(source.options, "max_pages", 3)):
        next_url = None
    return found, next_url, number + 1


# Beside a budget's requests, the moment its server asked us to wait for (429 Retry-After).
HOLD = ":hold"


class RequestLog:
    """Times of earlier API requests under one budget key, shared by every crawl process."""

    def __init__(self, db_path: str, budget: str) -> None:
        self.db_path = db_path
        self.budget = budget

    def _db(self) -> closing[Database]:
        # Each call opens and closes its own connection: crawl processes share the file.
        return closing(open_db(self.db_path))

    def times(self, now: float) -> list[float]:
        """Epoch seconds of this budget's requests in the last day."""
        with self._db() as db:
            sql = "select at from api_requests where budget = ? and at > ?"
            return [row[0] for row in db.execute(sql, [self.budget, now - DAY]).fetchall()]

    def held_until(self, now: float) -> float:
        """Epoch seconds until which the server asked us to wait (429 Retry-After), or 0."""
        with self._db() as db:
            sql = "select max(at) from api_requests where budget = ? and at > ?"
            found = db.execute(sql, [f"{self.budget}{HOLD}", now]).fetchone()[0]
            return float(found or 0)

    def hold(self, until: float) -> None:
        """Remember that the server asked for no request before `until` (epoch seconds)."""
        self._record(f"{self.budget}{HOLD}", until)

    def add(self, at: float) -> None:
        """Record one request, and forget requests older than a day."""
        self._record(self.budget, at)

    def _record(self, budget: str, at: float) -> None:
        with self._db() as db, db.atomic():
            db.table("api_requests").insert({"budget": budget, "at": at})
            if budget == self.budget:
                db.execute("delete from api_requests where at <= ?", [at - DAY])
