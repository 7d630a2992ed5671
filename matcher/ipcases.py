"""Which new US district-court cases are IP suits whose caption hides defendants ("et al")."""

from __future__ import annotations

import re
from datetime import date

from matcher.parties import parse_caption

# The clerk's AO 120 (patent/trademark) and AO 121 (copyright) reports to the USPTO and the
# Copyright Office: filed in every new patent, trademark and copyright case. Notices *asking*
# counsel to file one ("Notice to Attorney to Submit AO 120 Form") are not the report itself.
REPORT_FORM = re.compile(
    r"\bAO[- ]?12[01]\b|patent/trademark (?:report|form)|report on (?:patent|copyright)"
    r"|report on filing of (?:patent|copyright)|copyright action",
    re.IGNORECASE,
)
NOT_A_REPORT = re.compile(r"notice to (?:attorney|counsel)", re.IGNORECASE)
COMPLAINT = re.compile(r"\bcomplaint\b", re.IGNORECASE)
IP_WORDS = re.compile(r"\b(?:patent|trademark|copyright|lanham)", re.IGNORECASE)
SEALED_PATENT = re.compile(r"patent cases only", re.IGNORECASE)
_DOCKET_YEAR = re.compile(r"^(?:\d{1,2}:)?(\d{2})-")
# Entries made when a case is opened; a report "of Determination (CLOSE)" is made when it ends.
OPENING = re.compile(
    r"complaint|civil cover sheet|case opening|initial notification|summons (?:issued|request)"
    r"|\bAO[- ]?12[01]\b|patent/trademark (?:report|form)|judge assignment|case assigned"
    r"|corporate disclosure|interested parties",
    re.IGNORECASE,
)
CLOSING = re.compile(r"determination|\(close\)", re.IGNORECASE)


def ip_reason(event_types: list[str], caption: str) -> str:
    """Why the feed shows an IP case (an English phrase naming the evidence), or ""."""
    for title in event_types:
        if REPORT_FORM.search(title) and not NOT_A_REPORT.search(title):
            return f"report form: {title}"
    for title in event_types:
        if SEALED_PATENT.search(title):
            return f"patent-only filing: {title}"
    if any(COMPLAINT.search(t) for t in event_types):
        word = next((t for t in event_types if IP_WORDS.search(t)), "")
        if word:
            return f"complaint in a case whose events say: {word}"
    if parse_caption(caption).kind == "schedule_a":
        return "Schedule A caption"
    return ""


def hides_defendants(caption: str) -> bool:
    """True when the caption names at most the first defendant ("… et al", Schedule A)."""
    parsed = parse_caption(caption)
    if parsed.kind == "schedule_a":
        return True
    if parsed.kind != "ordinary" or not parsed.et_al:
        return False
    # "A et al v. B" hides plaintiffs only; the defendant side must end in "et al".
    return bool(re.search(r"\bet\.?\s*al\b\.?\s*$", caption.strip(), re.IGNORECASE))


def is_new(docket_number: str, seen: date, event_types: list[str]) -> bool:
    """A case being opened: filed this year by its docket number (last year when seen in
    January) and with an opening entry in the feed (complaint, cover sheet, AO 120 report …)."""
    m = _DOCKET_YEAR.match(docket_number or "")
    if not m:
        return False
    year = 2000 + int(m.group(1))
    if not (year == seen.year or (seen.month == 1 and year == seen.year - 1)):
        return False
    return any(OPENING.search(t) and not CLOSING.search(t) for t in event_types)
