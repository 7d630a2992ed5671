"""Captions into plaintiffs and defendants, and one party string into its alternative names."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

CaptionKind = Literal["ordinary", "schedule_a", "in_re"]


@dataclass(frozen=True)
class Caption:
    """A case caption split into its sides; Schedule A and "In re" captions name no one."""

    plaintiffs: tuple[str, ...]
    defendants: tuple[str, ...]
    kind: CaptionKind
    et_al: bool
    subject: str = ""


@dataclass(frozen=True)
class AltName:
    """One name a party goes by: its own name, a former name or a trade name (d/b/a)."""

    text: str
    relation: Literal["primary", "former", "aka", "dba"]


_TAGS = re.compile(r"<[^>]+>")
# PACER titles start with the docket number ("6:22-cv-00217 ARIGNA … v. …").
_DOCKET = re.compile(r"^\s*\d{1,2}:\d{2}-[a-z]{1,4}-\d+(?:-[A-Za-z0-9]+)*\s+")
# "A v. B", "A vs. B" with "v" a word of its own, and the feeds' typo "LLCv. B" (a capital
# right before a lower-case "v."); case-sensitive so that "Univ. v." is not split inside "Univ".
_VERSUS = re.compile(r"\s+([vV][sS]?|versus|VERSUS)\.?\s+|(?<=[A-Z])v\.\s+")
_ET_AL = re.compile(r"[,\s]*\bet\.?\s*al\b\.?\s*$", re.IGNORECASE)
_IN_RE = re.compile(r"^\s*(?:in\s+re|in\s+the\s+matter\s+of)[:\s]+(.*)$", re.IGNORECASE | re.DOTALL)
# Every variant seen in the courts' feeds of the sellers sued together under seal.
_SCHEDULE_A = re.compile(
    r"unincorporated\s+associations|unidentified\s+associations|individuals,?\s+(?:and\s+)?"
    r"business\s+entities|(?:identified|listed|named)\s+(?:on|in)\s+(?:the\s+)?(?:attached\s+)?"
    r"(?:schedule|exhibit|annex|appendix)|\b(?:on|in)\s+(?:the\s+)?(?:attached\s+)?"
    r"(?:schedule|exhibit|annex|appendix)\s+\W*(?:[a-z]|\d+)\b|(?:schedule|exhibit|annex|appendix)"
    r"\s+\W*(?:[a-z]|\d+)\W*\s+defendants?\b",
    re.IGNORECASE,
)
_ALIAS = re.compile(
    r"[,;]?\s*\(?\s*\b(f/k/a|fka|formerly(?:\s+known\s+as)?|a/k/a|aka|also\s+known\s+as|"
    r"d/b/a/?|dba|doing\s+business\s+as|t/a|trading\s+as)\b\s*",
    re.IGNORECASE,
)
# Cheap substring test first: most parties have no alias marker at all.
# Any of these in a name may start another name (one search, before the full split); searched
# in the case-folded name, five times faster than a case-blind search of the name itself.
_MARKERS = re.compile(r"/|fka|formerly|aka|known as|dba|business as|trading as")
_RELATION = {"f": "former", "a": "aka", "d": "dba", "t": "dba"}
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
# What pleadings write after a party's name about it, not as its name: ", a Chinese
# corporation", "(a company of the PRC)", ", organized under the laws of …", "(China)", "et al.".
_COUNTRY = (
    r"(?:the\s+)?(?:people'?s\s+republic\s+of\s+china|p\.?\s*r\.?\s*c\.?|(?:p\.?\s*r\.?\s*)?china)"
)
_APPOSITIVE = re.compile(
    r"(?:,\s*|\s*\(\s*)an?\s+(?:[^,()]*?\s)?(?:corporation|company|entity|business|partnership"
    r"|firm|enterprise|manufacturer|subsidiary)\b[^(),;]*\)?\s*$"
    r"|,?\s*\(?\s*(?:organi[sz]ed|incorporated|existing)\s+(?:and\s+existing\s+)?under\s+the"
    r"\s+laws?\s+of\b.*$"
    rf"|\s*\(\s*(?:guangdong(?:\s+province)?\s*,?\s*)?{_COUNTRY}\s*\)\s*$|,\s*{_COUNTRY}\s*$"
    r"|[,\s]*\bet\.?\s*al\b\.?\s*$",
    re.IGNORECASE,
)
_APPOSITIVE_HINTS = (" a ", " an ", "(a ", "(an ", "china", "prc", "p.r", "laws of", "et al")
# Between two parties written in one string: ";" always, and ", " / " and " / " & " when a
# legal form ends the name before it and none starts the text after ("Co., Ltd." is one name).
_SEPARATOR = re.compile(r";\s*|,\s+(?:(?:and|&)\s+)?|\s+(?:and|&)\s+", re.IGNORECASE)
_LAST_WORD = re.compile(r"[A-Za-z]+$")
_FORM_WORDS = frozenset(
    "co ltd limited company corp corporation inc incorporated llc plc gmbh ag sa bv nv lp llp "
    "pte pty srl kk oy ab".split()
)


def clean(text: str) -> str:
    """Caption text without HTML tags or entities, with single spaces."""
    text = html.unescape(html.unescape(_TAGS.sub(" ", text)))
    return " ".join(text.replace("\xa0", " ").split())


def _side(text: str) -> tuple[tuple[str, ...], bool]:
    text = text.strip(" ,;")
    et_al = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text).strip(" ,;")
    return ((text,) if text else ()), et_al


def _versus_rank(text: str, m: re.Match[str]) -> int:
    """0: a lower-case "v." (or the "LLCv." typo); 1: a capital "V."; 2: a middle initial."""
    word = m.group(1)
    if word is None or word.islower():
        return 0
    # "Steven V. Smith": one word before a capital "V" is a first name, not a whole party.
    if word == "V" and len(text[: m.start()].split()) == 1:
        return 2
    return 1


def _split_versus(text: str) -> list[str]:
    """The caption split at its most plausible "v.", or whole when there is none."""
    found = [(_versus_rank(text, m), m.start(), m) for m in _VERSUS.finditer(text)]
    found = [f for f in found if f[0] < 2]
    if not found:
        return [text]
    m = min(found, key=lambda f: f[:2])[2]
    return [text[: m.start()], text[m.end() :]]


def parse_caption(title: str) -> Caption:
    """Split "A v. B et al", "In re X" and Schedule A captions into their parties."""
    text = _DOCKET.sub("", clean(title))
    in_re = _IN_RE.match(text)
    if in_re:
        return Caption((), (), "in_re", False, _ET_AL.sub("", in_re.group(1)).strip(" ,;"))
    parts = _split_versus(text)
    if len(parts) < 2:
        names, et_al = _side(text)
        return Caption(names, (), "ordinary", et_al, "")
    plaintiffs, p_et_al = _side(parts[0])
    if _SCHEDULE_A.search(parts[1]):
        return Caption(plaintiffs, (), "schedule_a", True, "")
    defendants, d_et_al = _side(parts[1])
    return Caption(plaintiffs, defendants, "ordinary", p_et_al or d_et_al, "")


def _trim(piece: str) -> str:
    """A name cut out of a party: punctuation and the brackets of the sentence around it go,
    its own brackets stay ("TCL North America (US)" from "… and TCL North America (US))")."""
    text = piece.strip(" ,;/")
    while text.endswith("(") or text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip(" ,;/")
    while text.startswith(")") or text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:].lstrip(" ,;/")
    return text


def without_appositives(text: str) -> str:
    """The name without what a pleading says about it ("…, a Chinese corporation", "(China)")."""
    folded = text.casefold()
    if not any(hint in folded for hint in _APPOSITIVE_HINTS):
        return text  # the common case: nothing to cut, decided by substring tests
    while True:
        shorter = _APPOSITIVE.sub("", text).rstrip(" ,;")
        if shorter == text or not shorter:
            return text
        text = shorter


def separate(text: str) -> list[str]:
    """The names of several parties written in one string ("A Inc. and B Co., Ltd.; C LLC")."""
    if not (";" in text or "&" in text or " and " in text.lower() or text.count(", ") > 1):
        # The common case, one name with at most one comma ("Co., Ltd."): no expression run.
        cut = text.find(", ")
        if cut < 0 or not _ends_in_form(text[:cut]) or _starts_with_form(text[cut + 2 :]):
            return [text] if text.strip(" ,;") else []
    pieces, start = [], 0
    for m in _SEPARATOR.finditer(text):
        if m.group().strip() == ";" or (
            _ends_in_form(text[start : m.start()]) and not _starts_with_form(text[m.end() :])
        ):
            pieces.append(text[start : m.start()])
            start = m.end()
    return [p for p in (*pieces, text[start:]) if p.strip(" ,;")]


def _ends_in_form(before: str) -> bool:
    """True when a legal form ends the text ("… Co.", "… Inc.)", "…有限公司")."""
    stripped = before.rstrip(" .)）")
    if stripped.endswith("公司"):
        return True
    last = _LAST_WORD.search(stripped, max(0, len(stripped) - 16))  # "…(Huizhou)Co.,Ltd"
    return last is not None and last.group().lower() in _FORM_WORDS


def _starts_with_form(after: str) -> bool:
    """True when the text starts with a legal form ("Ltd." after "Co., ")."""
    first = after.lstrip(" (").partition(" ")[0].rstrip(".,;)").lower()
    return first in _FORM_WORDS


@lru_cache(maxsize=4096)  # asked again for a party that matches nothing (see Matcher)
def alternative_names(party: str) -> tuple[AltName, ...]:
    """The party's own name first, then names after f/k/a, a/k/a, d/b/a, "formerly" …; a
    string naming several parties ("A Inc. and B Co., Ltd.") gives each as a name of its own."""
    names: list[AltName] = []
    # Full-width Latin ("ｆ／ｋ／ａ") as its ASCII letters: the markers below are ASCII.
    party = party if party.isascii() else unicodedata.normalize("NFKC", party)
    pieces = separate(without_appositives(party))
    if len(pieces) == 1:
        return tuple(_aliases(pieces[0]))  # one party: the common case
    for n, piece in enumerate(pieces):
        # ", a Chinese corporation, and B Inc.": what is said of the name before is no party.
        if not (n and _APPOSITIVE.match(", " + piece.strip(" ,;"))):
            names += _aliases(without_appositives(piece))
    return tuple(dict.fromkeys(names))


def _aliases(party: str) -> list[AltName]:
    """One party's own name first, then the names it goes by."""
    if not _MARKERS.search(party.casefold()):
        return [AltName(party.strip(" ,;"), "primary")] if party.strip(" ,;") else []
    pieces = _ALIAS.split(party)
    names = [AltName(_trim(pieces[0]), "primary")]
    for marker, text in zip(pieces[1::2], pieces[2::2], strict=False):
        relation = _RELATION.get(marker.lower()[0], "aka")
        # "d/b/a TCL USA and TCL North America" names two trade names.
        for name in _AND.split(text) if relation == "dba" else [text]:
            name = _trim(name)
            if name:
                names.append(AltName(without_appositives(name), relation))  # type: ignore[arg-type]
    return [n for n in names if n.text]
