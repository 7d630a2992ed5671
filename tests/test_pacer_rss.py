"""PACER RSS spider: juriscraper's example feeds, real court excerpts and each known pitfall."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from crawl_support import PACER_EXAMPLES, check_expected, event_record, parse_feed
from juriscraper.lib.string_utils import clean_string, harmonize

from crawlers.base import SourceError, iso_datetime
from crawlers.spiders.pacer_rss import docket_number, forum_of

JURISCRAPER = sorted((PACER_EXAMPLES / "juriscraper").glob("*.xml"))
EXAMPLES = sorted(PACER_EXAMPLES.glob("*.xml")) + JURISCRAPER


def juriscraper_case_name(caption: str) -> str:
    """juriscraper's PacerRssFeed._get_case_name applied to our stored caption.

    juriscraper returns clean_string(harmonize(caption)): "et al" dropped, "USA" -> "United
    States", "vs." -> "v.", plaintiff/defendant words removed. A title with no caption after the
    docket number gives its placeholder "Unknown Case Title". We store the caption as
    published and let the matcher normalise, so we compare through the same functions.
    """
    return clean_string(harmonize(caption)) if caption else "Unknown Case Title"


def as_juriscraper(events: list) -> list[tuple]:
    """Our events in juriscraper's terms: one row per merged filing.

    Event types are compared as sets: juriscraper joins merged descriptions with " AND " in
    alphabetical order and repeats duplicates, we keep feed order and de-duplicate.
    """
    rows = [
        (
            e.docket_number,
            juriscraper_case_name(e.case_name),
            tuple(sorted(set(e.event_types))),
            e.doc_number or None,
            e.published,
        )
        for e in events
    ]
    return sorted(rows)


def juriscraper_rows(path: Path) -> list[tuple]:
    """The same rows from juriscraper's own expected JSON for a feed."""
    rows = []
    for docket in json.loads(path.read_text(encoding="utf-8")):
        for entry in docket["docket_entries"]:
            types = {t.strip() for t in entry["short_description"].split(" AND ")}
            rows.append(
                (
                    docket["docket_number"],
                    docket["case_name"],
                    tuple(sorted(types)),
                    entry["document_number"],
                    entry["date_filed"],
                )
            )
    return sorted(rows)


@pytest.mark.parametrize("feed", JURISCRAPER, ids=lambda p: p.stem)
def test_matches_juriscraper_expected_output(feed: Path) -> None:
    """Docket number, case name, event types, document number and date agree with juriscraper."""
    events, outcome = parse_feed(feed)
    assert outcome.status == "ok"
    assert as_juriscraper(events) == juriscraper_rows(feed.with_suffix(".json"))


@pytest.mark.parametrize("feed", EXAMPLES, ids=lambda p: p.stem)
def test_example_matches_expected_file(feed: Path) -> None:
    """Every stored field of every event, plus the source outcome, equals the reviewed file."""
    events, outcome = parse_feed(feed)
    outcome_fields = asdict(outcome)
    actual = {
        "outcome": {k: outcome_fields[k] for k in ("status", "items_seen", "skipped", "error")},
        "skip_reasons": outcome.skip_reasons,
        "events": [event_record(e) for e in events],
    }
    check_expected(actual, feed.parent / f"{feed.stem}.expected.json")


def by_id(events: list, event_id: str):  # type: ignore[no-untyped-def]
    """The one event with this id."""
    found = [e for e in events if e.id == event_id]
    assert len(found) == 1, f"{event_id}: {len(found)} events"
    return found[0]


def test_multi_item_filing_is_merged_in_feed_order() -> None:
    """Three items with one guid (DktRpt.pl?1189103&48) become one event with three types."""
    events, _ = parse_feed(PACER_EXAMPLES / "txwd_2022-12-06_china_ip_excerpt.xml")
    event = by_id(events, "pacer_txwd:1189103:48")
    assert event.event_types == (
        "~Util - Terminate Deadlines and Hearings",
        "~Util - Terminate Motions",
        "Order",
    )
    assert (event.docket_number, event.doc_number) == ("5:22-cv-01017", "13")
    assert event.case_name == "Alba v. Credit Central, LLC et al"
    assert event.doc_url == (
        "https://ecf.txwd.uscourts.gov/doc1/181129335904?caseid=1189103&de_seq_num=48"
    )
    assert event.source_case_id == "1189103"


def test_arigna_v_tcl_caption_as_published() -> None:
    """The TCL case keeps its caption verbatim, 'et al' included, and its UTC date."""
    events, _ = parse_feed(PACER_EXAMPLES / "txwd_2022-12-06_china_ip_excerpt.xml")
    arigna = [e for e in events if e.docket_number == "6:22-cv-00217"]
    assert [e.case_name for e in arigna] == [
        "ARIGNA TECHNOLOGY LIMITED v. TCL Technology Group Corp. et al"
    ]
    assert arigna[0].event_types == ("Answer to Complaint",)
    assert (arigna[0].forum, arigna[0].court, arigna[0].doc_number) == ("usdc", "txwd", "62")


