"""Docket report pages into parties and receipts; which feed cases are new IP cases to buy."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from pacer_support import DOCKETS

from crawlers.parsers import ParseError
from crawlers.parsers.pacer_docket import details_of, parse_cl_parties, parse_docket, parse_receipt
from matcher.docket_parties import role_of
from matcher.ipcases import hides_defendants, ip_reason, is_new

PAGES = ["ded", "txed", "njd_509180", "cacd", "nysd", "ilnd_310470", "cand_263146"]


@pytest.mark.parametrize("name", PAGES)
def test_parties_equal_the_json_beside_each_page(name: str) -> None:
    page = (DOCKETS / f"{name}.html").read_text(encoding="utf-8")
    expected = json.loads((DOCKETS / f"{name}.json").read_text(encoding="utf-8"))
    parsed = parse_docket(page, name.split("_")[0])
    assert [(p.name, p.docket_role, p.terminated, p.details) for p in parsed.parties] == [
        (
            " ".join(p["name"].split()),
            p["type"],
            p["date_terminated"] or "",
            details_of(p["extra_info"]),
        )
        for p in expected["parties"]
    ]
    assert parsed.docket_number == expected["docket_number"]
    assert parsed.nature_of_suit == expected["nature_of_suit"]


def test_roles_and_terminations_as_the_docket_states_them() -> None:
    parsed = parse_docket((DOCKETS / "txed.html").read_text(encoding="utf-8"), "txed")
    roles = {(p.name, p.docket_role) for p in parsed.parties}
    assert ("Yahoo! Inc", "Counter Claimant") in roles and ("Yahoo! Inc", "Defendant") in roles
    warner = next(p for p in parsed.parties if p.name == "Time Warner Inc")
    assert warner.terminated == "2008-03-26"
    assert warner.details == "doing business as AOL LLC formerly known as AOL Time Warner Inc"
    assert [role_of(r) for r in ("Counter Claimant", "Counter Defendant", "Mediator")] == [
        "plaintiff",
        "defendant",
        "other",
    ]


@pytest.mark.parametrize(
    ("name", "pages", "cost"),
    [
        ("ded", 3, "0.30"),
        ("txed", 7, "0.70"),
        ("nysd", 10, "1.00"),
        ("cacd", 5, "0.40"),  # 2010: $0.08 a page. The cost is read, never pages x $0.10.
    ],
)
def test_cost_and_pages_come_from_the_receipt(name: str, pages: int, cost: str) -> None:
    receipt = parse_receipt((DOCKETS / f"{name}.html").read_text(encoding="utf-8"))
    assert receipt is not None
    assert (receipt.pages, receipt.cost) == (pages, Decimal(cost))
    assert receipt.fields["Description"] == "Docket Report"
    assert "PACER Login" not in receipt.fields


def test_a_page_without_receipt_has_none_and_a_login_page_is_refused() -> None:
    assert parse_receipt((DOCKETS / "cand_263146.html").read_text(encoding="utf-8")) is None
    with pytest.raises(ParseError, match="not a docket report"):
        parse_docket("<html><form id='loginForm'>PACER Login</form></html>", "txwd")


def test_courtlistener_party_list_page() -> None:
    payload = (DOCKETS / "courtlistener_parties_list.v4.json").read_bytes()
    parties, next_url = parse_cl_parties(payload)
    assert [(p.name, p.docket_role) for p in parties] == [("Samuel Jackson", "Plaintiff")]
    assert next_url is not None and "cursor=" in next_url


@pytest.mark.parametrize(
    ("types", "caption", "reason"),
    [
        (["Notice of Filing of Patent/Trademark Form (AO 120)"], "A v. B et al",
         "report form: Notice of Filing of Patent/Trademark Form (AO 120)"),
        (["Notice to Attorney to Submit AO 120 Form/AO 121 Form"], "A v. B", ""),
        (["Sealed Motion - Patent Cases only"], "A v. B et al",
         "patent-only filing: Sealed Motion - Patent Cases only"),
        (["Complaint", "Copyright"], "A v. B", "complaint in a case whose events say: Copyright"),
        (["Complaint"], "A v. B et al", ""),
        (["Order"], "Nike, Inc. v. The Partnerships and Unincorporated Associations Identified"
                    " on Schedule \"A\"", "Schedule A caption"),
    ],
)  # fmt: skip
def test_ip_cases_recognised_from_the_feed(types: list[str], caption: str, reason: str) -> None:
    assert ip_reason(types, caption) == reason


@pytest.mark.parametrize(
    ("caption", "hides"),
    [
        ("ARIGNA TECHNOLOGY LIMITED v. TCL Technology Group Corp. et al", True),
        ("Ascend, Inc. et al v. We Ascend LLC", False),  # only plaintiffs are hidden
        ("Gibson Brands, Inc. v. Society6, LLC", False),
        ("Gucci America, Inc. v. The Individuals, Business Entities, and Unincorporated"
         " Associations Identified on Schedule A", True),
    ],
)  # fmt: skip
def test_captions_that_hide_defendants(caption: str, hides: bool) -> None:
    assert hides_defendants(caption) is hides


def test_new_cases_are_this_years_and_being_opened() -> None:
    opened = ["Report on Filing of Patent/Trademark Action (Initial Notification) (AO 120)"]
    closed = ["Report of Determination of Copyright Action (CLOSE) (AO 121)"]
    seen = date(2022, 12, 6)
    assert is_new("2:22-cv-08818", seen, opened)
    assert not is_new("2:22-cv-01578", seen, closed)  # a case being closed is not new
    assert not is_new("6:20-cv-00497", seen, ["Sealed Motion - Patent Cases only"])
    assert is_new("1:21-cv-09999", date(2022, 1, 5), ["Complaint"])  # filed in late December
