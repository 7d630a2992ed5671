"""Federal Register ITC notices: search envelopes, notice bodies, the daily XML issue."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from expected import check_expected

from crawlers.parsers import ParseError
from crawlers.parsers.fr_itc import (
    FrDocument,
    parse_issue_xml,
    parse_notice,
    parse_notice_events,
    parse_search,
    search_url,
)
from crawlers.parsers.itc_notice import itc_case_key, notice_kinds, parse_party_list

EXAMPLES = Path(__file__).parent / "examples" / "fr_itc"
RETRIEVED = "2024-06-01T08:00:00+00:00"
TITLE_1318 = (
    "Certain Graphics Systems, Components Thereof, and Digital Televisions Containing the Same; "
    "Institution of Investigation"
)


def notice(name: str, title: str, number: str = "2022-12049") -> FrDocument:
    """A search entry for one of the fact-based notice texts."""
    return FrDocument(
        document_number=number,
        title=title,
        publication_date="2022-06-07",
        html_url=f"https://www.federalregister.gov/d/{number}",
        raw_text_url=f"https://www.federalregister.gov/documents/full_text/text/{name}.txt",
    )


def test_search_url_asks_for_itc_337_notices_newest_first() -> None:
    url = search_url(date(2024, 1, 15), per_page=50)
    assert url.startswith("https://www.federalregister.gov/api/v1/documents.json?")
    for part in (
        "conditions%5Bagencies%5D%5B%5D=international-trade-commission",
        "conditions%5Btype%5D%5B%5D=NOTICE",
        "conditions%5Bterm%5D=337",
        "order=newest",
        "per_page=50",
        "fields%5B%5D=raw_text_url",
        "conditions%5Bpublication_date%5D%5Bgte%5D=2024-01-15",
    ):
        assert part in url
    assert "gte" not in search_url(None)


def test_search_envelope_real() -> None:
    page = parse_search((EXAMPLES / "search-envelope.json").read_bytes())
    assert page.next_page_url is None  # total_pages is 1
    assert [d.document_number for d in page.documents] == ["2020-17784", "2020-17786"]
    assert page.documents[0].raw_text_url == (
        "https://www.federalregister.gov/documents/full_text/text/2020/08/12/2020-17784.txt"
    )


def test_search_next_page_and_empty_result() -> None:
    payload = b'{"count": 0, "description": "none", "next_page_url": null}'
    assert parse_search(payload).documents == []
    nxt = (
        b'{"count": 3, "results": [], "next_page_url": "https://www.federalregister.gov/x?page=2"}'
    )
    assert parse_search(nxt).next_page_url == "https://www.federalregister.gov/x?page=2"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"<!DOCTYPE html><html><body>Rate limited</body></html>", "got an HTML page"),
        (b'{"count": 2, "results": [{"document_number": "2022-1"', "not valid JSON"),
        (b'{"errors": {"per_page": "too big"}}', "not a search envelope"),
        (
            b'{"count": 1, "results": [{"document_number": "2022-1", "title": "T"}]}',
            r"results\[0\]",
        ),
    ],
)
def test_search_bad_payloads(payload: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message) as err:
        parse_search(payload)
    assert str(err.value).startswith("fr_itc: ")


def test_1318_institution_notice_built_from_facts() -> None:
    """Notice text BUILT from the USITC 337-TA-1318 facts (news release 22-066) in FR style."""
    text = (EXAMPLES / "notice-337-TA-1318-institution.txt").read_text(encoding="utf-8")
    event = parse_notice(notice("1318", TITLE_1318), text, RETRIEVED)
    assert event.docket_number == "337-TA-1318"
    assert event.forum == "itc" and event.id == "fr_itc:2022-12049"
    assert event.case_name == TITLE_1318.split(";")[0]
    assert event.event_types == ("Institution of Investigation",)
    assert event.published == "2022-06-07T00:00:00-04:00"
    respondents = {name: place for role, name, place in event.parties if role == "defendant"}
    assert respondents["TCL King Electrical Appliances (Huizhou) Co. Ltd."] == (
        "Huizhou, Guangdong, China"
    )
    assert respondents["TCL Technology Group Corporation"] == "Huizhou, Guangdong, China"
    assert respondents["Realtek Semiconductor Corp."] == "Hsinchu, Taiwan"
    assert respondents["Manufacturas Avanzadas SA de CV"] == "Ciudad Juárez, Chihuahua, Mexico"
    assert respondents["TCL Electronics Mexico, S de RL de CV"] == (
        "Benito Juarez, Distrito Federal, Mexico"
    )
    assert respondents["TCL Smart Device (Vietnam) Co., Ltd."] == "Binh Duong Province, Vietnam"
    assert len(respondents) == 14
    assert [p for p in event.parties if p[0] == "plaintiff"] == [
        ("plaintiff", "Advanced Micro Devices, Inc.", "Santa Clara, CA"),
        ("plaintiff", "ATI Technologies ULC", "Markham, Ontario, Canada"),
    ]
    check_expected([event], EXAMPLES / "notice-337-TA-1318-institution.expected.json")


@pytest.mark.parametrize(
    "edit",
    [
        (
            "TCL Industries Holdings Co., Ltd., of Huizhou",
            "TCL Industries Holdings Co., Ltd. of Huizhou",
        ),
        ("TCL Overseas Marketing Ltd., of Sha", "TCL Overseas Marketing Ltd. of Sha"),
    ],
)
def test_respondent_list_goes_on_after_ltd_of(edit: tuple[str, str]) -> None:
    """The real 1318 list EDITED to "Co., Ltd. of Huizhou" (no comma): all 14 respondents."""
    text = (EXAMPLES / "notice-337-TA-1318-institution.txt").read_text(encoding="utf-8")
    edited = " ".join(text.split()).replace(*edit)
    assert edited != " ".join(text.split())
    original = parse_notice(notice("1318", TITLE_1318), text, RETRIEVED)
    event = parse_notice(notice("1318", TITLE_1318), edited, RETRIEVED)
    # before: the list ended at "Ltd." ("of" read as a capitalised word under re.I): 1 respondent
    assert event.parties == original.parties
    respondents = [(name, place) for role, name, place in event.parties if role == "defendant"]
    assert len(respondents) == 14
    assert respondents[0] == ("TCL Industries Holdings Co., Ltd.", "Huizhou, Guangdong, China")
    assert respondents[-1] == ("Realtek Semiconductor Corp.", "Hsinchu, Taiwan")


def test_1420_notice_built_from_facts() -> None:
    """Notice text BUILT from the USITC 337-TA-1420 facts (news release 24-095): d/b/a, f/k/a."""
    text = (EXAMPLES / "notice-337-TA-1420-institution.txt").read_text(encoding="utf-8")
    title = "Certain Smart Televisions; Institution of Investigation"
    event = parse_notice(notice("1420", title, "2024-21000"), text, RETRIEVED)
    assert event.parties[0] == ("plaintiff", "Maxell, Ltd", "Kyoto, Japan")
    assert (
        "defendant",
        "T.C.L. Industries Holdings (H.K.) Limited",
        "Pak Shek Kok, Hong Kong",
    ) in (event.parties)
    assert (
        "defendant",
        "TTE Technology, Inc. (d/b/a TCL North America)",
        "Corona, CA",
    ) in event.parties
    assert len(event.parties) == 13
    check_expected([event], EXAMPLES / "notice-337-TA-1420-institution.expected.json")


def test_receipt_of_complaint_keeps_the_docket_number() -> None:
    """Receipt notice BUILT from the real EDIS 337-3673 rows (title, docket, complainant)."""
    text = (EXAMPLES / "notice-DN-3673-receipt.txt").read_text(encoding="utf-8")
    title = text.splitlines()[1]
    event = parse_notice(notice("3673", title, "2023-07500"), text, RETRIEVED)
    assert event.docket_number == "DN-3673"
    assert "Receipt of Complaint" in event.event_types
    assert event.parties == (("plaintiff", "Netgear Inc.", ""),)
    check_expected([event], EXAMPLES / "notice-DN-3673-receipt.expected.json")


def test_daily_issue_xml_real() -> None:
    """The real 2016-04-15 issue: only the 337 notice becomes an event; its complainant is read."""
    events = parse_issue_xml(
        (EXAMPLES / "FR-2016-04-15_itc_notices_extract.xml").read_bytes(), RETRIEVED
    )
    assert [e.docket_number for e in events] == ["337-TA-944"]
    assert events[0].parties == (("plaintiff", "Cisco Systems, Inc.", "San Jose, California"),)
    assert events[0].event_types[1:] == ("Final Initial Determination", "Commission Review")
    check_expected(events, EXAMPLES / "FR-2016-04-15_itc_notices_extract.expected.json")


def test_truncated_issue_xml_is_a_parse_error() -> None:
    payload = (EXAMPLES / "FR-2016-04-15_itc_notices_extract.xml").read_bytes()[:5000]
    with pytest.raises(ParseError, match="fr_itc: xml: not well-formed"):
        parse_issue_xml(payload, RETRIEVED)


def test_empty_notice_body_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="raw_text: empty body for 2022-12049"):
        parse_notice(notice("1318", TITLE_1318), "   ", RETRIEVED)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("337-TA-1318", "337-TA-1318"),
        ("Inv. No. 337-TA-1318", "337-TA-1318"),
        ("337-1318", "337-TA-1318"),
        ("DN 3673", "DN-3673"),
        ("337-3673", "DN-3673"),
        ("Investigation No. 337-TA-944", "337-TA-944"),
    ],
)
def test_itc_case_key(text: str, key: str) -> None:
    assert itc_case_key(text) == key


def test_itc_case_key_status_overrides_range_and_bad_text_fails() -> None:
    assert itc_case_key("337-1200", preinstitution=True) == "DN-1200"
    with pytest.raises(ValueError, match="no Section 337"):
        itc_case_key("731-TA-1103")


def test_notice_kinds_for_remedial_orders() -> None:
    """Title from the facts file's later 337-TA-1318 Federal Register notice (Jan 2024)."""
    title = (
        "Notice of Final Determination Finding a Violation of Section 337; Issuance of a Limited "
        "Exclusion Order and Cease and Desist Orders; Termination of the Investigation"
    )
    assert notice_kinds(title) == (
        "Final Determination",
        "Limited Exclusion Order",
        "Cease and Desist Order",
        "Termination of Investigation",
    )
    assert notice_kinds("Issuance of a General Exclusion Order") == ("General Exclusion Order",)


