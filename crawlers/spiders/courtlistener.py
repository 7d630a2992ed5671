"""CourtListener REST v4 RECAP search: IP suits (nature of suit 820/830/835/840) with parties."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawlers.allow import origin, shown
from crawlers.base import DisputeSpider, SourceOutcome, SourceSpec
from crawlers.parsers.courtlistener import (
    IP_SUITS,
    SITE,
    RequestBudget,
    parse_search,
    search_url,
)
from crawlers.spiders.support import (
    RequestLog,
    option_int,
    option_list,
    read_page,
    request,
    skip_all,
)

TOKEN_ENV = "IPWATCH_COURTLISTENER_TOKEN"
TOKEN_HELP = "a CourtListener API token, https://www.courtlistener.com/help/api/rest/"


class CourtListenerSpider(DisputeSpider):
    """Cursor-paged search within a request budget stored in the database across processes."""

    name = "courtlistener"

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> CourtListenerSpider:
        """Count every API request as it reaches the downloader (robots.txt is not counted)."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._sent, signal=signals.request_reached_downloader)
        return spider

    def _log(self, spec: SourceSpec) -> RequestLog:
        # The throttle belongs to the account, so sources sharing a token share one budget.
        env = spec.token_env or TOKEN_ENV
        return RequestLog(self.settings.get("IPWATCH_DATABASE"), f"courtlistener:{env}")

    def _sent(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        source_id = request.meta.get("source_id")
        if spider is self and source_id in self.sources:
            self._log(self.sources[source_id]).add(time.time())

    def _wait(self, spec: SourceSpec) -> float:
        """0 when a request may go now, else the seconds until the budget allows one (or until
        the moment an earlier 429 answer's Retry-After asked us to wait for)."""
        opts = spec.options
        budget = RequestBudget(option_int(opts, "per_minute", 5), option_int(opts, "per_day", 125))
        now = time.time()
        log = self._log(spec)
        return max(budget.wait_seconds(now, log.times(now)), log.held_until(now) - now)

    def on_throttled(self, source_id: str, wait: float | None) -> None:
        """A 429 asked us to wait: the account's later runs send nothing before then."""
        if wait and source_id in self.sources:
            self._log(self.sources[source_id]).hold(time.time() + wait)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The first search page of every source that has a token and budget left."""
        for spec in self.sources.values():
            outcome = self.outcomes[spec.id]
            env = spec.token_env or TOKEN_ENV
            token = os.environ.get(env, "").strip()
            if not token:
                outcome.status = "disabled"
                outcome.error = f"{spec.id}: set {env} ({TOKEN_HELP}) to enable"
                self.logger.warning(outcome.error)
                continue
            wait = self._wait(spec)
            if wait:
                outcome.status = "throttled"
                outcome.error = f"{spec.id}: request budget used up; next request in {wait:.0f} s"
                self.logger.warning(outcome.error)
                continue
            since = date.today() - timedelta(days=option_int(spec.options, "since_days", 14))
            courts = option_list(spec.options, "courts")
            query = urlsplit(search_url(SITE, IP_SUITS, courts, since)).query
            url = f"{spec.url.split('?', 1)[0]}?{query}"
            yield request(self, url, spec.id, "search", headers={"Authorization": f"Token {token}"})

    def parse_source(self, response: Response, source: SourceSpec, outcome: SourceOutcome) -> Any:
        """Events of one result page, and the next cursor page while budget and pages allow."""
        skipped: list[str] = []
        found, next_url, number = read_page(
            response, source, outcome, lambda: parse_search(response.body, self.now(), skipped)
        )
        skip_all(self, source.id, skipped)
        if next_url:
            if self._wait(source):
                self.logger.warning("%s: request budget reached, next page left", source.id)
            elif origin(next_url) != origin(source.url):
                # The cursor always points back at the API; anywhere else would get the token.
                self.refuse(source.id, f"next page off the API's origin: {shown(next_url)}")
            else:
                sent = response.request
                auth = sent.headers.get("Authorization") if sent is not None else None
                headers = {"Authorization": auth or b""}
                found.append(request(self, next_url, source.id, "search", number, headers))
        return found
