"""The base every dispute spider shares: sources, stable ids, dates, sanity checks, failures."""

from __future__ import annotations

import hashlib
import io
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as safe_et
import scrapy
from defusedxml import DefusedXmlException
from scrapy.http import Response
from twisted.python.failure import Failure

from core.store import now_iso
from core.urls import is_web_url
from crawlers.allow import RefusedRequest, allowed_domains, shown
from crawlers.errors import describe_failure
from crawlers.items import DocketEvent


class SourceError(Exception):
    """A source returned something we cannot trust; the message names the source and field."""

    def __init__(self, source: str, field: str, message: str) -> None:
        super().__init__(f"{source}: {field}: {message}")
        self.source = source
        self.field = field


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


def iso_datetime(value: str, source: str, field_name: str) -> str:
    """Parse an RFC 822 or ISO 8601 date to ISO 8601 with timezone (UTC when none is given)."""
    text = (value or "").strip()
    if not text:
        raise SourceError(source, field_name, "missing date")
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise SourceError(source, field_name, f"unreadable date {text!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.isoformat()


def stable_hash(*parts: str) -> str:
    """A short sha1 over the parts, for sources whose items carry no usable key."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return "h" + digest[:20]


def xml_head(body: bytes, source: str, stop_tag: str) -> tuple[str, str]:
    """Root tag and the first `stop_tag` text, refusing any DOCTYPE that declares entities.

    Entity declarations can only come before the root element, so reading up to the first
    elements proves a feed has none; defusedxml raises before anything is expanded or fetched.
    """
    root, found = "", ""
    try:
        for event, elem in safe_et.iterparse(io.BytesIO(body), events=("start", "end")):
            tag = elem.tag.rsplit("}", 1)[-1]
            if event == "start" and not root:
                root = tag
            if event == "end" and tag == stop_tag:
                found = (elem.text or "").strip()
                break
            if event == "start" and tag in ("item", "entry"):
                break
    except DefusedXmlException as exc:
        raise SourceError(source, "xml", f"refused hostile XML ({type(exc).__name__})") from None
    except ParseError:
        pass  # not well-formed: the feed parser reports how (bozo) and keeps what it can
    return root, found


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
                callback=self.parse,
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
        try:
            events = list(self.parse_source(response, source, outcome))
        except SourceError as exc:
            self.fail(source.id, str(exc))
            return
        except Exception as exc:  # a parser bug must fail this source only, with its cause
            self.logger.exception("%s: parser error", source.id)
            self.fail(source.id, f"parser error: {type(exc).__name__}: {exc}")
            return
        events = [self._safe_links(source.id, e) for e in events]
        if outcome.status == "pending":
            outcome.status = "ok"
        if not events and outcome.status == "ok" and not outcome.items_seen:
            self.logger.error(
                "%s: %s listed no items (expected docket entries)", source.id, response.url
            )
        yield from events

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

    def event_id(self, source: str, *key: str) -> str:
        """Deterministic event id '<source>:<stable key>' so re-crawls are idempotent."""
        parts = [k for k in key if k]
        if not parts:
            raise SourceError(source, "id", "no stable key for this item")
        return ":".join([source, *parts])

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
        timeout = self.settings.getint("DOWNLOAD_TIMEOUT") if self.settings else 0
        self.fail(source_id, describe_failure(failure, timeout))

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
