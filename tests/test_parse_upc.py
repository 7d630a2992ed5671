"""UPC decisions-and-orders listing: rows, parties, documents and paging."""

from __future__ import annotations

from pathlib import Path

import pytest
from expected import check_expected

from crawlers.parsers import ParseError
from crawlers.parsers.upc import LISTING, case_number, parse_listing

EXAMPLES = Path(__file__).parent / "examples" / "upc"
RETRIEVED = "2026-01-10T08:00:00+00:00"


def page0() -> str:
    return (EXAMPLES / "decisions-page0.html").read_text(encoding="utf-8")


def test_listing_page() -> None:
    events, next_url = parse_listing(page0(), LISTING, RETRIEVED)
    assert next_url == LISTING + "?page=1"
    assert [e.docket_number for e in events] == [
        "UPC_CFI_1747/2025",
        "UPC_CFI_478/2025",
        "UPC_COA_53/2026",
        "UPC_CFI_159/2023",
    ]
    xingi = events[1]
    assert xingi.parties == (
        ("plaintiff", "Avient Protective Materials B.V.", ""),
        ("defendant", "Xingi Technology Co., Ltd", ""),
    )
    assert xingi.case_name == "Avient Protective Materials B.V. v. Xingi Technology Co., Ltd et al"
    assert xingi.body.endswith("Further parties not named in the listing (et al.)")
    assert xingi.court == "The Hague (NL) Local Division"
    assert xingi.event_types == ("Infringement Action", "Decision")
    assert xingi.doc_url == (
        "https://www.unifiedpatentcourt.org/sites/default/files/files/api_order/CFI-478-2025-decision.pdf"
    )
    assert xingi.link == "https://www.unifiedpatentcourt.org/en/node/183250"
    check_expected(events, EXAMPLES / "decisions-page0.expected.json")


def test_paging_stops_at_the_last_page() -> None:
    assert parse_listing(page0(), LISTING + "?page=36", RETRIEVED)[1] == LISTING + "?page=37"
    assert parse_listing(page0(), LISTING + "?page=37", RETRIEVED)[1] is None


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("UPC-COA-0000053/2026", "UPC_COA_53/2026"),
        ("UPC_CFI_1747/2025", "UPC_CFI_1747/2025"),
        ("ACT_551054/2023", "ACT_551054/2023"),
    ],
)
def test_case_number(raw: str, norm: str) -> None:
    assert case_number(raw) == norm


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<html><body><h1>Access denied</h1></body></html>", "no decisions table"),
        ('{"cases": []}', "no decisions table"),
    ],
)
def test_not_a_listing(html: str, message: str) -> None:
    with pytest.raises(ParseError, match=f"upc: listing: {message}"):
        parse_listing(html, LISTING, RETRIEVED)


def test_row_without_case_number() -> None:
    html = page0().replace("UPC-CFI-478/2025<br/>UPC-CFI-478/2025<br/>", "")
    with pytest.raises(ParseError, match="upc: case number: row without a case number"):
        parse_listing(html, LISTING, RETRIEVED)


ALIGN = "Align Technology, Inc. <br/>v.<br/>Angelalign France Technology SASU a. o."


@pytest.mark.parametrize(
    "cell",
    [
        "Align Technology, Inc. v. Huizhou Foo Co., Ltd.",
        "Align Technology, Inc. <br/>V.<br/>Huizhou Foo Co., Ltd.",
        "Align Technology, Inc. <br/>vs.<br/>Huizhou Foo Co., Ltd.",
        "Align Technology, Inc. ./. Huizhou Foo Co., Ltd.",
        "Align Technology, Inc.<br/>&nbsp;v.&nbsp;<br/>Huizhou Foo Co., Ltd.",
        "Align Technology, Inc. <br/><span>v</span><br/>Huizhou Foo Co., Ltd.",
    ],
)
def test_caption_sides_in_the_courts_other_spellings(cell: str) -> None:
    """The real row EDITED to "A v. B" inline, "V.", "vs.", "./.": claimant and defendant apart."""
    assert ALIGN in page0()
    events, _ = parse_listing(page0().replace(ALIGN, cell), LISTING, RETRIEVED)
    # before: one "plaintiff" holding the whole caption, and no defendant
    assert events[0].parties == (
        ("plaintiff", "Align Technology, Inc.", ""),
        ("defendant", "Huizhou Foo Co., Ltd.", ""),
    )


def test_defendants_on_separate_lines_are_separate_parties() -> None:
    """Defendants separated by <br> are two parties, not one name glued together."""
    cell = "Align Technology, Inc. <br/>v.<br/>Huizhou Foo Co., Ltd.<br/>Shenzhen Bar Ltd. a. o."
    events, _ = parse_listing(page0().replace(ALIGN, cell), LISTING, RETRIEVED)
    assert events[0].parties == (
        ("plaintiff", "Align Technology, Inc.", ""),
        ("defendant", "Huizhou Foo Co., Ltd.", ""),
        ("defendant", "Shenzhen Bar Ltd.", ""),
    )
    assert events[0].body.endswith("Further parties not named in the listing (et al.)")
