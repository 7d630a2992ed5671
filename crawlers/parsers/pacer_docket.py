"""PACER docket reports (DktRpt.pl) and CourtListener party lists into DocketParty records.

Parties come from juriscraper's `DocketReport` parser (the optional `pacer` extra); the cost of
each report is read from PACER's own "Transaction Receipt" table at the foot of the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import lxml.html

from core.party_lists import DocketParty
from crawlers.parsers import ParseError, load_json

SOURCE = "pacer_docket"
_TERMINATED = re.compile(r"^\s*TERMINATED:.*$", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class Receipt:
    """PACER's transaction receipt as printed on the page."""

    pages: int
    cost: Decimal
    fields: dict[str, str]  # every label: value pair, verbatim (the login is dropped)


@dataclass(frozen=True)
class DocketPage:
    """What one docket report page says: its case, parties and receipt."""

    docket_number: str
    case_name: str
    nature_of_suit: str
    cause: str
    date_filed: str
    parties: tuple[DocketParty, ...]
    receipt: Receipt | None


def details_of(extra_info: str) -> str:
    """A party's stated details without the TERMINATED lines (kept as location evidence)."""
    return " ".join(_TERMINATED.sub("", extra_info or "").split())


def parse_receipt(page: str) -> Receipt | None:
    """The transaction receipt at the foot of a PACER page, or None when there is none."""
    root = lxml.html.fromstring(page)
    tables = root.xpath('//table[.//*[contains(text(), "Transaction Receipt")]]')
    if not tables:
        return None
    cells = [" ".join(c.text_content().split()) for c in tables[-1].xpath(".//th|.//td")]
    fields: dict[str, str] = {}
    for label, value in zip(cells, cells[1:], strict=False):
        if label.endswith(":") and not value.endswith(":"):
            fields[label.rstrip(":").strip()] = value
    fields.pop("PACER Login", None)  # the account name never goes into the ledger
    try:
        pages = int(fields["Billable Pages"])
        cost = Decimal(fields["Cost"].lstrip("$"))
    except (KeyError, ValueError, InvalidOperation) as exc:
        raise ParseError(SOURCE, "receipt", f"unreadable receipt {fields!r}") from exc
    return Receipt(pages, cost, fields)


def _juriscraper_report(page: str, court: str) -> Any:
    try:
        from juriscraper.pacer import DocketReport
    except ImportError as exc:  # the optional extra is not installed
        raise ParseError(
            SOURCE, "parser", "juriscraper is missing: pip install 'ipwatch[pacer]'"
        ) from exc
    report = DocketReport(court)
    report._parse_text(page)  # juriscraper's own entry point for pages read from disk
    return report


def parse_docket(page: str, court: str) -> DocketPage:
    """Parties, case facts and receipt of a docket report; ParseError when it is not one."""
    if "Transaction Receipt" not in page and "CIVIL DOCKET" not in page.upper():
        raise ParseError(SOURCE, "page", "not a docket report (login page or changed layout?)")
    report = _juriscraper_report(page, court)
    data = report.data
    if not data:
        raise ParseError(SOURCE, "page", "the docket report has no content")
    parties = tuple(
        DocketParty(
            name=" ".join(str(p.get("name") or "").split()),
            docket_role=str(p.get("type") or "Unknown"),
            terminated=str(p.get("date_terminated") or ""),
            details=details_of(str(p.get("extra_info") or "")),
        )
        for p in data.get("parties") or []
        if p.get("name")
    )
    return DocketPage(
        docket_number=str(data.get("docket_number") or ""),
        case_name=str(data.get("case_name") or ""),
        nature_of_suit=str(data.get("nature_of_suit") or ""),
        cause=str(data.get("cause") or ""),
        date_filed=str(data.get("date_filed") or ""),
        parties=parties,
        receipt=parse_receipt(page),
    )


def parse_cl_parties(payload: bytes) -> tuple[list[DocketParty], str | None]:
    """One page of CourtListener's /parties/ list and the next page's URL (None on the last)."""
    data: Any = load_json(payload, "courtlistener", "parties")
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ParseError("courtlistener", "parties", "not a list envelope")
    out = []
    for item in data["results"]:
        for kind in item.get("party_types") or [{}]:
            out.append(
                DocketParty(
                    name=" ".join(str(item.get("name") or "").split()),
                    docket_role=str(kind.get("name") or "Unknown"),
                    terminated=str(kind.get("date_terminated") or ""),
                    details=details_of(str(kind.get("extra_info") or item.get("extra_info") or "")),
                )
            )
    return [p for p in out if p.name], data.get("next") or None
