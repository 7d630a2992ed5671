"""Small explainable features: each looks at one candidate pair and says what it found."""

from __future__ import annotations

from dataclasses import dataclass

from matcher.index import ENTITY_KINDS, Hit
from matcher.normalize import NormName
from matcher.parties import AltName
from matcher.places import describe
from matcher.types import NO_EVIDENCE, Evidence, Party

KIND_LABELS = {
    "legal_zh": "Chinese legal name",
    "legal_en": "English legal name",
    "former": "former name",
    "variant": "known variant",
    "config": "analyst-added variant",
    "brand": "brand / short name",
    "licensed": "licensed brand",
    "group": "group affiliate name",
}

# A registry name in the middle of a party name, or a licensed brand, is weaker evidence.
INSIDE_STRENGTH = 0.75


@dataclass(frozen=True, slots=True)
class Candidate:
    """A party name paired with one registry name found for it."""

    party: Party
    alt: AltName
    norm: NormName
    location: NormName
    hit: Hit


def _named(c: Candidate) -> str:
    entry = c.hit.entry
    return f"{KIND_LABELS.get(entry.kind, entry.kind)} '{entry.text}'"


def alignment(c: Candidate) -> str:
    """Party words next to the registry words they were aligned with."""
    tokens, reg = c.norm.tokens, c.hit.entry.norm.tokens
    start = c.hit.start if c.hit.how == "contains" else 0
    party = tokens[start : start + len(reg)]
    pairs = [f"{p}={r}" if p == r else f"{p}~{r}" for p, r in zip(party, reg, strict=False)]
    extra = [f"+{t}" for t in tokens[:start] + tokens[start + len(reg) :]]
    return " ".join(pairs + extra)


def registered_name(c: Candidate) -> Evidence:
    """The party's name equals a registered legal, English, former or variant name."""
    if c.hit.how != "exact" or c.hit.entry.kind not in ENTITY_KINDS:
        return NO_EVIDENCE
    if len(c.hit.entry.norm.tokens) == 1 and not c.norm.legal_form:
        return NO_EVIDENCE  # a bare "TCL" names the brand, not "TCL Corp."
    return Evidence(
        1.0,
        f"'{c.alt.text}' equals the {_named(c)} once legal form and place words are set aside "
        f"({alignment(c)})",
    )


def close_spelling(c: Candidate) -> Evidence:
    """The party's name is spelled nearly like a registered name (a new variant to confirm)."""
    if c.hit.how != "fuzzy":
        return NO_EVIDENCE
    sim = c.hit.similarity
    return Evidence(
        sim, f"'{c.alt.text}' is spelled {sim:.0%} like the {_named(c)} ({alignment(c)})"
    )


def first_word_differs(c: Candidate) -> Evidence:
    """A near spelling whose first word differs: one letter may be another firm's trade name."""
    if c.hit.how != "fuzzy":
        return NO_EVIDENCE
    party, registered = c.norm.tokens[0], c.hit.entry.norm.tokens[0]
    if party == registered:
        return NO_EVIDENCE
    # "Jiayi" and "Jiayu" are two firms as often as one slip of the pen: an analyst decides.
    return Evidence(
        1.0, f"first word '{party}' is not the registered '{registered}': a typo or another firm"
    )


def affiliate_name(c: Candidate) -> Evidence:
    """The party's name equals a brand, short name or group-affiliate name, not a legal name."""
    if c.hit.how != "exact" or c.hit.entry.kind in ENTITY_KINDS:
        return NO_EVIDENCE
    strength = INSIDE_STRENGTH if c.hit.entry.kind == "licensed" else 1.0
    return Evidence(strength, f"'{c.alt.text}' is the {_named(c)} of group {c.hit.entry.group}")


def contains_name(c: Candidate) -> Evidence:
    """A registry name appears inside a longer party name (full at the start, weaker inside)."""
    if c.hit.how != "contains":
        return NO_EVIDENCE
    where = "starts with" if c.hit.start == 0 else "contains"
    detail = f"'{c.alt.text}' {where} the {_named(c)} ({alignment(c)})"
    inside = c.hit.start > 0 or c.hit.entry.kind == "licensed"
    return Evidence(INSIDE_STRENGTH if inside else 1.0, detail)