def test_double_escaped_schedule_a_is_decoded_once() -> None:
    """`Schedule &#x26;quot;A&#x26;quot;` in the XML reads `Schedule "A"` in the caption."""
    events, _ = parse_feed(PACER_EXAMPLES / "ilnd_2022-12-06_schedule_a_excerpt.xml")
    fot = {e.case_name for e in events if e.docket_number == "1:21-cv-06136"}
    assert fot == {
        "FOT, LLC et al v. The Partnerships and Unincorporated Associations Identified in "
        'Schedule "A"'
    }


def test_html_in_title_is_stripped_and_banner_kept_apart() -> None:
    """`<font color=red>***Case transferred…***</font>` leaves the caption for the body."""
    events, _ = parse_feed(PACER_EXAMPLES / "txed_2022-12-06_patent_excerpt.xml")
    event = by_id(events, "pacer_txed:214913:56")
    assert event.case_name == "Warner v. Director, TDCJ-CID"
    assert event.body == "Case transferred to NDTX, Dallas Division"
    assert "<" not in event.case_name and "*" not in event.case_name


def test_item_without_document_link() -> None:
    """An entry with no doc1 link keeps empty doc fields and its guid-based id."""
    events, _ = parse_feed(PACER_EXAMPLES / "txwd_2022-12-06_china_ip_excerpt.xml")
    event = by_id(events, "pacer_txwd:1198468:78")
    assert (event.doc_number, event.doc_url) == ("", "")
    assert event.event_types == ("Case Assigned/Reassigned",)
    assert event.published == "2022-12-06T14:11:37+00:00"


def test_malformed_docket_number_is_skipped_and_counted() -> None:
    """wvsd's `5:18-~gr-00001` is skipped, counted once and named in the reason."""
    events, outcome = parse_feed(PACER_EXAMPLES / "juriscraper" / "wvsd.xml")
    assert [e.docket_number for e in events] == ["2:13-cv-01808", "3:15-cv-13328"]
    assert outcome.skipped == 1
    assert outcome.skip_reasons == [
        "pacer_wvsd: docket_number: malformed docket number '5:18-~gr-00001'"
    ]


def test_html_404_page_is_a_source_error() -> None:
    """The Tomcat 404 page (even with status 200) fails the source instead of giving 0 events."""
    events, outcome = parse_feed(PACER_EXAMPLES / "errors" / "txed_tomcat_404.html", "txed")
    assert events == []
    assert outcome.status == "failed"
    assert "got an HTML page, not an RSS feed (HTTP Status 404 – Not Found)" in outcome.error


def test_unchanged_last_build_date_yields_nothing() -> None:
    """A feed whose lastBuildDate equals the stored one is 'unchanged' and not parsed."""
    feed = PACER_EXAMPLES / "txwd_2022-12-06_china_ip_excerpt.xml"
    events, outcome = parse_feed(feed, last_build_date="2022-12-06T14:14:01+00:00")
    assert (events, outcome.status, outcome.items_seen) == ([], "unchanged", 0)


def test_edny_judge_initials_and_appellate_and_bankruptcy_forums() -> None:
    """Judge initials and defendant numbers are cut; forum follows the court id."""
    assert docket_number("1:16-cv-02914-KAM-JO", "usdc") == "1:16-cv-02914"
    assert docket_number("2:22-mj-02908-1", "usdc") == "2:22-mj-02908"
    assert docket_number("5:18-~gr-00001", "usdc") == ""
    assert docket_number("20-1140", "cafc") == "20-1140"
    assert docket_number("18-00079", "usbc") == "18-00079"
    assert [forum_of(c) for c in ("txwd", "cafc", "ca9", "mdb")] == ["usdc", "cafc", "usca", "usbc"]


def test_no_request_for_paid_pacer_pages() -> None:
    """Parsing yields events only: nothing that would fetch DktRpt or doc1 pages."""
    events, _ = parse_feed(PACER_EXAMPLES / "txwd_2022-12-06_china_ip_excerpt.xml")
    assert {type(e).__name__ for e in events} == {"DocketEvent"}


def test_hostile_entities_are_refused_before_parsing(tmp_path: Path) -> None:
    """A DOCTYPE declaring an external entity fails the source; nothing is read from disk."""
    feed = tmp_path / "txwd_xxe.xml"
    feed.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><item><title>1:22-cv-00001 A v. &e;</title>'
        b"<guid>x</guid><pubDate>Tue, 06 Dec 2022 14:12:49 GMT</pubDate></item></channel></rss>"
    )
    events, outcome = parse_feed(feed, "txwd")
    assert events == []
    assert outcome.error == "pacer_txwd: xml: refused hostile XML (EntitiesForbidden)"


def test_dates_become_iso_8601_with_timezone() -> None:
    """RFC 822 dates keep their zone (EST is -05:00); an unreadable date names source and field."""
    assert iso_datetime("Fri, 03 Feb 2023 09:56:28 EST", "pacer_cafc", "pubDate") == (
        "2023-02-03T09:56:28-05:00"
    )
    assert iso_datetime("2022-12-06T14:12:49", "x", "d") == "2022-12-06T14:12:49+00:00"
    with pytest.raises(SourceError, match="pacer_x: pubDate: unreadable date 'soon'"):
        iso_datetime("soon", "pacer_x", "pubDate")
