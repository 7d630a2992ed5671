"""Unified Patent Court: the decisions-and-orders listing, paged with ?page=N."""

from __future__ import annotations

from typing import Any

from scrapy.http import Response, TextResponse

from crawlers.base import DisputeSpider, SourceError, SourceOutcome, SourceSpec
from crawlers.parsers import ParseError
from crawlers.parsers.upc import parse_listing
from crawlers.spiders.support import as_source, meta_of, option_int, request, source_error


class UpcSpider(DisputeSpider):
    """Reads listing pages newest first, up to options.max_pages (default 3) per run."""

    name = "upc"

    def parse_source(self, response: Response, source: SourceSpec, outcome: SourceOutcome) -> Any:
        """Events of one listing page ("A v. B" parties), and the next page while allowed."""
        if not isinstance(response, TextResponse):
            raise SourceError(source.id, "listing", f"not an HTML page from {response.url}")
        try:
            events, next_url = parse_listing(response.text, response.url, self.now())
        except ParseError as exc:
            raise source_error(exc, source.id) from None
        outcome.items_seen += len(events)
        found: list[Any] = [as_source(e, source.id) for e in events]
        number = meta_of(response, "page", 1)
        if next_url and number < option_int(source.options, "max_pages", 3):
            found.append(request(self, next_url, source.id, "listing", number + 1))
        return found
