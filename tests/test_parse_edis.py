"""USITC EDIS: /data/document XML, the notification RSS, and the hostile-XML guard."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from expected import check_expected

from crawlers.parsers import ParseError
from crawlers.parsers.edis import document_url, parse_documents, parse_feed
from crawlers.parsers.safexml import HostileXMLError, check_xml, parse_xml

EXAMPLES = Path(__file__).parent / "examples" / "edis"
RETRIEVED = "2024-06-01T08:00:00+00:00"


def test_document_url() -> None:
    assert document_url("337-1145") == (
        "https://edis.usitc.gov/data/document?investigationNumber=337-1145"
        "&investigationPhase=Violation&pageNumber=1"
    )


def test_documents_337_1145() -> None:
    events = parse_documents(
        (EXAMPLES / "documents-337-1145-violation.xml").read_bytes(), "337-1145", RETRIEVED
    )
    assert {e.docket_number for e in events} == {"337-TA-1145"}
    first = events[0]
    assert first.id == "edis:714228"
    assert first.event_types[0] == "Motion Response/Reply"
    assert first.published == "2020-07-09T11:27:00-04:00"
    assert first.parties == (
        ("other", "Daewoong Pharmaceuticals Co., Ltd.", ""),
        ("other", "David F. Nickel (Foster, Murphy, Altman & Nickel, PC)", ""),
    )
    # Commission staff filings name no private party.
    assert events[1].parties == ()
    assert ("other", "Allergan plc", "") in events[3].parties
    assert ("other", "Allergan, Inc.", "") in events[3].parties
    check_expected(events, EXAMPLES / "documents-337-1145-violation.expected.json")


def test_prefix_pitfall_keeps_only_the_requested_number() -> None:
    payload = (EXAMPLES / "documents-337-145-prefix.xml").read_bytes()
    assert parse_documents(payload, "337-145", RETRIEVED) == []
    only = parse_documents(payload, "337-1454", RETRIEVED)
    assert [e.docket_number for e in only] == ["337-TA-1454"]
    # EDIS double-escapes the apostrophe; it is decoded exactly once.
    assert only[0].event_types[1].startswith("Office of Unfair Import Investigations' Combined")
    check_expected(only, EXAMPLES / "documents-337-145-prefix.expected.json")


def test_preinstitution_docket_and_complainant() -> None:
    events = parse_documents(
        (EXAMPLES / "documents-337-3673-2023.xml").read_bytes(), "337-3673", RETRIEVED
    )
    assert {e.docket_number for e in events} == {"DN-3673"}
    assert events[0].parties[0] == ("plaintiff", "Netgear Inc.", "")
    assert events[0].case_name.startswith("Wi-Fi Routers, Wi-Fi Devices")
    check_expected(events, EXAMPLES / "documents-337-3673-2023.expected.json")


def test_rss_feed() -> None:
    events, warning = parse_feed((EXAMPLES / "feed-2022-05-27.xml").read_bytes(), RETRIEVED)
    assert warning is None
    assert [e.doc_number for e in events] == ["770876", "770964", "770981", "770984"]
    assert events[0].docket_number == "337-TA-1281"
    assert events[0].published == "2022-05-27T20:24:51+00:00"
    assert events[0].parties[0] == ("other", "Verkada, Inc.", "")
    assert ("other", "Avigilon USA Corporation", "") in events[1].parties
    check_expected(events, EXAMPLES / "feed-2022-05-27.expected.json")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"<html><body>Service unavailable</body></html>", "got an HTML page"),
        (b"<results><documents><document><id>1</id>", "not well-formed"),
        (b"<investigations/>", "root element is <investigations>"),
        (b"<results></results>", "no <documents>"),
        (
            b"<results><documents><document><id>9</id><investigationNumber>337-1</investigationNumber>"
            b"</document></documents></results>",
            "documentType: missing in document 9",
        ),
    ],
)
def test_documents_bad_payloads(payload: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_documents(payload, "337-1", RETRIEVED)


def test_feed_that_is_not_a_feed() -> None:
    with pytest.raises(ParseError, match="edis: rss: got an HTML page"):
        parse_feed(b"<!DOCTYPE html><html><head><title>Login</title></head></html>", RETRIEVED)


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE results [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<results><documents><document><id>&xxe;</id></document></documents></results>"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss><channel><item><title>&lol9;</title></item></channel></rss>"""


@pytest.mark.parametrize(
    ("payload", "reason"), [(XXE, "EntitiesForbidden"), (BOMB, "EntitiesForbidden")]
)
def test_hostile_xml_is_refused_fast(payload: bytes, reason: str) -> None:
    start = time.perf_counter()
    with pytest.raises(HostileXMLError, match=reason) as err:
        parse_documents(payload, "337-1", RETRIEVED)
    assert "root:" not in str(err.value)  # /etc/passwd was never read into the message
    with pytest.raises(HostileXMLError):
        parse_feed(payload, RETRIEVED)
    assert time.perf_counter() - start < 0.5


def test_hostile_xml_in_utf16_and_internal_subset() -> None:
    with pytest.raises(HostileXMLError, match="EntitiesForbidden"):
        check_xml(XXE.decode().replace('"1.0"', '"1.0" encoding="utf-16"').encode("utf-16"), "edis")
    with pytest.raises(HostileXMLError, match="internal subset"):
        check_xml(b'<!DOCTYPE r [<!ATTLIST r a CDATA "x">]><r/>', "edis")
    assert parse_xml(b"<results><documents/></results>", "edis", "results").tag == "results"
