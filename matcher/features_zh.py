"""Features for names derived from a Chinese legal name: trade-name pinyin, industry words,
legal form and the company's own place, each an (score, detail) an analyst can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from matcher import cn_places, industry_zh, places
from matcher.names_zh import ZhName, key_chars, place_label, toned
from matcher.normalize import (
    ABBREVIATIONS,
    FILLER,
    FOREIGN_FORMS,
    LEGAL_ANYWHERE,
    LEGAL_TRAILING,
    canonical,
    stem,
)
from matcher.types import NO_EVIDENCE, Evidence
from matcher.verdict_zh import Reading

DERIVED_HOWS = frozenset({"derived", "derived_typo", "derived_gloss"})
# Words that say "this is in China" without naming a place in it.
NEUTRAL = frozenset({"china", "chinese", "prc", "city", "province", "district", "county", "pr"})
# Words that belong to the legal form in Chinese companies' English names ("Joint-Stock",
# "Co.Ltd" written as one word).
FORM_WORDS = frozenset({"coltd", "joint", "stock", "share", "incorporation", "incorporated"})


def party_words(text: str) -> list[str]:
    """A party name's words as compared with Chinese legal names (lower case, no punctuation)."""
    return canonical(text).split()


def _norm(word: str) -> str:
    return stem(ABBREVIATIONS.get(word, word))


def trade_span(words: list[str], keys: dict[str, int]) -> tuple[int, int, float, int]:
    """Where the party spells the name's pinyin: (start, end, similarity, characters spelled).

    The longest exact spelling wins; one letter off counts only for the trade name's own key.
    """
    best = (0, 0, 0.0, 0)
    for start in range(len(words)):
        joined = ""
        for end in range(start + 1, min(len(words), start + 4) + 1):
            joined += words[end - 1]
            size = keys.get(joined, 0)
            if size and (best[2] < 1.0 or size > best[3]):
                best = (start, end, 1.0, size)
    return best


def typo_span(words: list[str], key: str, size: int) -> tuple[int, int, float, int]:
    """Where the party spells the trade name's pinyin one letter off (not a place name)."""
    if len(key) < 6:
        return (0, 0, 0.0, 0)
    for start in range(len(words)):
        joined = ""
        for end in range(start + 1, min(len(words), start + 4) + 1):
            joined += words[end - 1]
            if len(joined) < 5 or cn_places.en_places(joined):
                continue
            if OSA.distance(joined, key, score_cutoff=1) <= 1:
                return (start, end, 0.9, size)
    return (0, 0, 0.0, 0)


def _place_at(words: list[str], i: int, zh: ZhName) -> tuple[int, str, str]:
    """A place spelled at word i: (words used, kind own|other|foreign|neutral, label)."""
    own = zh.own_places
    for size in (3, 2, 1):
        if i + size > len(words):
            continue
        key = "".join(words[i : i + size])
        found = cn_places.en_places(key)
        if found:
            mine = [p for p in found if p.code in own]
            return size, ("own" if mine else "other"), (mine or list(found))[0].name
        counties = cn_places.table().county_keys.get(key, ())
        mine = [p for p in counties if p.code in own]
        if mine:
            return size, "own", mine[0].name
        # A sibling district of the company's own city is another place; others may be words.
        if any(set(p.parents) & own and p.code not in own for p in counties) and size == 1:
            return 1, "other", counties[0].name
        phrase = " ".join(words[i : i + size])
        if size == 2 and phrase in places.EN_PHRASES:
            return 2, "foreign", places.EN_PHRASES[phrase][1]
    word = words[i]
    if word in NEUTRAL:
        return 1, "neutral", word
    if word in places.EN_OTHER:
        return 1, "foreign", word
    return 0, "", ""


@lru_cache(maxsize=50_000)
def read(text: str, location: str, zh: ZhName) -> Reading:
    """Line a party name (and its stated location) up with a Chinese legal name."""
    words = party_words(text)
    keys = key_chars(zh)
    start, end, sim, size = trade_span(words, keys)
    if not sim and zh.primary_key:
        start, end, sim, size = typo_span(words, zh.primary_key, len(zh.trade))
    trade_state = "exact" if sim == 1.0 else "typo" if sim else "absent"
    if trade_state == "absent" and zh.trade:
        return _ABSENT  # nothing to read further: the trade name is not there
    found = sort_words(words, location, zh, (start, end) if trade_state != "absent" else (0, 0))
    return build_reading(
        zh,
        words[start:end],
        size,
        trade_state,
        found.named,
        found.other,
        found.industry + found.unknown,
        found.forms,
    )


@dataclass(frozen=True, slots=True)
class SortedWords:
    """A party's words outside the trade name: places, legal form, industry and other words."""

    named: list[str]  # the company's own places named
    other: list[str]  # other places (Chinese or foreign)
    industry: list[str]  # descriptor words (normalised)
    unknown: list[str]  # other words (normalised)
    forms: list[str]
    content: list[str]  # industry and other words as written, in order


