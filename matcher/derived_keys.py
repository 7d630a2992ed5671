"""Lookup keys for names derived from Chinese legal names, on the registry and the party side."""

from __future__ import annotations

from functools import lru_cache

from matcher import cn_places, industry_zh
from matcher.names_zh import ZhName
from matcher.normalize import LEGAL_ANYWHERE


def runs(words: list[str]) -> list[tuple[int, int, str]]:
    """Runs of up to three words joined ("qing shui yuan" → "qingshuiyuan"), 3–20 letters,
    with the span of words they join (start, end).

    A run never starts with a legal-form or industry word: no trade name does.
    """
    runs = []
    n = len(words)
    skip = _not_trade_start()
    for start, word in enumerate(words):
        if word in skip:
            continue
        joined = word
        if len(joined) >= 3:
            runs.append((start, start + 1, joined))
        for end in range(start + 1, min(n, start + 3)):
            joined += words[end]
            if len(joined) > 20:
                break
            runs.append((start, end + 1, joined))
    return runs


@lru_cache(maxsize=1)
def _not_trade_start() -> frozenset[str]:
    """Legal-form and industry words."""
    return industry_zh.english_words() | LEGAL_ANYWHERE


def typo_runs(words: list[str]) -> list[tuple[int, str]]:
    """Single words that could be a misspelt trade name (not legal, industry or place words)."""
    skip = not_trade_words()
    return [(i, w) for i, w in enumerate(words) if 5 <= len(w) <= 10 and w not in skip]


@lru_cache(maxsize=1)
def not_trade_words() -> frozenset[str]:
    """Industry, legal-form and place words: never a misspelt or translated trade name."""
    return industry_zh.english_words() | LEGAL_ANYWHERE | cn_places.all_keys()


def place_industry_keys(zh: ZhName) -> list[str]:
    """Keys of a name without a trade name: its most specific place with each industry word."""
    place = cn_places.table().by_code[zh.places[-1]].key
    table = industry_zh.table()
    firsts = {r[0] for d in zh.industry for r in table[d] if r}
    return [f"{place}|{w}" for w in sorted(firsts) if w not in industry_zh.WEAK]


def place_industry_queries(words: list[str]) -> list[str]:
    """Place-and-industry keys a party's words could spell ("Yunnan Tourism")."""
    keys = cn_places.all_keys()
    found = [w for w in words if w in keys]
    found += [a + b for a, b in zip(words, words[1:], strict=False) if a + b in keys]
    if not found:
        return []
    strong = industry_zh.strong_words()
    industry = [w for w in words if w in strong]
    industry += [w[:-1] for w in words if w[-1:] == "s" and w[:-1] in strong]
    return [f"{place}|{w}" for place in found for w in industry]


def has_industry_word(words: list[str]) -> bool:
    """True when a word is a distinctive industry word ("battery", plural or not)."""
    strong = industry_zh.strong_words()
    return any(w in strong or (w[-1:] == "s" and w[:-1] in strong) for w in words)


def place_qualifier(zh: ZhName) -> str:
    """The place a party must name for a one-letter-off or translated reading of a name.

    Both readings need every place of the name below a province named (the verdict says so),
    so their keys carry the most specific one and a party naming another place reads none of
    them. A name without such a place gives "": its keys are read by every party.
    """
    by_code = cn_places.table().by_code
    specific = [by_code[c].name for c in zh.places if by_code[c].level != "province"]
    return specific[-1] if specific else ""


def place_qualifiers(words: list[str]) -> tuple[str, ...]:
    """The qualifiers a party's words (name and stated location) may meet: "" and every
    province, city or county one to three of its words spell."""
    found: dict[str, None] = {"": None}
    known, starts = cn_places.all_keys(), cn_places.key_prefixes()
    for start, first in enumerate(words):
        if first not in starts:
            continue  # no place name starts with this word: most words of most parties
        key = ""
        for word in words[start : start + 3]:
            key += word
            if key in known:  # one set look-up for the many joins that name no place
                for place in cn_places.en_places(key, counties=True):
                    found[place.name] = None
    return tuple(found)


def qualified(qualifier: str, key: str) -> str:
    """A key read only by parties naming the qualifier's place."""
    return f"{qualifier}|{key}"
