"""PACER CM/ECF public RSS: one spider for any list of courts, one source id per court."""

from __future__ import annotations

from collections.abc import Iterable

from scrapy.http import Response

from crawlers.base import DisputeSpider, SourceOutcome, SourceSpec
from crawlers.items import DocketEvent
from crawlers.parsers.pacer_fields import docket_number, forum_of
from crawlers.parsers.pacer_rss import parse_feed

__all__ = ["PacerRssSpider", "docket_number", "forum_of"]


class PacerRssSpider(DisputeSpider):
    """Reads each court's rss_outside.pl feed; never requests DktRpt or doc1 (paid PACER)."""

    name = "pacer_rss"

    def parse_source(
        self, response: Response, source: SourceSpec, outcome: SourceOutcome
    ) -> Iterable[DocketEvent]:
        """Turn one court feed into merged DocketEvents; items stored before are not parsed."""
        result = parse_feed(
            response.body,
            source.id,
            source.court,
            response.url,
            self.now(),
            source.last_build_date,
            source.known_items,
        )
        outcome.build_date = result.build_date
        if result.status == "unchanged":
            outcome.status = "unchanged"
            return []
        outcome.items_seen = result.items_seen
        outcome.item_keys = result.new_keys
        if result.bozo:
            outcome.bozo += 1
            self.crawler.stats.inc_value(f"ipwatch/bozo/{source.id}")
            self.logger.warning("%s: feed is malformed (bozo): %s", source.id, result.bozo)
            outcome.error = result.error or outcome.error
        for reason in result.skip_reasons:
            self.skip(source.id, reason)
        return result.events
