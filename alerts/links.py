"""Links to a case's public sources: free ones first (Federal Register, EDIS, CourtListener); a
PACER page costs money per page, so it is only ever shown marked 付费."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

# Hosts whose pages are free to read, with the name analysts know them by.
FREE_HOSTS: dict[str, str] = {
    "www.federalregister.gov": "Federal Register",
    "federalregister.gov": "Federal Register",
    "edis.usitc.gov": "EDIS",
    "edis3.usitc.gov": "EDIS",
    "www.usitc.gov": "USITC",
    "www.courtlistener.com": "CourtListener",
    "courtlistener.com": "CourtListener",
    "www.unifiedpatentcourt.org": "UPC",
}


@dataclass(frozen=True)
class SourceLink:
    """One link to show: its label (with 免费/付费) and whether opening it costs money."""

    label: str
    url: str
    paid: bool


def is_pacer(url: str) -> bool:
    """True for PACER CM/ECF pages (ecf.<court>.uscourts.gov), which charge per page."""
    host = (urlsplit(url).hostname or "").lower()
    return host.endswith(".uscourts.gov")


def _safe(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https") and bool(urlsplit(url).hostname)


def courtlistener_search(court: str, docket_number: str) -> str:
    """A free CourtListener RECAP search for one docket of a US district court."""
    query = quote(f'docketNumber:"{docket_number}"')
    return f"https://www.courtlistener.com/?type=r&q={query}&court={quote(court)}"


def case_links(forum: str, court: str, docket_number: str, urls: list[str]) -> list[SourceLink]:
    """The case's links, free first: known free sources, a CourtListener search for a US court
    case, then other pages, and PACER last, marked 付费; only http(s) links, no duplicates."""
    free: list[SourceLink] = []
    other: list[SourceLink] = []
    paid: list[SourceLink] = []
    for url in dict.fromkeys(u for u in urls if u and _safe(u)):
        host = (urlsplit(url).hostname or "").lower()
        if is_pacer(url):
            paid.append(SourceLink("PACER（付费）", url, True))
        elif host in FREE_HOSTS:
            free.append(SourceLink(f"{FREE_HOSTS[host]}（免费）", url, False))
        else:
            other.append(SourceLink(host, url, False))
    if forum == "usdc" and court and docket_number:
        free.append(
            SourceLink("CourtListener（免费）", courtlistener_search(court, docket_number), False)
        )
    return [*free, *other, *paid]