def sort_words(
    words: list[str], location: str, zh: ZhName, skip: tuple[int, int] = (0, 0)
) -> SortedWords:
    """Sort a party's words (and its stated location) against a Chinese legal name."""
    found = SortedWords([], [], [], [], [], [])
    vocab = industry_zh.english_words()
    for source, is_name in ((words, True), (party_words(location), False)):
        i = 0
        while i < len(source):
            if is_name and skip[0] <= i < skip[1]:
                i = skip[1]
                continue
            used, kind, label = _place_at(source, i, zh)
            if used:
                if kind == "own":
                    found.named.append(label)
                elif kind in ("other", "foreign"):
                    found.other.append(label)
                i += used
                continue
            word, i = source[i], i + 1
            if not is_name:
                continue
            norm = _norm(word)
            if word in LEGAL_ANYWHERE or norm in LEGAL_ANYWHERE or word in FORM_WORDS:
                found.forms.append(word)
            elif word in LEGAL_TRAILING and i == len(source):
                found.forms.append(word)
            elif norm not in FILLER:
                # Descriptor words and other words alike must be explained by the name.
                (found.industry if norm in vocab else found.unknown).append(norm)
                found.content.append(word)
    return found


_ABSENT = Reading(NO_EVIDENCE, NO_EVIDENCE, NO_EVIDENCE, NO_EVIDENCE, "absent", "", "", "", ())


def build_reading(
    zh: ZhName,
    trade_words: list[str],
    size: int,
    trade_state: str,
    named: list[str],
    other: list[str],
    industry_words: list[str],
    forms: list[str],
) -> Reading:
    """The Reading of a party against a Chinese name from its sorted words: place, industry
    and legal form judged here, the trade name as found by the caller."""
    if trade_state == "absent":
        trade = NO_EVIDENCE
    else:
        spelled = " ".join(w.title() for w in trade_words)
        how = "=" if trade_state == "exact" else "≈ (one letter off)"
        spelt = zh.core[:size] if zh.core.startswith(zh.trade) else zh.trade
        if trade_state == "exact" and size < len(zh.trade):
            trade_state = "prefix"  # only the first characters of a longer trade name
        value = {"exact": 1.0, "prefix": 0.8}.get(trade_state, 0.6)
        trade = Evidence(value, f"{spelled} {how} {spelt} ({toned(spelt)})")
    if other:
        # Another place settles it: no need to compare industry words (keeps matching fast).
        place = Evidence(1.0, f"names another place: {', '.join(other)}")
        return Reading(trade, place, NO_EVIDENCE, NO_EVIDENCE, trade_state, "conflict", "", "", ())
    if any(p not in named for p in _specific(zh)):
        missing = [p for p in _specific(zh) if p not in named]
        place_state = "missing"
        place = Evidence(0.5, f"registered name says {', '.join(missing)}; the party does not")
    elif named:
        place_state = "agree"
        labels = [
            f"{place_label(c)[0]} = {place_label(c)[1]}"
            for c in zh.own_places
            if place_label(c)[1] in named
        ]
        place = Evidence(1.0, "; ".join(dict.fromkeys(labels)) or ", ".join(named))
    else:
        place_state = "vacuous"
        place = Evidence(0.5, "no place in the registered name nor in the party")
    spelt_words = industry_zh.spelt_descriptors(zh, size) if trade_state != "absent" else ()
    ind = industry_zh.compare(zh, industry_words, spelt_words, size)
    state = ind.state
    table = industry_zh.table()
    parts = [f"{' '.join(table[w][0]).title()} = {w}" for w in ind.covered if w not in spelt_words]
    parts += [f"{w} spelled in pinyin" for w in spelt_words]
    parts += [f"{w.title()} ~ {zh.core[size:]}" for w in ind.glossed]
    parts += [f"{w} not rendered" for w in zh.industry if w not in ind.covered]
    parts += [f"'{w}' not in the registered name" for w in ind.extra]
    industry = Evidence(
        {"agree": 1.0, "vacuous": 0.5, "partial": 0.5, "conflict": 1.0}.get(state, 0.0),
        f"industry {state}: " + ("; ".join(parts) or "none on either side"),
    )
    foreign = [f for f in forms if f in FOREIGN_FORMS]
    if foreign:
        form_state, form = (
            "conflict",
            Evidence(1.0, f"foreign legal form {' '.join(foreign).upper()}"),
        )
    elif forms and zh.form:
        form_state = "agree"
        form = Evidence(1.0, f"{_form_display(forms)} = {_form_zh(zh)}")
    else:
        form_state, form = "missing", Evidence(0.0, "no legal form to compare")
    strong = any(w not in industry_zh.WEAK for w in industry_words if w not in ind.extra)
    return Reading(
        trade,
        place,
        industry,
        form,
        trade_state,
        place_state,
        state,
        form_state,
        ind.extra,
        strong,
        len(ind.covered) == len(zh.industry) and not ind.extra and not ind.weak_extra,
        sum(len(w) for w in trade_words),
    )


def _specific(zh: ZhName) -> list[str]:
    """Places in the name more specific than a province: English names often drop the province."""
    by_code = cn_places.table().by_code
    return [by_code[c].name for c in zh.places if by_code[c].level != "province"]


_FORM_DISPLAY = {
    "co": "Co.",
    "ltd": "Ltd.",
    "corp": "Corp.",
    "inc": "Inc.",
    "coltd": "Co., Ltd.",
}


def _form_display(forms: list[str]) -> str:
    """The party's legal form as usually written ("Co., Ltd.", "Corporation")."""
    text = " ".join(_FORM_DISPLAY.get(f, f.title()) for f in forms)
    return text.replace("Co. Ltd.", "Co., Ltd.")


def _form_zh(zh: ZhName) -> str:
    return {"joint_stock": "股份有限公司", "limited": "有限公司", "company": "公司"}[zh.form]