def pinyin_name(c: Candidate) -> Evidence:
    """Party words spell the pinyin of a Chinese registered trade name (weak: never alone)."""
    if c.hit.how != "pinyin":
        return NO_EVIDENCE
    return Evidence(1.0, f"'{c.alt.text}' spells the pinyin of the {_named(c)}")


def other_place(c: Candidate) -> Evidence:
    """The party names a place outside Huizhou, or a foreign legal form, the registry name lacks."""
    if not (c.norm.other_places or c.location.other_places or c.norm.forms):
        return NO_EVIDENCE
    reg = c.hit.entry.norm
    places = set(c.norm.other_places) - set(reg.other_places)
    if not c.location.hz_places:
        places |= set(c.location.other_places)
    forms = set(c.norm.foreign_forms) - set(reg.foreign_forms)
    if not places and not forms:
        return NO_EVIDENCE
    what = [f"place {describe(sorted(places))}"] if places else []
    what += [f"legal form {', '.join(sorted(forms)).upper()}"] if forms else []
    return Evidence(
        1.0, f"names {' and '.join(what)}: an affiliate elsewhere, not the Huizhou entity"
    )


def _form(family: frozenset[str]) -> str:
    return " ".join(sorted(family)).upper() if family else "none"


def legal_form_differs(c: Candidate) -> Evidence:
    """A one-word trade name under another legal form than the registered one: a namesake."""
    entry = c.hit.entry
    if entry.kind not in ENTITY_KINDS or c.hit.how not in ("exact", "fuzzy"):
        return NO_EVIDENCE
    # Two distinctive words ("TCL King") identify; one ("Foryou") is shared by namesakes abroad.
    if len(entry.norm.distinctive) > 1 or c.norm.hz_places or c.location.hz_places:
        return NO_EVIDENCE
    party, registered = c.norm.form_family, entry.norm.form_family
    if party == registered:
        return NO_EVIDENCE
    word = " ".join(entry.norm.distinctive) or entry.norm.key
    return Evidence(
        1.0,
        f"'{c.alt.text}' shares only the one distinctive word '{word}' with the {_named(c)}; "
        f"its legal form ({_form(party)}) is not the registered one ({_form(registered)}) "
        "and it does not say Huizhou",
    )


def huizhou_missing(c: Candidate) -> Evidence:
    """The registry name says Huizhou (or a district); neither the party nor its location does."""
    reg = c.hit.entry.norm
    if not reg.hz_places or c.norm.hz_places or c.location.hz_places:
        return NO_EVIDENCE
    return Evidence(
        1.0,
        f"registry name says {describe(reg.hz_places)}, the party does not: place is identity here",
    )


def generic_name(c: Candidate) -> Evidence:
    """The registered name is only industry words once its Huizhou place is set aside."""
    reg = c.hit.entry.norm
    if not reg.generic or set(reg.hz_places) <= set(c.norm.hz_places + c.location.hz_places):
        return NO_EVIDENCE
    return Evidence(1.0, f"'{c.hit.entry.text}' is only industry words without its place")


def trade_name_only(c: Candidate) -> Evidence:
    """The registry name matched only a trade name the party does business as (d/b/a)."""
    if c.alt.relation != "dba":
        return NO_EVIDENCE
    return Evidence(
        1.0, f"matched only the trade name '{c.alt.text}' (d/b/a), not the party itself"
    )


def foreign_group(c: Candidate) -> Evidence:
    """The company's parent group is abroad: its other members are not Huizhou affiliates."""
    if not c.hit.entry.foreign_group:
        return NO_EVIDENCE
    return Evidence(
        1.0, f"group {c.hit.entry.group} is a foreign group: only its Huizhou entity counts"
    )


def huizhou_words(c: Candidate) -> Evidence:
    """Huizhou place words in the party's name or location (evidence of location, not identity)."""
    found = c.norm.hz_places + c.location.hz_places
    if not found:
        return NO_EVIDENCE
    where = []
    if c.norm.hz_places:
        where.append(f"in the name ({describe(c.norm.hz_places)})")
    if c.location.hz_places:
        # Quote the source's own words: "of Huizhou, Guangdong, China" is what the analyst checks.
        where.append(f"in the stated location 'of {c.party.location}'")
    return Evidence(1.0, f"Huizhou place words present {' and '.join(where)}")
