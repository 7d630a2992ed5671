"""Classify raw docket and notice titles into event kinds, and read dates from notice text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from core.vocabulary import EVENT_KINDS_ZH

# Ordered (kind, pattern) table: every pattern that matches adds its kind, so a merged PACER item
# ("Complaint; Summons Issued") yields several kinds. Patterns follow CM/ECF and USITC wording.
EVENT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("receipt_of_complaint", re.compile(r"receipt of complaint|solicitation of comments", re.I)),
    ("institution", re.compile(r"institution of (an )?investigation", re.I)),
    ("temporary_relief", re.compile(r"temporary relief", re.I)),
    ("final_determination", re.compile(r"final (initial )?determination", re.I)),
    ("exclusion_order", re.compile(r"exclusion order", re.I)),
    ("termination", re.compile(r"terminat(ion|ing) (of )?(the )?investigation", re.I)),
    ("complaint", re.compile(r"^(amended )?complaint\b(?! returned)", re.I)),
    ("answer", re.compile(r"^answer to (amended )?complaint", re.I)),
    ("summons", re.compile(r"^summons issued|request for issuance of summons", re.I)),
    (
        "waiver_requested",
        re.compile(r"waiver of service (requested|sent)|request for waiver", re.I),
    ),
    ("waiver_executed", re.compile(r"^waiver of service executed", re.I)),
    (
        "service_executed",
        re.compile(
            r"(summons|service of summons).*returned executed|affidavit of service complaint", re.I
        ),
    ),
    # PACER RSS names a motion by its type alone ("[Temporary Restraining Order]", "[Default
    # Judgment]"); the court's ruling is "Order on Motion for …". The TRO clock starts at the order.
    (
        "tro_motion",
        re.compile(
            r"^(?!order|(sealed )?temporary restraining order (entered|granted|"
            r"issued))[^;]*\b(temporary restraining order|tro)\b",
            re.I,
        ),
    ),
    (
        "tro",
        re.compile(
            r"^order (on|granting)[^;]*\b(temporary restraining order|tro)\b|"
            r"^(sealed )?temporary restraining order (entered|granted|issued)",
            re.I,
        ),
    ),
    ("preliminary_injunction", re.compile(r"preliminary injunction", re.I)),
    (
        "default_motion",
        re.compile(
            r"^(motion for )?default judgment$|^motion for default judgment|"
            r"^clerk to enter default|^request for (clerk'?s )?entry of "
            r"default|^proposed (clerk'?s certificate of )?default",
            re.I,
        ),
    ),
    (
        "default",
        re.compile(
            r"^(?!order on motion)[^;]*entry(/non-entry)? of default|"
            r"^order directing clerk to enter default|^default entered",
            re.I,
        ),
    ),
    (
        "default_judgment",
        re.compile(
            r"^judgment - default|^default judgment (entered|granted)|"
            r"^order on motion for (entry of )?default",
            re.I,
        ),
    ),
    (
        "answer_extension_motion",
        re.compile(
            r"^(motion for )?extension of time to (file )?"
            r"(answer|response/reply/answer)",
            re.I,
        ),
    ),
    (
        "answer_extension",
        re.compile(
            r"^order (on motion for|granting)[^;]*extension of time to "
            r"(file )?(answer|response/reply/answer)",
            re.I,
        ),
    ),
    ("motion_to_dismiss", re.compile(r"^(motion to )?dismiss(/| for |$)", re.I)),
    (
        "dismissal",
        re.compile(
            r"voluntary dismissal|^stipulation (and order )?of dismissal|"
            r"^order (of dismissal|dismissing)|^dismissing case|^judgment of "
            r"dismissal",
            re.I,
        ),
    ),
    ("transfer", re.compile(r"case transferred", re.I)),
]

# Events that change a warned company's position enough to send it an update email.
KEY_EVENTS: frozenset[str] = frozenset(
    {
        "tro",
        "tro_motion",
        "preliminary_injunction",
        "default",
        "default_motion",
        "default_judgment",
        "institution",
        "final_determination",
        "exclusion_order",
    }
)


def classify(titles: Iterable[str]) -> list[str]:
    """The event kinds named by these raw event titles, in table order, without duplicates."""
    found: set[str] = set()
    for title in titles:
        text = title.strip()
        for kind, pattern in EVENT_PATTERNS:
            if pattern.search(text):
                found.add(kind)
    # Kinds are coarse on purpose ("Order on Motion for TRO" counts as tro): the notice always
    # shows the verbatim title beside the kind, so the reader sees which order it was.
    return [kind for kind, _ in EVENT_PATTERNS if kind in found]


def name_zh(kind: str) -> str:
    """The Chinese name of an event kind, or the kind itself when it has none."""
    return EVENT_KINDS_ZH.get(kind, kind)


_MONTH_DAY_YEAR = r"([A-Z][a-z]+\.? \d{1,2}, \d{4})"
# "The Commission instituted this investigation on January 27, 2015" names the day outright; an
# institution notice's own "Issued: April 11, 2016." is the day the Commission ordered it.
_INSTITUTED = re.compile(r"\binstituted\b[^.;]{0,80}?\bon " + _MONTH_DAY_YEAR)
_ISSUED = re.compile(r"\bIssued: " + _MONTH_DAY_YEAR)


def parse_us_date(text: str) -> date | None:
    """A date written "April 11, 2016" (or "Apr. 11, 2016"), else None."""
    for fmt in ("%B %d, %Y", "%b. %d, %Y", "%b %d, %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def institution_day(body: str) -> date | None:
    """The ITC institution day an FR notice body states ("instituted … on", else "Issued:")."""
    for pattern in (_INSTITUTED, _ISSUED):
        found = pattern.search(body or "")
        day = parse_us_date(found.group(1)) if found else None
        if day:
            return day
    return None
