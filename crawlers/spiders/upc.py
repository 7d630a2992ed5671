"""Unified Patent Court: the decisions-and-orders listing, paged with ?page=N."""

from __future__ import annotations

from typing import Any

from scrapy.http import Response, TextResponse

from crawlers.base import DisputeSpider, SourceError, SourceOutcome, SourceSpec
from crawlers.parsers.upc import parse_listing
from crawlers.spiders.support import read_page, request, skip_all


class UpcSpider(DisputeSpider):
    """Reads listing pages newest first, up to options.max_pages (default 3) per run."""

    name = "upc"

    def parse_source(self, response: Response, source: SourceSpec, outcome: SourceOutcome) -> Any:
        """Events of one listing page ("A v. B" parties), and the next page while allowed."""
        if not isinstance(response, TextResponse):
            raise SourceError(source.id, "listing", f"not an HTML page from {response.url}")
        skipped: list[str] = []
        found, next_url, number = read_page(
            response,
            source,
            outcome,
            lambda: parse_listing(response.text, response.url, self.now(), skipped),
        )
        skip_all(self, source.id, skipped)
        if next_url:
            found.append(request(self, next_url, source.id, "listing", number))
        return found
