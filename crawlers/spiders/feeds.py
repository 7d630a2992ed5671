"""Any RSS or Atom news feed from config (JUVE Patent, ipwatchdog): entries as news events."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from scrapy.http import Response

from crawlers.base import DisputeSpider, SourceOutcome, SourceSpec
from crawlers.parsers import ParseError
from crawlers.parsers.feeds import parse_feed
from crawlers.spiders.support import source_error

# A news story is not a docket entry; the matcher's text scan finds the parties in it.
NEWS = ("News",)
_SKIPPED = re.compile(r"(\d+) entries without id or link skipped")


class FeedSpider(DisputeSpider):
    """Scrapy downloads the feed (timeouts, retries, robots); feedparser reads the bytes."""

    name = "feed"

    def parse_source(self, response: Response, source: SourceSpec, outcome: SourceOutcome) -> Any:
        """The feed's entries as news events; a malformed feed keeps its readable entries."""
        try:
            events, warning = parse_feed(response.body, source.id, response.url, self.now())
        except ParseError as exc:
            raise source_error(exc, source.id) from None
        outcome.items_seen = len(events)
        for problem in (warning or "").removeprefix(f"{source.id}: ").split("; "):
            if problem.startswith("feed is malformed"):
                outcome.bozo += 1
                outcome.error = f"{problem}; kept the {len(events)} entries parsed before it"
                self.logger.warning("%s: %s", source.id, problem)
            elif m := _SKIPPED.fullmatch(problem):
                outcome.items_seen += int(m.group(1))
                outcome.skipped += int(m.group(1))
                outcome.skip_reasons.append(problem)
                self.logger.warning("%s: %s", source.id, problem)
        return [replace(e, event_types=e.event_types or NEWS) for e in events]
