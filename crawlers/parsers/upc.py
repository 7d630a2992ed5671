"""Unified Patent Court: the paged "decisions and orders" HTML table."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urljoin, urlparse, urlunparse

from parsel import Selector, SelectorList

from crawlers.items import DocketEvent
from crawlers.parsers import ParseError, clean_text, keep_good, stable_id

SOURCE = "upc"
LISTING = "https://www.unifiedpatentcourt.org/en/decisions-and-orders"
_COL = 'td[headers="view-field-{}-table-column"]'
_ET_AL = re.compile(r"\s*,?\s*\b(?:et al\.?|a\. ?o\.)\s*$", re.I)
# The word between the sides: "v." on its own line mostly, but also "V.", "v", "vs." or the
# German "./." and, on some rows, inline in one line ("A v. B").
_VERSUS = re.compile(r"(?:v|vs|versus)\.?|\./\.", re.I)
_VERSUS_INLINE = re.compile(r"\s+(?:v|vs|versus)\.\s+|\s+\./\.\s+", re.I)
_CASE_NO = re.compile(r"^(UPC|ACT)[_-](?:(CFI|COA)[_-])?0*(\d+)/(\d{4})$", re.I)


def case_number(raw: str) -> str:
    """'UPC-COA-0000053/2026' → 'UPC_COA_53/2026': one spelling for the court's two styles."""
    m = _CASE_NO.match(raw.strip())
    if not m:
        return raw.strip()
    prefix, court, number, year = m.groups()
    return "_".join(p.upper() for p in (prefix, court) if p) + f"_{int(number)}/{year}"


def _page_url(url: str, page: int) -> str:
    parts = urlparse(url)
    query = {k: v for k, v in parse_qs(parts.query).items() if k != "page"}
    query["page"] = [str(page)]
    return urlunparse(parts._replace(query=urlencode(query, doseq=True)))


def _next_page(sel: Selector, url: str) -> str | None:
    last = sel.css("li.pager__item--last a::attr(href)").get()
    if not last:
        return None  # no pager: the listing fits on one page
    last_page = int(parse_qs(urlparse(last).query).get("page", ["0"])[0])
    current = int(parse_qs(urlparse(url).query).get("page", ["0"])[0])
    return _page_url(url, current + 1) if current < last_page else None


def _sides(cell: SelectorList[Selector]) -> tuple[list[str], list[str], bool]:
    """Claimants and defendants of a caption (one per line: the court puts <br> between them)."""
    lines = [clean_text(t) for t in cell.xpath(".//text()").getall() if clean_text(t)]
    cut = next((i for i, line in enumerate(lines) if _VERSUS.fullmatch(line)), None)
    if cut is not None:
        left, right = lines[:cut], lines[cut + 1 :]
    else:
        for i, line in enumerate(lines):
            parts = _VERSUS_INLINE.split(line, maxsplit=1)
            if len(parts) == 2:
                left, right = [*lines[:i], parts[0]], [parts[1], *lines[i + 1 :]]
                break
        else:
            return [" ".join(lines)] if lines else [], [], False
    more = any(_ET_AL.search(name) for name in right)
    right = [_ET_AL.sub("", name) for name in right]
    return [n for n in left if n], [n for n in right if n], more


def _row_events(row: Selector, url: str, retrieved_at: str) -> list[DocketEvent]:
    numbers = [
        clean_text(t)
        for t in row.css(_COL.format("judgement-application-no-1")).xpath("text()").getall()
    ]
    numbers = [n for n in numbers if n]
    if not numbers:
        raise ParseError(SOURCE, "case number", f"row without a case number on {url}")
    # Older rows give the CMS action number first and the court's case number second.
    docket = case_number(next((n for n in numbers if n.upper().startswith("UPC")), numbers[0]))
    division = clean_text(row.css(_COL.format("location")).xpath("string()").get(""))
    case_type = clean_text(row.css(_COL.format("upc-case-type")).xpath("string()").get(""))
    party_cell = row.css(_COL.format("judgement-parties-long"))
    plaintiffs, defendants, et_al = _sides(party_cell)
    caption = clean_text(" ".join(party_cell.xpath(".//text()").getall()))
    detail = row.css(_COL.format("judgement-application-no-1") + " a::attr(href)").get()
    parties = tuple(
        [("plaintiff", n, "") for n in plaintiffs] + [("defendant", n, "") for n in defendants]
    )
    body = f"{caption}\nFurther parties not named in the listing (et al.)" if et_al else caption
    docs = row.css(_COL.format("upc-document") + " a") or [None]
    events = []
    for doc in docs:
        if doc is not None and not doc.attrib.get("href"):
            raise ParseError(SOURCE, "document link", f"<a> without href in row {docket}")
        href = urljoin(url, doc.attrib["href"]) if doc is not None else ""
        label = clean_text(doc.xpath("string()").get("")) if doc is not None else ""
        events.append(
            DocketEvent(
                id=stable_id(SOURCE, f"{docket}:{href.rsplit('/', 1)[-1] or 'row'}"),
                source=SOURCE,
                forum="upc",
                court=division,
                docket_number=docket,
                case_name=caption,
                event_types=tuple(t for t in (case_type, label) if t),
                published=retrieved_at,  # the listing carries no decision date
                link=urljoin(url, detail) if detail else url,
                doc_url=href,
                body=body,
                parties=parties,
                retrieved_at=retrieved_at,
            )
        )
    return events


def parse_listing(
    html: str, url: str, retrieved_at: str, skipped: list[str] | None = None
) -> tuple[list[DocketEvent], str | None]:
    """Events of one listing page (one per published document) and the next page's URL.

    A row that cannot be read is named in `skipped` (when given) and left out.
    """
    sel = Selector(text=html, type="html")
    if not sel.css(
        "th#view-field-judgement-parties-long-table-column, "
        + _COL.format("judgement-parties-long")
    ):
        raise ParseError(SOURCE, "listing", f"no decisions table on {url} (page layout changed?)")
    events = keep_good(
        sel.css("tbody tr"),
        lambda row: _row_events(row, url, retrieved_at),
        lambda row: f"row {clean_text(row.xpath('string()').get(''))[:60]!r}",
        skipped,
    )
    return events, _next_page(sel, url)