def test_party_list_without_comma_before_of() -> None:
    """Names from the 337-TA-1200 facts: ' of ' inside a name or a place must not cut wrongly."""
    text = (
        "TCL Corp. of Huizhou City, Guangdong Province, China; Hisense Electronics Manufacturing "
        "Company of America Corporation d/b/a Hisense USA of Suwanee, GA; and Samsung Electronics "
        "Co., Ltd. of Gyeonggi-do, Republic of Korea"
    )
    assert parse_party_list(text) == [
        ("TCL Corp.", "Huizhou City, Guangdong Province, China"),
        (
            "Hisense Electronics Manufacturing Company of America Corporation d/b/a Hisense USA",
            "Suwanee, GA",
        ),
        ("Samsung Electronics Co., Ltd.", "Gyeonggi-do, Republic of Korea"),
    ]


def test_consolidated_notice_is_filed_under_each_investigation() -> None:
    """A notice naming 337-TA-1318 and 337-TA-1319 (docket ids, title) is an event of each."""
    text = (EXAMPLES / "notice-337-TA-1318-institution.txt").read_text(encoding="utf-8")
    title = (
        "Certain Graphics Systems; Notice of a Commission Determination To Consolidate "
        "Investigation Nos. 337-TA-1318 and 337-TA-1319"
    )
    doc = replace(notice("1318", title), docket_ids=("337-TA-1318", "337-TA-1319"))
    events = parse_notice_events(doc, text, RETRIEVED)
    # before: one event, filed under 337-TA-1318 only
    assert [(e.id, e.docket_number) for e in events] == [
        ("fr_itc:2022-12049", "337-TA-1318"),
        ("fr_itc:2022-12049:337-TA-1319", "337-TA-1319"),
    ]
    assert events[1].parties == events[0].parties and len(events[1].parties) == 16
    assert parse_notice(doc, text, RETRIEVED) == events[0]
    single = parse_notice_events(notice("1318", TITLE_1318), text, RETRIEVED)
    assert [e.docket_number for e in single] == ["337-TA-1318"]
