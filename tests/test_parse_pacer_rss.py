"""The pure PACER RSS parser on bytes: lxml and feedparser read every feed alike; known items cost
nothing; an unchanged lastBuildDate stops at the feed's head."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import lxml.html
import pytest

from crawlers.parsers import ParseError, pacer_fields
from crawlers.parsers import pacer_rss as parser
from crawlers.parsers.safexml import HostileXMLError

REPO = Path(__file__).parents[1]
EXAMPLES = Path(__file__).parent / "examples"
FEEDS = (
    sorted((REPO / "data" / "samples" / "pacer_2022-12-06").glob("*.xml"))
    + sorted((EXAMPLES / "pacer_rss").glob("*.xml"))
    + sorted((EXAMPLES / "pacer_rss" / "juriscraper").glob("*.xml"))
    + sorted((EXAMPLES / "ops").glob("*.xml"))
    + sorted((EXAMPLES / "matcher").glob("*.xml"))
    + sorted((EXAMPLES / "alerts").glob("*.xml"))
)
RETRIEVED = "2022-12-06T14:20:00+00:00"


def court_of(path: Path) -> str:
    """ecf.txwd.rss.xml -> txwd; txwd_2022-… -> txwd; mdb_1.xml -> mdb."""
    name = path.name
    return name.split(".")[1] if name.startswith("ecf.") else name.split("_")[0].split(".")[0]


def parse(path: Path, **kwargs) -> parser.FeedResult:  # type: ignore[no-untyped-def]
    """The parser on a recorded feed, as the spider would call it."""
    court = court_of(path)
    url = f"https://ecf.{court}.uscourts.gov/cgi-bin/rss_outside.pl"
    return parser.parse_feed(path.read_bytes(), f"pacer_{court}", court, url, RETRIEVED, **kwargs)


@pytest.mark.parametrize("feed", FEEDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_lxml_and_feedparser_give_the_same_events(
    feed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every field of every event, the counts and skip reasons agree between the two readers."""
    fast = parse(feed)
    assert fast.reader == "lxml", "a well-formed court feed is read by the fast path"
    monkeypatch.setattr(parser, "read_lxml", lambda payload: None)
    slow = parse(feed)
    assert slow.reader == "feedparser"
    assert [asdict(e) for e in fast.events] == [asdict(e) for e in slow.events]
    assert (fast.items_seen, fast.skip_reasons) == (slow.items_seen, slow.skip_reasons)
    assert len(fast.new_keys) == len(slow.new_keys)
    assert fast.events, f"{feed.name}: no events"


def test_quick_description_and_date_readers_agree_with_the_general_ones() -> None:
    """The regex readers for '[Type] (<a …>N</a>)' and 'Tue, 06 Dec 2022 … GMT' give what lxml
    and the email module give, on every item of every feed."""
    from email.utils import parsedate_to_datetime

    from crawlers.parsers import iso_datetime

    quick = dates = 0
    for feed in FEEDS:
        for item in parser.read_lxml(feed.read_bytes()) or []:
            if pacer_fields.plain_link(item.summary) is not None:
                quick += 1
                root = lxml.html.fragment_fromstring(item.summary, create_parent="div")
                links = [a for a in root.iter("a") if a.text_content().strip().isdigit()]
                expected = (pacer_fields.fold(root.text_content()), links[0].get("href"))
                got = pacer_fields.plain_link(item.summary)
                assert got is not None and (got[0], got[1]) == expected, item.summary
            if item.published.endswith("GMT"):
                dates += 1
                stamp = parsedate_to_datetime(item.published).isoformat()
                assert iso_datetime(item.published, "x", "pubDate") == stamp
    assert quick > 10000 and dates > 10000


def test_known_items_are_skipped_before_their_fields_are_built() -> None:
    """A re-poll with a new lastBuildDate and no new item gives no event and parses no field."""
    feed = REPO / "data" / "samples" / "pacer_2022-12-06" / "ecf.txwd.rss.xml"
    first = parse(feed)
    # 1837 items, two of them repeated byte for byte: 1835 distinct keys.
    assert (first.items_seen, len(first.new_keys), len(first.events)) == (1837, 1835, 1613)
    again = parse(feed, known=frozenset(first.new_keys))
    assert (again.status, again.items_seen, again.known, again.events) == ("ok", 1837, 1837, [])
    assert again.new_keys == [] and again.skip_reasons == []


def test_one_new_item_of_a_known_filing_is_parsed_alone() -> None:
    """Three items share guid DktRpt.pl?1189103&48: with two known, the third gives its type."""
    feed = EXAMPLES / "pacer_rss" / "txwd_2022-12-06_china_ip_excerpt.xml"
    first = parse(feed)
    event = next(e for e in first.events if e.id == "pacer_txwd:1189103:48")
    assert event.event_types == (
        "~Util - Terminate Deadlines and Hearings",
        "~Util - Terminate Motions",
        "Order",
    )
    keys = first.new_keys
    items = parser.read_lxml(feed.read_bytes()) or []
    of_filing = [i.key for i in items if i.guid.endswith("DktRpt.pl?1189103&48")]
    assert len(of_filing) == 3
    again = parse(feed, known=frozenset(set(keys) - {of_filing[2]}))
    assert [(e.id, e.event_types) for e in again.events] == [("pacer_txwd:1189103:48", ("Order",))]


def test_unchanged_build_date_stops_at_the_head() -> None:
    """lastBuildDate equal to the stored one: 'unchanged', nothing read, no keys."""
    feed = EXAMPLES / "pacer_rss" / "txwd_2022-12-06_china_ip_excerpt.xml"
    result = parse(feed, last_build_date="2022-12-06T14:14:01+00:00")
    assert (result.status, result.items_seen, result.events, result.new_keys) == (
        "unchanged",
        0,
        [],
        [],
    )


def test_truncated_feed_falls_back_to_feedparser_and_keeps_items() -> None:
    """A feed cut mid-item is read by feedparser, which keeps the items before the damage."""
    payload = (EXAMPLES / "pacer_rss" / "txwd_2022-12-06_china_ip_excerpt.xml").read_bytes()
    cut = payload[: payload.index(b"<item>", 3000) + 40]
    result = parser.parse_feed(cut, "pacer_txwd", "txwd", "https://x", RETRIEVED)
    assert result.reader == "feedparser"
    assert result.error.startswith("feed is not well-formed XML (")
    assert result.error.endswith(f"kept the {result.items_seen} items parsed before it")
    assert result.events and all(e.source == "pacer_txwd" for e in result.events)


def test_html_page_and_hostile_xml_are_errors() -> None:
    """An HTML 404 page names its title; an entity declaration is refused by the shared guard."""
    page = (EXAMPLES / "pacer_rss" / "errors" / "txed_tomcat_404.html").read_bytes()
    with pytest.raises(ParseError, match=r"pacer_txed: feed: got an HTML page, not an RSS feed"):
        parser.parse_feed(page, "pacer_txed", "txed", "https://x", RETRIEVED)
    xxe = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/passwd">]><rss/>'
    with pytest.raises(HostileXMLError, match="pacer_txed: xml: refused hostile XML"):
        parser.parse_feed(xxe, "pacer_txed", "txed", "https://x", RETRIEVED)
