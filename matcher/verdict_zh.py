"""The rule that turns a Reading of a derived name into a score and a reason an analyst reads.

Full agreement (trade name, place, industry, legal form) reaches entity; anything less waits
for review, ranked by how many parts agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher import industry_zh
from matcher.names_zh import ZhName
from matcher.types import Evidence

ENTITY_SCORE, PARTIAL_SCORE, TYPO_SCORE, BELOW_SCORE = 0.92, 0.7, 0.6, 0.4
# The most a derived name scores: entity, plus 0.01 each for the whole trade name and the
# whole name spelled (see verdict); the matcher prunes by it, so it is never less.
TOP_SCORE = ENTITY_SCORE + 0.02
# More English words than this that the registered name lacks, and the party is not just
# this company's name ("Complaint against … for patent infringement"): an analyst reads it.
MAX_LEFT_OVER = 2
# A translated name must render at least this share of the registered name's characters,
# or this lower share when the registered place is named and no word is left over; and at
# least this share of the trade name. A word left over is allowed only when the rendering
# covers this much of the name.
MIN_GLOSS_COVERAGE, PLACED_GLOSS_COVERAGE = 0.6, 0.5
MIN_TRADE_COVERAGE = 0.5
LEFT_OVER_COVERAGE = 0.75
# Three letters of pinyin ("Ai", "Hua") identify no one; a Latin trade name as registered
# ("TCL") does.
MIN_ENTITY_TRADE = 4


@dataclass(frozen=True)
class Reading:
    """How a party name lines up with one Chinese legal name, part by part."""

    trade: Evidence
    place: Evidence
    industry: Evidence
    form: Evidence
    trade_state: str  # exact | prefix | typo | absent
    place_state: str  # agree | vacuous | missing | conflict
    industry_state: str  # agree | vacuous | partial | missing | conflict
    form_state: str  # agree | missing | conflict
    unknown: tuple[str, ...]
    strong_shared: bool = False  # a distinctive descriptor (not "Technology", "Group") agrees
    all_covered: bool = False  # every Chinese descriptor is rendered
    trade_letters: int = 0  # letters of the party's words that spell the trade name
    coverage: float = 0.0  # translated names: share of the name's characters rendered
    rendered: int = 0  # translated names: party words rendering a word of the trade name
    trade_coverage: float = 0.0  # translated names: share of the trade name rendered
    lead_unknown: bool = False  # translated names: the party's first word is not rendered


def verdict(reading: Reading, zh: ZhName, person: bool) -> tuple[float, str]:
    """The derived name's score by rule, and why: full agreement reaches entity, else review."""
    r = reading
    if person:
        return 0.0, "a personal name in pinyin, not a company"
    if r.trade_state == "gloss":
        return gloss_verdict(r, zh)
    if r.place_state == "conflict" or r.form_state == "conflict":
        return BELOW_SCORE, "another place or a foreign legal form: not this company"
    if r.industry_state == "conflict":
        return BELOW_SCORE, "same sound, other industry: a homophone, not this company"
    if r.trade_state == "absent":
        if zh.trade or r.industry_state != "agree" or r.place_state != "agree" or r.unknown:
            return BELOW_SCORE, "no trade name agreement"
        return PARTIAL_SCORE, "place and industry agree (the registered name has no trade name)"
    place_named = r.place_state == "agree"
    industry_shared = r.industry_state == "agree" or (
        r.industry_state == "partial" and r.strong_shared
    )
    if r.trade_state == "typo":
        if place_named and industry_shared:
            return TYPO_SCORE, "trade name one letter off, place and industry agree: check"
        return BELOW_SCORE, "trade name one letter off without place and industry agreement"
    # Nothing else to compare: the legal form must at least say "a company" ("Desai" alone is
    # a surname as often as 德赛).
    quiet = (
        r.place_state == "vacuous"
        and r.industry_state == "vacuous"
        and not r.unknown
        and r.form_state == "agree"
    )
    if not (place_named or industry_shared or quiet):
        return BELOW_SCORE, "trade-name sound alone: homophones need the industry or the place"
    # Identity: the trade name spelled, no other place, the industry shared, a legal form.
    # Partial counts only when the words left over are not industry words the name lacks.
    industry_ok = r.industry_state in ("agree", "vacuous") or (
        r.industry_state == "partial"
        and r.strong_shared
        and not any(w in industry_zh.english_words() for w in r.unknown)
    )
    full = (
        r.trade_state in ("exact", "prefix")
        and r.place_state in ("agree", "vacuous")
        and industry_ok
        and r.form_state == "agree"
        and len(r.unknown) <= MAX_LEFT_OVER
        and (
            r.trade_letters >= MIN_ENTITY_TRADE or (r.trade_state == "exact" and zh.trade.isascii())
        )
    )
    if full:
        # The party that spells the whole registered name ranks above one that drops a part.
        whole = (r.trade_state == "exact") + r.all_covered
        return round(
            ENTITY_SCORE + 0.01 * whole, 4
        ), "trade name, place, industry and legal form agree"
    gaps = [
        "only the start of the trade name" if r.trade_state == "prefix" else "",
        f"place {r.place_state}" if r.place_state not in ("agree", "vacuous") else "",
        f"industry {r.industry_state}" if r.industry_state not in ("agree", "vacuous") else "",
        "no legal form" if r.form_state != "agree" else "",
        f"other words: {' '.join(r.unknown)}" if r.unknown else "",
    ]
    # Within review, more agreeing parts rank higher (never by registry order).
    value = PARTIAL_SCORE + 0.03 * (
        (r.trade_state == "exact")
        + place_named
        + (r.industry_state == "agree")
        + (r.form_state == "agree")
        - min(len(r.unknown), 3)
    )
    return round(value, 4), "partial agreement (" + "; ".join(g for g in gaps if g) + ")"


