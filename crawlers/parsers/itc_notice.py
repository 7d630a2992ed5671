"""USITC Section 337 wording: case keys, notice kinds, product titles and party lists."""

from __future__ import annotations

import re

# EDIS gives pre-institution dockets the same "337-NNNN" shape as investigations; dockets are
# numbered from 2000 upwards while investigations are still far below that.
_FIRST_DOCKET_NUMBER = 2000
_TA = re.compile(r"\b337-TA-(\d{1,5})\b", re.I)
_DN = re.compile(r"\bDN[ -]?(\d{3,5})\b")
_EDIS = re.compile(r"\b337-(\d{1,5})\b")

# (label, pattern on the notice title): labels are written the way USITC notices word them, so
# the alert stage's classifier reads them like any other title.
NOTICE_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("Receipt of Complaint", re.compile(r"receipt of complaint", re.I)),
    ("Institution of Investigation", re.compile(r"institution of (an )?investigation", re.I)),
    ("Final Initial Determination", re.compile(r"final initial determination", re.I)),
    ("Final Determination", re.compile(r"final determination", re.I)),
    ("Commission Review", re.compile(r"determination to review", re.I)),
    ("Limited Exclusion Order", re.compile(r"limited exclusion order", re.I)),
    ("General Exclusion Order", re.compile(r"general exclusion order", re.I)),
    ("Cease and Desist Order", re.compile(r"cease[- ]and[- ]desist order", re.I)),
    ("Termination of Investigation", re.compile(r"\bterminat(ion|ing|e)\b", re.I)),
]

_CORP_END = re.compile(
    r"(?:Inc|Ltd|Corp|Co|LLC|L\.L\.C|LLP|plc|PLC|ULC|GmbH|AG|S\.A|B\.V|N\.V|KK|K\.K|SE|SAS|"
    r"Company|Corporation|Limited|CV|C\.V|Incorporated|Group|Holdings)\.?\)?$"
)
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
# Case-sensitive even inside _RESPONDENT's re.I (the scoped "(?-i:"): a list ends at a period
# before a capitalised word, and "Co., Ltd. of Huizhou" must not end it at "of".
_END = (
    r"(?-i:(?=\s+on " + _MONTH + r" \d|(?<!\b[A-Z])\.\s+(?:[A-Z][a-z]+|\d+|\(\w\))\s"
    r"|\s\(\w\)\s|\.\s*$))"
)
_COMPLAINANT = re.compile(
    r"(?:(?:complaint (?:was )?filed|filed)\b.{0,200}?\b(?:by|on behalf of)"
    r"|complainants? (?:is|are)\s*:)\s+(?P<list>.+?)" + _END,
    re.S,
)
_RESPONDENT = re.compile(
    r"(?:names? as (?:proposed )?respondents|proposed respondents are|respondents are"
    r"(?: the following[^:]*)?)\s*:?\s*(?P<list>.+?)" + _END,
    re.S | re.I,
)
_ROLE_NOTE = re.compile(r"\s*\(\s*[“\"]?(?:Complainants?|Respondents?)[”\"]?\s*\)", re.I)


def itc_case_key(text: str, preinstitution: bool | None = None) -> str:
    """'337-TA-1318', 'Inv. No. 337-TA-1318', EDIS '337-1318' → '337-TA-1318'; dockets → 'DN-3673'.

    `preinstitution` (EDIS investigationStatus) overrides the number-range rule when known.
    """
    if m := _DN.search(text):
        return f"DN-{int(m.group(1))}"
    m = _TA.search(text) or _EDIS.search(text)
    if not m:
        raise ValueError(f"no Section 337 investigation or docket number in {text!r}")
    number = int(m.group(1))
    docket = number >= _FIRST_DOCKET_NUMBER if preinstitution is None else preinstitution
    return f"DN-{number}" if docket else f"337-TA-{number}"


def investigation_keys(*texts: str) -> list[str]:
    """Every distinct '337-TA-N' named in the texts, in order (a consolidated notice names more)."""
    found = [f"337-TA-{int(m.group(1))}" for text in texts for m in _TA.finditer(text)]
    return list(dict.fromkeys(found))


