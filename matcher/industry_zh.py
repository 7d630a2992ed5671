"""Industry and descriptor words of Chinese company names, with the English words exporters use.

A vocabulary table, not a list of companies: each Chinese descriptor maps to the English words
(singular, lower case, abbreviations written out) that stand for it in official English names.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from matcher.normalize import ABBREVIATIONS, stem

if TYPE_CHECKING:
    from matcher.names_zh import ZhName

# Chinese descriptor → "|"-separated English renderings (each may be several words).
DESCRIPTORS = Path(__file__).with_name("data") / "descriptors.tsv"
# Single descriptor characters, for the part of a name after the trade name that the table
# does not cover (精机, 客车, 瓷业 …): an English word glossing one of them is no conflict.
CHARS = Path(__file__).with_name("data") / "descriptor_chars.tsv"

# Words that only say "a company" or "a group of companies": present in many names, weak alone.
WEAK = frozenset(
    "group holding industry industrial enterprise development technology tech science new "
    "international share stock product high hi advanced modern universal".split()
)


def _rows(path: Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [(row["zh"], row["en"]) for row in csv.DictReader(fh, delimiter="\t")]


def _words(phrase: str) -> tuple[str, ...]:
    """An English rendering as comparable words ("Sci-Tech" → ("sci", "tech"))."""
    out = []
    for word in phrase.replace("-", " ").split():
        word = stem(ABBREVIATIONS.get(word, word))
        if word not in ("and", "of", "the"):
            out.append(word)
    return tuple(out)


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Chinese descriptor → its English renderings as word tuples."""
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for zh, en in _rows(DESCRIPTORS):
        renderings = [_words(p) for p in en.split("|")]
        if zh.endswith("业") and len(zh) == 2:
            # 管业 "Pipe Industry", 矿业 "Mining Industry": an X业 may say "industry" after X.
            renderings += [(*r, "industry") for r in renderings if len(r) == 1]
        out.setdefault(zh, ())
        out[zh] = tuple(dict.fromkeys(out[zh] + tuple(renderings)))
    return out


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Every English word used by some descriptor (an English name's industry vocabulary)."""
    return frozenset(w for renderings in table().values() for r in renderings for w in r)


@lru_cache(maxsize=1)
def longest() -> int:
    """The longest Chinese descriptor, in characters."""
    return max(len(k) for k in table())


def split_suffix(text: str) -> tuple[str, tuple[str, ...]]:
    """Peel descriptors off the end of a Chinese name core: 聚能电池 → (聚能, (电池,)).

    Stops when fewer than two characters of trade name would remain, unless everything left is
    descriptors (云南旅游 after its place: no trade name at all).
    """
    words: list[str] = []
    rest = text
    descriptors = table()
    while rest:
        for size in range(min(len(rest), longest()), 0, -1):
            tail = rest[-size:]
            if tail in descriptors and (len(rest) - size >= 2 or len(rest) == size):
                words.insert(0, tail)
                rest = rest[:-size]
                break
        else:
            break
    return rest, tuple(words)


@lru_cache(maxsize=1)
def strong_words() -> frozenset[str]:
    """Industry words that are not weak ("battery", not "technology")."""
    return english_words() - WEAK


@lru_cache(maxsize=1)
def char_glosses() -> dict[str, frozenset[str]]:
    """Descriptor character → English words that may render it."""
    out: dict[str, set[str]] = {}
    for ch, en in _rows(CHARS):
        out.setdefault(ch, set()).update(w for p in en.split("|") for w in _words(p))
    return {k: frozenset(v) for k, v in out.items()}


def spelt_descriptors(zh: ZhName, size: int) -> tuple[str, ...]:
    """Descriptors the party spelled in pinyin as part of the name (城投 in "Chengtou")."""
    out, pos = [], len(zh.trade)
    for word in zh.industry:
        if pos + len(word) <= size and zh.core.startswith(zh.trade):
            out.append(word)
        pos += len(word)
    return tuple(out)


@dataclass(frozen=True)
class IndustryReading:
    """How the party's descriptor words line up with the name's descriptors."""

    state: str  # agree | vacuous | partial | missing | conflict
    covered: tuple[str, ...]  # Chinese descriptors the party renders
    glossed: tuple[str, ...]  # party words explained by single characters after the trade name
    extra: tuple[str, ...]  # party words the name does not explain
    weak_extra: tuple[str, ...] = ()  # "Group", "Holdings" … the name does not say


def strong_descriptor(word: str) -> bool:
    """A descriptor whose renderings are not all weak words (电池 yes, 集团 or 科技 no)."""
    return any(w not in WEAK for r in table().get(word, ()) for w in r)


@lru_cache(maxsize=50_000)
def _leftover_words(zh: ZhName, size: int) -> frozenset[str]:
    """Words that may render the characters after the spelled trade name (精机 → machinery)."""
    from pypinyin import lazy_pinyin

    glosses = char_glosses()
    rest = zh.core[size:] if zh.core.startswith(zh.trade) else zh.core[len(zh.trade) :]
    words: set[str] = set()
    for ch in rest:
        words.update(glosses.get(ch, ()))
    # A syllable of the name written apart ("Xinghuacun Fen Wine" for 杏花村汾酒).
    words.update(lazy_pinyin(rest))
    return frozenset(words)


def compare(zh: ZhName, found: list[str], spelt: tuple[str, ...], size: int) -> IndustryReading:
    """Compare descriptors: every party word explained is agreement; none shared is conflict."""
    renderings = table()
    covered, explained = list(spelt), set[str]()
    for word in zh.industry:
        if word in spelt:
            continue
        for rendering in renderings.get(word, ()):
            if rendering and all(w in found for w in rendering):
                covered.append(word)
                break
        explained.update(w for r in renderings.get(word, ()) for w in r)
    leftover = _leftover_words(zh, size)
    glossed = [w for w in found if w not in explained and w in leftover]
    # "Holdings", "Group", "Hi-Tech" added or dropped say nothing about which company it is.
    extra = [w for w in found if w not in explained and w not in leftover and w not in WEAK]
    shared = [w for w in found if w in explained or w in leftover]
    has_descriptors = bool(zh.industry) or bool(leftover)
    strong = strong_words()
    if not found:
        if zh.industry and len(covered) == len(zh.industry):
            state = "agree"
        elif any(strong_descriptor(d) for d in zh.industry if d not in covered):
            state = "missing"
        else:
            state = "vacuous"  # only 集团, 科技 … left unsaid: English names often drop them
    elif not shared and has_descriptors and any(w in strong for w in found):
        state = "conflict"  # 华威塑胶 is not "Huawei Technologies": homophones need the industry
    elif not extra and (covered or glossed):
        state = "agree"
    else:
        state = "partial"
    weak_extra = tuple(w for w in found if w in WEAK and w not in explained)
    return IndustryReading(state, tuple(covered), tuple(glossed), tuple(extra), weak_extra)