def gloss_verdict(r: Reading, zh: ZhName) -> tuple[float, str]:
    """A translated name's score: every word rendered and most of the name covered is review.

    A dictionary rendering never reaches entity: glosses are loose ("Golden" for 金), so an
    analyst confirms. The place must agree when the registered name has one; without one,
    a Chinese legal form must.
    """
    if r.place_state == "conflict" or r.form_state == "conflict":
        return BELOW_SCORE, "another place or a foreign legal form: not this company"
    if r.rendered == 0 and r.coverage < 1.0:
        return BELOW_SCORE, "no word of the trade name rendered"
    # Half the name is enough when the registered place is named and no word is left over.
    placed = bool(zh.places) and r.place_state == "agree" and not r.unknown
    if r.coverage < (PLACED_GLOSS_COVERAGE if placed else MIN_GLOSS_COVERAGE):
        return BELOW_SCORE, f"only {r.coverage:.0%} of the name rendered"
    if zh.places and r.place_state != "agree":
        return BELOW_SCORE, "translated trade name without the registered place"
    if not zh.places and r.form_state != "agree":
        return BELOW_SCORE, "translated trade name without place or legal form"
    if r.trade_coverage < MIN_TRADE_COVERAGE:
        return BELOW_SCORE, f"only {r.trade_coverage:.0%} of the trade name rendered"
    # One word left over is a translator's addition, unless it leads: a brand leads the name.
    if len(r.unknown) > 2 or (r.unknown and (r.lead_unknown or r.coverage < LEFT_OVER_COVERAGE)):
        return BELOW_SCORE, f"words not in the registered name: {' '.join(r.unknown)}"
    value = PARTIAL_SCORE + 0.03 * (r.coverage == 1.0) - 0.08 * len(r.unknown)
    gaps = f"; not rendered: {' '.join(r.unknown)}" if r.unknown else ""
    return round(value, 4), f"translated trade name, {r.coverage:.0%} of the name rendered{gaps}"