def notice_kinds(title: str) -> tuple[str, ...]:
    """The kinds of Commission action a notice title announces, in table order."""
    return tuple(label for label, pattern in NOTICE_KINDS if pattern.search(title))


def split_title(title: str) -> tuple[str, str]:
    """('Certain …' product scope, notice action) from 'Certain …; Notice of …'."""
    scope, _, action = title.partition(";")
    return scope.strip(), action.strip()


def _split_name_place(item: str) -> tuple[str, str]:
    item = item.strip().strip(",").strip()
    if ", of " in item:
        name, _, place = item.partition(", of ")
        return name.strip().rstrip(","), place.strip()
    # Without the comma, " of " may sit inside the name ("Company of America Corporation") or
    # the place ("Republic of Korea"). A place reads "City, Region…": a short run before a comma.
    cuts = [m.start() for m in re.finditer(r" of ", item)]
    shaped = [c for c in cuts if re.match(r"(?:[^\s,]+ ){0,2}[^\s,]+,", item[c + 4 :])]
    suffixed = [c for c in cuts if _CORP_END.search(item[:c])]
    cut = next((c for c in shaped if c in suffixed), None)
    if cut is None:
        cut = shaped[0] if shaped else (suffixed[-1] if suffixed else None)
    if cut is None:
        return item, ""
    return item[:cut].strip().rstrip(","), item[cut + 4 :].strip()


def _has_place(chunk: str) -> bool:
    return bool(_split_name_place(chunk)[1])


def _split_and(chunk: str) -> list[str]:
    # "A of X and B of Y": split on " and " only where both halves carry a place, so firm
    # names such as "Procter and Gamble" stay whole.
    for m in re.finditer(r",? and ", chunk):
        left, right = chunk[: m.start()], chunk[m.end() :]
        if _has_place(left) and _has_place(right):
            return [left, *_split_and(right)]
    return [chunk]


def parse_party_list(text: str) -> list[tuple[str, str]]:
    """(name, location) pairs from 'X, of City, Country; Y, of …; and Z, of …'."""
    text = _ROLE_NOTE.sub("", " ".join(text.split()))
    pairs = []
    for chunk in text.split(";"):
        chunk = re.sub(r"^\s*and\s+", "", chunk).strip()
        for item in _split_and(chunk) if chunk else []:
            name, place = _split_name_place(item)
            if name:
                pairs.append((name, place.rstrip(".")))
    return pairs


def notice_parties(body: str) -> tuple[tuple[str, str, str], ...]:
    """Complainants (plaintiff) and respondents (defendant) with locations from a notice body."""
    flat = _ROLE_NOTE.sub("", " ".join(body.split()))
    parties: list[tuple[str, str, str]] = []
    for role, pattern in (("plaintiff", _COMPLAINANT), ("defendant", _RESPONDENT)):
        m = pattern.search(flat)
        if m:
            for name, place in parse_party_list(m.group("list")):
                if (role, name, place) not in parties:
                    parties.append((role, name, place))
    return tuple(parties)


_SUFFIX = (
    r"(?:Inc|Ltd|Corp|Co|LLC|L\.L\.C|LLP|L\.L\.P|plc|PLC|ULC|GmbH|AG|S\.A|B\.V|N\.V|"
    r"Company|Corporation|Limited|Incorporated)"
)
# A cut after a corporate suffix, unless the next word is a suffix too ("Co., Ltd.").
_NAME_CUT = re.compile(rf"\b{_SUFFIX}\.?(?P<gap>,?\s+(?:and\s+)?)(?!{_SUFFIX}\b)(?=\S)")


def split_names(text: str) -> list[str]:
    """'Motorola Solutions, Inc., Avigilon Corporation and Avigilon USA Corporation' → 3 names."""
    names, start = [], 0
    for m in _NAME_CUT.finditer(text):
        names.append(text[start : m.start("gap")].strip(" ,"))
        start = m.end()
    names.append(text[start:].strip(" ,"))
    return [n for n in names if n]
