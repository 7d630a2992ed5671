"""Generic RSS/Atom news feeds (synthetic examples, see examples/feeds/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from expected import check_expected

from crawlers.parsers import ParseError
from crawlers.parsers.feeds import parse_feed
from crawlers.parsers.safexml import HostileXMLError

EXAMPLES = Path(__file__).parent / "examples" / "feeds"
RETRIEVED = "2025-03-05T08:00:00+00:00"


def test_rss_feed() -> None:
    payload = (EXAMPLES / "juve-style.rss.xml").read_bytes()
    events, warning = parse_feed(
        payload, "juve_patent", "https://news.example.org/feed/", RETRIEVED
    )
    assert warning == "juve_patent: 1 entries without id or link skipped"
    assert len(events) == 2
    eve = events[0]
    assert eve.forum == "news" and eve.source == "juve_patent"
    assert eve.published == "2025-03-04T08:15:00+00:00"
    assert eve.body == (
        "Battery maker EVE Energy sued in Munich over cylindrical cell patent\n"
        "A patent holder has filed an infringement action against EVE Energy Co., Ltd. of "
        "Huizhou & its German subsidiary before the Munich Regional Court."
    )
    # Same entry, same id: a re-crawl updates instead of duplicating.
    again, _ = parse_feed(payload, "juve_patent", "https://news.example.org/feed/", RETRIEVED)
    assert [e.id for e in again] == [e.id for e in events]
    check_expected(events, EXAMPLES / "juve-style.rss.expected.json")


def test_atom_feed() -> None:
    payload = (EXAMPLES / "ipwatchdog-style.atom.xml").read_bytes()
    events, warning = parse_feed(
        payload, "ipwatchdog", "https://ipnews.example.org/feed/atom/", RETRIEVED
    )
    assert warning is None
    (event,) = events
    assert event.link == "https://ipnews.example.org/2025/02/20/desay-sv-section-337/"
    assert "Huizhou Desay SV Automotive Co., Ltd." in event.body
    check_expected(events, EXAMPLES / "ipwatchdog-style.atom.expected.json")


def test_truncated_feed_keeps_entries_and_warns() -> None:
    payload = (EXAMPLES / "juve-style.rss.xml").read_bytes()
    cut = payload[: payload.index(b"<item>", payload.index(b"</item>"))] + b"<item><title>broken"
    events, warning = parse_feed(cut, "juve_patent", "https://news.example.org/feed/", RETRIEVED)
    assert [e.case_name for e in events] == [
        "Battery maker EVE Energy sued in Munich over cylindrical cell patent"
    ]
    assert warning.startswith("juve_patent: feed is malformed (")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"<!DOCTYPE html><html><body>Just a moment...</body></html>", "got an HTML page"),
        (b'{"items": []}', "not a readable feed"),
    ],
)
def test_not_a_feed(payload: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=f"ipwatchdog: feed: {message}"):
        parse_feed(payload, "ipwatchdog", "https://ipnews.example.org/feed/", RETRIEVED)


def test_entity_declaration_refused() -> None:
    payload = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss/>'
    with pytest.raises(HostileXMLError, match="ipwatchdog: xml: refused"):
        parse_feed(payload, "ipwatchdog", "https://ipnews.example.org/feed/", RETRIEVED)
