"""USITC EDIS: documents of configured investigations (/data/document XML) or the RSS feed."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from crawlers.base import DisputeSpider, SourceOutcome, SourceSpec
from crawlers.parsers import ParseError
from crawlers.parsers.edis import document_url, parse_documents, parse_feed
from crawlers.spiders.support import (
    as_source,
    meta_of,
    option_list,
    request,
    skip_all,
    source_error,
)


def documents_url(base: str, investigation: str, phase: str) -> str:
    """The configured /data/document endpoint asked for one investigation's documents."""
    query = urlsplit(document_url(investigation, phase)).query
    return f"{base.split('?', 1)[0]}?{query}"


class EdisSpider(DisputeSpider):
    """One request per configured investigation ('337-3673' = docket 3673), else the feed."""

    name = "edis"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Document lists for options.investigations; the source URL as RSS when none given."""
        for spec in self.sources.values():
            token = os.environ.get(spec.token_env, "") if spec.token_env else ""
            headers = {"Authorization": f"Bearer {token}"} if token else None
            investigations = option_list(spec.options, "investigations")
            if not investigations:
                yield request(self, spec.url, spec.id, "feed", headers=headers)
            phase = str(spec.options.get("phase", "Violation"))
            for inv in investigations:
                url = documents_url(spec.url, inv, phase)
                yield request(self, url, spec.id, "documents", headers=headers, investigation=inv)

    def parse_source(self, response: Response, source: SourceSpec, outcome: SourceOutcome) -> Any:
        """Events of one investigation's document list or of the notification feed."""
        skipped: list[str] = []
        try:
            if meta_of(response, "step") == "documents":
                inv = meta_of(response, "investigation")
                events = parse_documents(response.body, inv, self.now(), skipped)
            else:
                events, warning = parse_feed(response.body, self.now(), skipped)
                if warning:
                    self._malformed(source.id, outcome, warning, len(events))
        except ParseError as exc:
            raise source_error(exc, source.id) from None
        skip_all(self, source.id, skipped)
        outcome.items_seen += len(events)
        return [as_source(e, source.id) for e in events]

    def _malformed(self, source: str, outcome: SourceOutcome, warning: str, kept: int) -> None:
        # Entries read before the damage are kept; the source still shows as failed in health.
        outcome.bozo += 1
        outcome.error = f"{warning}; kept the {kept} items parsed before it"
        self.logger.warning("%s: %s", source, warning)
