"""The fields of one PACER RSS item: forum, docket number, title and description parts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import lxml.html

DISTRICT_DN = re.compile(r"((?:\d{1,2}:)?\d\d-[A-Za-z]{1,5}-\d{1,10})(?:-[A-Za-z0-9]+)*")
BANKRUPTCY_DN = re.compile(r"((?:\d{1,2}:)?(?:\d-)?\d\d-\d{1,10})(?:-[A-Za-z0-9]+)*")
APPELLATE_DN = re.compile(r"(\d\d-\d{1,10})")
EVENT_TYPE = re.compile(r"\[(.*?)\]")
BANNER = re.compile(r"\*\*\*(.+?)\*\*\*")
# The usual description, '[Type] (<a href="URL" >38</a>)', read without an HTML parser when
# nothing in it needs one (no other markup, no entity): the same result, a tenth of the time.
PLAIN_LINK = re.compile(r'([^<>&]*)<a href="([^"<>]*)"\s*>(\d+)</a>([^<>&]*)')
ENTITY_LIKE = re.compile(r"&(#?\w+);")


def forum_of(court: str) -> str:
    """Forum code from a PACER court id: cafc, usca (other circuits), usbc (…b), else usdc."""
    if court == "cafc":
        return "cafc"
    if re.fullmatch(r"ca\d{1,2}|cadc|cavc", court):
        return "usca"
    return "usbc" if court.endswith("b") else "usdc"


def fold(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return " ".join(text.split())


def html_text(value: str) -> str:
    """Text of an HTML fragment: tags stripped, entities decoded once."""
    if not value.strip():
        return ""
    return lxml.html.fragment_fromstring(value, create_parent="div").text_content()


def docket_number(token: str, forum: str) -> str:
    """Normalise a docket token like juriscraper: '1:16-cv-02914-KAM-JO' -> '1:16-cv-02914'."""
    patterns = {"usbc": (DISTRICT_DN, BANKRUPTCY_DN), "usdc": (DISTRICT_DN,)}
    for pattern in patterns.get(forum, (APPELLATE_DN,)):
        match = pattern.fullmatch(token)
        if match:
            return match.group(1)
    return ""


@dataclass(frozen=True)
class Title:
    """A feed item's title split into docket token, caption and any clerk banner."""

    token: str
    caption: str
    banner: str


def split_title(raw: str, is_html: bool) -> Title:
    """Split '<docket> <caption>'; HTML is stripped and '***…***' banners moved out of it."""
    text = fold(html_text(raw) if is_html else raw)
    banners = [fold(b) for b in BANNER.findall(text)]
    text = fold(BANNER.sub(" ", text))
    token, _, caption = text.partition(" ")
    return Title(token, caption, "; ".join(banners))


@dataclass(frozen=True)
class Description:
    """The parts of an item description: event type, document link and number, the rest."""

    event_type: str
    doc_url: str
    doc_number: str
    rest: str


def split_description(summary: str, is_html: bool) -> Description:
    """Parse '[Event type] (<a href=".../doc1/...">38</a>)' and its variants."""
    quick = plain_link(summary) if is_html else None
    if quick is not None:
        text, doc_url, number = quick
        match = EVENT_TYPE.search(text)
        event_type = fold(match.group(1)) if match else ""
        rest = fold(EVENT_TYPE.sub(" ", text, count=1))
        return Description(event_type, doc_url, number, rest)
    if not is_html or not summary.strip() or not ("<" in summary or "&" in summary):
        text = fold(summary)
        links: list[Any] = []
    else:
        root = lxml.html.fragment_fromstring(summary, create_parent="div")
        text = fold(root.text_content())
        # The document link is the anchor whose text is the document number: doc1 (district),
        # docs1 (appellate) or show_case_doc (EDNY). It is stored as text and never fetched.
        links = [a for a in root.iter("a") if fold(a.text_content()).isdigit()]
    match = EVENT_TYPE.search(text)
    event_type = fold(match.group(1)) if match else ""
    rest = fold(EVENT_TYPE.sub(" ", text, count=1))
    doc_url = links[0].get("href", "") if links else ""
    number = fold(links[0].text_content()) if links else ""
    return Description(event_type, doc_url, number if number.isdigit() else "", rest)


def plain_link(summary: str) -> tuple[str, str, str] | None:
    """(text, href, number) of a description with one plain document link, else None."""
    match = PLAIN_LINK.fullmatch(summary)
    if match is None or ENTITY_LIKE.search(match.group(2)):
        return None
    before, href, number, after = match.groups()
    return fold(before + number + after), href, number
