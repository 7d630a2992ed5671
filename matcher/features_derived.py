"""Candidate features for names derived from a Chinese legal name, and the scale guards."""

from __future__ import annotations

from matcher.features import Candidate
from matcher.features_gloss import read_gloss
from matcher.features_zh import DERIVED_HOWS, read
from matcher.names_zh import looks_like_person
from matcher.types import NO_EVIDENCE, Evidence
from matcher.verdict_zh import Reading, verdict

DERIVED_NOTE = "derived name: never sent without an analyst's confirmation"


def _reading(c: Candidate) -> Reading | None:
    zh = c.hit.entry.zh
    if c.hit.how not in DERIVED_HOWS or zh is None:
        return None
    if c.hit.how == "derived_gloss":
        return read_gloss(c.alt.text, c.party.location, zh)
    return read(c.alt.text, c.party.location, zh)


def derived_name(c: Candidate) -> Evidence:
    """English derived from the Chinese legal name agrees: trade name, place, industry, form."""
    reading = _reading(c)
    zh = c.hit.entry.zh
    if reading is None or zh is None:
        return NO_EVIDENCE
    value, why = verdict(reading, zh, looks_like_person(c.alt.text))
    parts = [e.detail for e in (reading.trade, reading.industry, reading.place, reading.form)]
    return Evidence(
        value,
        f"derived from the Chinese legal name {zh.text}: {why}. "
        f"{'; '.join(p for p in parts if p)} ({DERIVED_NOTE})",
    )


def trade_pinyin(c: Candidate) -> Evidence:
    """The party spells the pinyin of the Chinese trade name (exactly, or one letter off)."""
    reading = _reading(c)
    return reading.trade if reading else NO_EVIDENCE


def industry_agrees(c: Candidate) -> Evidence:
    """The party's industry words render the Chinese descriptors (电池 = Battery …)."""
    reading = _reading(c)
    return reading.industry if reading else NO_EVIDENCE


def own_place(c: Candidate) -> Evidence:
    """The party names the company's own place (from its name or address), not another one."""
    reading = _reading(c)
    return reading.place if reading else NO_EVIDENCE


def legal_form_class(c: Candidate) -> Evidence:
    """The party's legal form is one a Chinese company of this form uses (有限公司 = Co., Ltd.)."""
    reading = _reading(c)
    return reading.form if reading else NO_EVIDENCE


def person_name(c: Candidate) -> Evidence:
    """The party is a personal name in pinyin ("Zhongwei Wu"), not a company."""
    # A legal form already says "a company"; only bare names are read as persons.
    if not c.norm.forms and c.alt.text and looks_like_person(c.alt.text):
        return Evidence(1.0, f"'{c.alt.text}' reads as a personal name in pinyin, not a company")
    return NO_EVIDENCE


def district_differs(c: Candidate) -> Evidence:
    """The party and the registry name each name a district, and the districts differ."""
    reg = set(c.hit.entry.norm.hz_places) - {"huizhou"}
    party = set(c.norm.hz_places + c.location.hz_places) - {"huizhou"}
    if c.hit.how in DERIVED_HOWS or not reg or not party or reg & party:
        return NO_EVIDENCE
    return Evidence(
        1.0,
        f"district {', '.join(sorted(party))} is not the registered {', '.join(sorted(reg))}: "
        "another firm",
    )
