"""The base every dispute spider shares: sources, stable ids, dates, sanity checks, failures."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from time import process_time
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from core.store import now_iso
from core.urls import is_web_url
from crawlers.allow import RefusedRequest, allowed_domains, shown
from crawlers.errors import describe_failure, retry_after, throttled
from crawlers.items import DocketEvent, EventBatch
from crawlers.parsers import ParseError, iso_datetime

__all__ = ["DisputeSpider", "SourceError", "SourceOutcome", "SourceSpec", "iso_datetime"]


# One error type for every source: a parser's ParseError is the spider's SourceError.
SourceError = ParseError


@dataclass(frozen=True)
class SourceSpec:
    """One source a spider serves, with what the last successful run stored for it."""

    id: str
    url: str
    court: str = ""
    kind: str = ""
    last_build_date: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)  # config.yaml `options`
    token_env: str = ""  # name of the env var holding the source's API token
    # Hashes of the items earlier polls stored (read from the database only when needed).
    known_items: Collection[str] = frozenset()


@dataclass
class SourceOutcome:
    """What one source's crawl produced; the pipeline and health module fill in the rest."""

    source: str
    url: str
    kind: str = ""
    status: str = "pending"  # pending | ok | unchanged | failed | disabled | throttled
    items_seen: int = 0
    new_items: int = 0
    skipped: int = 0
    bozo: int = 0
    error: str = ""
    build_date: str = ""
    skip_reasons: list[str] = field(default_factory=list)
    refused: int = 0  # requests not sent: off the source's hosts, bad scheme, token elsewhere
    refusals: list[str] = field(default_factory=list)

    item_keys: list[str] = field(default_factory=list)  # new items read (stored after the events)
    parse_seconds: float = 0.0  # CPU seconds spent parsing this source's responses


class DisputeSpider(scrapy.Spider):
    """Base spider: one request per source, parse into DocketEvents, record each outcome."""

    name = "dispute_base"

    def __init__(self, sources: Iterable[SourceSpec | Mapping[str, Any]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        specs = [s if isinstance(s, SourceSpec) else SourceSpec(**s) for s in sources]
        self.sources: dict[str, SourceSpec] = {s.id: s for s in specs}
        self.outcomes: dict[str, SourceOutcome] = {
            s.id: SourceOutcome(source=s.id, url=s.url, kind=s.kind or self.name) for s in specs
        }
        # scrapy's offsite filter reads this; crawlers.allow checks each source's own hosts.
        self.allowed_domains = sorted(
            {d for s in specs for d in allowed_domains(s.kind or self.name, s.url)}
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """One request per source; every failure goes to `on_error`."""
        for spec in self.sources.values():
            yield scrapy.Request(
                spec.url,
                callback=self.parse_batched,
                errback=self.on_error,
                meta={"source_id": spec.id},
                dont_filter=True,
            )

    def source_of(self, response: Response) -> SourceSpec:
        """The source a response belongs to (by request meta, else by URL)."""
        request = response.request
        source_id = request.meta.get("source_id") if request is not None else None
        if source_id in self.sources:
            return self.sources[source_id]
        for spec in self.sources.values():
            if spec.url == response.url:
                return spec
        raise SourceError("?", "url", f"response for unknown source {response.url}")

    def parse(self, response: Response, **kwargs: Any) -> Iterator[DocketEvent]:
        """Parse one source's response; a SourceError marks the source failed, nothing else."""
        source = self.source_of(response)
        outcome = self.outcomes[source.id]
        started = process_time()
        try:
            events = list(self.parse_source(response, source, outcome))
        except SourceError as exc:
            self.fail(source.id, str(exc))
            return
        except Exception as exc:  # a parser bug must fail this source only, with its cause
            self.logger.exception("%s: parser error", source.id)
            self.fail(source.id, f"parser error: {type(exc).__name__}: {exc}")
            return
        finally:
            outcome.parse_seconds += process_time() - started
        events = [self._safe_links(source.id, e) for e in events]
        if outcome.status == "pending":
            outcome.status = "ok"
        if not events and outcome.status == "ok" and not outcome.items_seen:
            self.logger.error(
                "%s: %s listed no items (expected docket entries)", source.id, response.url
            )
        yield from events

    def parse_batched(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """`parse`, with the response's events handed on as one EventBatch (requests as is)."""
        events = []
        for item in self.parse(response, **kwargs):
            if isinstance(item, DocketEvent):
                events.append(item)
            else:
                yield item  # a follow-up request: scrapy schedules it (through the allowlist)
        if events:
            yield EventBatch(source=events[0].source, events=tuple(events))

    def _safe_links(self, source: str, item: Any) -> Any:
        """The item without links that are not http(s) (javascript:, data:, file:), refused."""
        if not isinstance(item, DocketEvent):
            return item  # a follow-up request: the allowlist middleware checks it
        for key in ("link", "doc_url"):
            value = getattr(item, key)
            if not is_web_url(value) and value:
                self.refuse(source, f"{key} of {item.id} is not http(s): {shown(value)}")
                item = replace(item, **{key: ""})  # type: ignore[arg-type]
        return item

    def parse_source(
        self, response: Response, source: SourceSpec, outcome: SourceOutcome
    ) -> Iterable[DocketEvent]:
        """Subclasses turn a downloaded page into events and set counts on `outcome`."""
        raise NotImplementedError

    def skip(self, source: str, reason: str) -> None:
        """Count one item of `source` that could not be used, and say why in the log."""
        outcome = self.outcomes[source]
        outcome.skipped += 1
        outcome.skip_reasons.append(reason)
        self.logger.warning("%s: skipped item: %s", source, reason)

    def fail(self, source: str, message: str) -> None:
        """Record the source as failed with a clear message; other sources carry on."""
        outcome = self.outcomes[source]
        outcome.status = "failed"
        outcome.error = message
        self.logger.error("source %s failed: %s", source, message)

    def on_error(self, failure: Failure) -> None:
        """Errback: HTTP, DNS, connection, timeout and oversize failures fail the source."""
        request = getattr(failure, "request", None)
        source_id = request.meta.get("source_id") if request is not None else None
        if source_id not in self.outcomes:
            self.logger.error("download failed for an unknown source: %s", failure.value)
            return
        if isinstance(failure.value, RefusedRequest):
            self.refuse(source_id, str(failure.value))
            return
        if (message := throttled(failure)) and self.outcomes[source_id].status != "failed":
            # "Too many requests" is the server pacing us, not a fault: it never counts towards
            # the failures in a row that make a source stale (crawlers/health.py NOT_RUN).
            outcome = self.outcomes[source_id]
            outcome.status, outcome.error = "throttled", message
            self.logger.warning("source %s: %s", source_id, message)
            self.on_throttled(source_id, retry_after(failure.value.response))
            return
        timeout = self.settings.getint("DOWNLOAD_TIMEOUT") if self.settings else 0
        self.fail(source_id, describe_failure(failure, timeout))

    def on_throttled(self, source_id: str, wait: float | None) -> None:
        """A 429 answer asked for `wait` seconds (None: it did not say); kept where it matters."""

    def refuse(self, source: str, reason: str) -> None:
        """Count a request the allowlist refused; the source fails, naming the first refusal."""
        outcome = self.outcomes[source]
        outcome.refused += 1
        outcome.refusals.append(reason)
        self.fail(source, f"refused {outcome.refused} request(s): {outcome.refusals[0]}")

    @staticmethod
    def now() -> str:
        """Retrieval time stamp for items."""
        return now_iso()
