"""Federal Register API: USITC Section 337 notices, newest first, then each notice's full text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy.http import Response, TextResponse

from crawlers.base import DisputeSpider, SourceOutcome, SourceSpec
from crawlers.parsers import ParseError, stable_id
from crawlers.parsers.fr_itc import FrDocument, parse_notice_events, parse_search
from crawlers.spiders.support import (
    as_source,
    meta_of,
    option_int,
    request,
    skip_all,
    source_error,
    stored_ids,
)


class FrItcSpider(DisputeSpider):
    """Reads documents.json pages (next_page_url) and fetches raw_text_url for unseen notices."""

    name = "fr_itc"

    def parse_source(self, response: Response, source: SourceSpec, outcome: SourceOutcome) -> Any:
        """A search page gives notice and next-page requests; a notice text gives its event."""
        try:
            if meta_of(response, "step") == "notice":
                return self._notice(response, source)
            return self._search(response, source, outcome)
        except ParseError as exc:
            raise source_error(exc, source.id) from None

    def _search(
        self, response: Response, source: SourceSpec, outcome: SourceOutcome
    ) -> Iterable[Any]:
        skipped: list[str] = []
        page = parse_search(response.body, skipped)
        skip_all(self, source.id, skipped)
        outcome.items_seen += len(page.documents)
        docs = {stable_id(source.id, d.document_number): d for d in page.documents}
        # Notices never change once published: fetch only the texts not stored yet.
        known = stored_ids(self.settings.get("IPWATCH_DATABASE"), docs)
        wanted = [d for event_id, d in docs.items() if event_id not in known]
        requests = [request(self, d.raw_text_url, source.id, "notice", doc=d) for d in wanted]
        number = meta_of(response, "page", 1)
        # Newest first: a page with nothing new means every older page was read before.
        more = wanted and number < option_int(source.options, "max_pages", 3)
        if page.next_page_url and more:
            requests.append(request(self, page.next_page_url, source.id, "search", number + 1))
        return requests

    def _notice(self, response: Response, source: SourceSpec) -> Iterable[Any]:
        doc: FrDocument = meta_of(response, "doc")
        text = (
            response.text
            if isinstance(response, TextResponse)
            else response.body.decode("utf-8", "replace")
        )
        try:
            events = parse_notice_events(doc, text, self.now())
        except ParseError as exc:
            # One unreadable notice must not hide the others of the same page.
            self.skip(source.id, str(source_error(exc, source.id)))
            return []
        return [as_source(event, source.id) for event in events]
