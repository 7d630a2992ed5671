"""Known feed items by their bytes: a re-poll whose items are all stored parses nothing, a cut
feed is still parsed (so its damage is reported), and stored keys are read only when asked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlite_utils import Database

from core.config import Config
from core.feed_items import StoredKeys, remember_items
from crawlers.parsers import pacer_rss as parser
from crawlers.parsers.rss_items import item_keys, read_lxml

REPO = Path(__file__).parents[1]
TXWD = REPO / "data" / "samples" / "pacer_2022-12-06" / "ecf.txwd.rss.xml"
EXCERPT = Path(__file__).parent / "examples" / "pacer_rss" / "txwd_2022-12-06_china_ip_excerpt.xml"
URL = "https://ecf.txwd.uscourts.gov/cgi-bin/rss_outside.pl"
RETRIEVED = "2022-12-06T14:20:00+00:00"


def parse(payload: bytes, known: frozenset[str] = frozenset()) -> parser.FeedResult:
    """The TXWD parser on a payload, as the spider calls it."""
    return parser.parse_feed(payload, "pacer_txwd", "txwd", URL, RETRIEVED, "", known)


def test_item_keys_hash_each_item_as_published() -> None:
    """The excerpt's first item: its key is the sha1 of its bytes, from <item> to </item>."""
    payload = EXCERPT.read_bytes()
    start = payload.index(b"<item>")
    first = payload[start : payload.index(b"</item>", start) + len(b"</item>")]
    keys = item_keys(payload)
    assert keys is not None and keys[0] == hashlib.sha1(first).hexdigest()[:24]
    assert [i.key for i in read_lxml(payload) or []] == keys


def test_a_repoll_of_known_items_parses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """All 1,837 items known: counted, none parsed (neither reader is called), no event."""
    payload = TXWD.read_bytes()
    first = parse(payload)

    def refuse(*_: object) -> None:
        raise AssertionError("a known item was parsed")

    monkeypatch.setattr(parser, "read_lxml", refuse)
    monkeypatch.setattr(parser, "_read_loose", refuse)
    again = parse(payload, frozenset(first.new_keys))
    assert (again.status, again.items_seen, again.known, again.events, again.new_keys) == (
        "ok",
        1837,
        1837,
        [],
        [],
    )


def test_a_cut_feed_is_parsed_even_when_its_items_are_known() -> None:
    """Cut mid-item, the feed has no key list: it is parsed and the damage is named."""
    payload = EXCERPT.read_bytes()
    known = frozenset(parse(payload).new_keys)
    cut = payload[: payload.rindex(b"<item>") + 40]
    assert item_keys(cut) is None
    result = parse(cut, known)
    assert result.reader == "feedparser" and "not well-formed" in result.error


def test_stored_keys_are_read_when_first_asked(cfg: Config, db: Database) -> None:
    """The keys of one source, from the database file, only once they are needed."""
    remember_items(db, "pacer_txwd", ["k1", "k2"], "2022-12-06T14:20:00+00:00")
    remember_items(db, "pacer_cand", ["k3"], "2022-12-06T14:20:00+00:00")
    keys = StoredKeys(cfg.path(cfg.database), "pacer_txwd")
    assert keys._keys is None  # nothing read yet
    assert ("k1" in keys, "k3" in keys, len(keys), sorted(keys)) == (True, False, 2, ["k1", "k2"])
    assert len(StoredKeys(cfg.path(cfg.database), "pacer_never_read")) == 0


def test_only_item_elements_are_keyed() -> None:
    """A tag that merely starts with 'item' is not an item; an item with attributes is."""
    payload = (
        b'<rss version="2.0"><channel><itemcount>2</itemcount>'
        b"<item><title>a</title></item>\n<item id='2'><title>b</title></item></channel></rss>\n"
    )
    assert item_keys(payload) == [
        hashlib.sha1(b"<item><title>a</title></item>").hexdigest()[:24],
        hashlib.sha1(b"<item id='2'><title>b</title></item>").hexdigest()[:24],
    ]
