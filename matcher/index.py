"""Candidate lookup: registry names by identity key, by token and by pinyin (never all-pairs)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from matcher import cn_places, gloss
from matcher.derived_keys import (
    has_industry_word,
    place_industry_keys,
    place_industry_queries,
    runs,
    typo_runs,
)
from matcher.names_zh import ZhName, derived_english, parse_zh, typo_keys
from matcher.normalize import LEGAL_ANYWHERE, NormName, parse_name_uncached, pinyin_keys
from matcher.registry import Registry, group_of
from matcher.types import Company

ENTITY_KINDS = frozenset({"legal_zh", "legal_en", "former", "variant", "config"})
# A token shared by more names than this says nothing about identity (e.g. "technology").
MAX_POSTING = 64
MAX_PINYIN = 8
FUZZY_CUTOFF = 85.0
MAX_NGRAM = 6
# Keys of names derived from Chinese legal names: "=" the trade name's pinyin (or
# place|industry for a name without one), "~" its one-letter-off forms.
EXACT, TYPO, GLOSS = "=", "~", "@"
MAX_DERIVED = 32
MAX_TYPO = 16
# A gloss shared by more names than this ("technology") finds no one; rarer ones rank first.
MAX_GLOSS = 256
# Translated candidates scored per party, those rendering most of its words first.
MAX_GLOSS_HITS = 8


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One typed registry name, normalised, with the company and group it belongs to."""

    company_id: str
    group: str
    text: str
    kind: str
    norm: NormName
    foreign_group: bool
    zh: ZhName | None = None  # set on names derived from the Chinese legal name


@dataclass(frozen=True, slots=True)
class Hit:
    """A registry name found for a party name, and how it was found."""

    entry: NameEntry
    how: str  # exact | contains | fuzzy | pinyin | derived | derived_typo
    start: int = 0
    similarity: float = 1.0


def _canonical_groups(companies: tuple[Company, ...]) -> dict[str, str]:
    """Map each group name to the shortest group name sharing its first word ("TCL")."""
    heads = {group_of(c) for c in companies if group_of(c)}
    by_first: dict[str, list[str]] = defaultdict(list)
    for head in heads:
        by_first[head.split()[0].lower()].append(head)
    return {h: min(by_first[h.split()[0].lower()], key=len) for h in heads}


def own_group(company: Company) -> str:
    """A company without a parent group is its own group, named by its short name."""
    brands = [n.text for n in company.names if n.kind == "brand" and n.text.isascii()]
    return (brands or [company.name_en or company.name_zh])[0]


class Index:
    """Registry names keyed for constant-time candidate lookup as the registry grows."""

    def __init__(self, registry: Registry, stop_words: frozenset[str] = frozenset()) -> None:
        self.stop_words = stop_words
        self.by_key: dict[str, list[NameEntry]] = defaultdict(list)
        self.postings: dict[str, list[NameEntry]] = defaultdict(list)
        self.pinyin: dict[str, list[NameEntry]] = defaultdict(list)
        self.first_tokens: set[str] = set()
        # Derived names: the entries once, and each lookup key to entry numbers. Numbers and
        # strings are not tracked by the garbage collector, so a million keys stay cheap.
        self.derived_entries: list[NameEntry] = []
        self.derived_keys: dict[str, tuple[int, ...]] = {}
        self.groups = _canonical_groups(registry.companies)
        for company in registry.companies:
            group = self.groups.get(group_of(company), "") or own_group(company)
            foreign = group_of(company) in registry.foreign_groups
            for name in company.names:
                entry = NameEntry(
                    company.id, group, name.text, name.kind, self._norm(name.text), foreign
                )
                # The legal name's pinyin is read by the derived-name features instead.
                self.add(entry, pinyin=name.kind != "legal_zh")
            if company.name_zh:
                self.add_derived(company, group, foreign)
        for group, text in registry.group_aliases:
            canonical_group = self.groups.get(group, group)
            foreign = group in registry.foreign_groups
            self.add(NameEntry("", canonical_group, text, "group", self._norm(text), foreign))
        self.by_key.default_factory = None
        self.postings = {t: e for t, e in self.postings.items() if len(e) <= MAX_POSTING}
        # A pinyin shared by many names is no evidence; keep lookups flat as the registry grows.
        self.pinyin = {k: e for k, e in self.pinyin.items() if len(e) <= MAX_PINYIN}
        limits = {EXACT: MAX_DERIVED, TYPO: MAX_TYPO, GLOSS: MAX_GLOSS}
        self.derived_keys = {k: v for k, v in self.derived_keys.items() if len(v) <= limits[k[0]]}

    def _norm(self, text: str) -> NormName:
        # Uncached: registry names are parsed once, and the cache is kept for party names.
        return parse_name_uncached(text, self.stop_words)

    def add(self, entry: NameEntry, pinyin: bool = True) -> None:
        """Index one name (also used for analyst-confirmed variants)."""
        if not entry.norm.tokens:
            return
        self.by_key.setdefault(entry.norm.key, []).append(entry)
        self.first_tokens.add(entry.norm.tokens[0])
        if entry.kind in ENTITY_KINDS:
            for token in set(entry.norm.tokens):
                self.postings.setdefault(token, []).append(entry)
            for token in entry.norm.tokens[:1] if pinyin else ():
                for key in pinyin_keys(token):
                    self.pinyin.setdefault(key, []).append(entry)

    def add_derived(self, company: Company, group: str, foreign: bool) -> None:
        """Index the English forms derived from a company's Chinese legal name."""
        zh = parse_zh(company.name_zh, company.address or company.district)
        # Four letters at least, but a Latin trade name ("TCL") is distinctive as written.
        keys = [EXACT + k for k in zh.trade_keys if len(k) >= 4 or zh.trade[:3].isascii()]
        primary = zh.primary_key
        if not zh.trade and zh.places and zh.industry:
            keys += [EXACT + k for k in place_industry_keys(zh)]
        keys += [GLOSS + k for k in sorted(gloss.name_keys(zh))]
        if not keys:
            return
        text = derived_english(zh)
        entry = NameEntry(company.id, group, text, "derived", self._norm(text), foreign, zh)
        number = len(self.derived_entries)
        self.derived_entries.append(entry)
        typos = {TYPO + t for t in (primary, *typo_keys(primary))} if len(primary) >= 6 else set()
        for key in dict.fromkeys(keys + sorted(typos)):
            self.derived_keys[key] = (*self.derived_keys.get(key, ()), number)

    def derived(self, norm: NormName) -> list[Hit]:
        """Chinese-only registry names whose derived English forms the party's words spell."""
        if norm.foreign_forms:
            return []  # a GmbH or an LLC is no Chinese company's derived name
        words = norm.text.split()
        get, entries = self.derived_keys.get, self.derived_entries
        found: dict[int, Hit] = {}
        for start, joined in runs(words):
            for n in get(EXACT + joined, ()):
                found.setdefault(n, Hit(entries[n], "derived", start))
        for key in place_industry_queries(words):
            for n in get(EXACT + key, ()):
                found.setdefault(n, Hit(entries[n], "derived", 0))
        if not found and has_industry_word(words):
            # One letter off, only beside an industry word: symmetric deletes (the registry
            # side holds its key and its deletes).
            for start, word in typo_runs(words):
                for key in (word, *typo_keys(word)):
                    for n in get(TYPO + key, ()):
                        found.setdefault(n, Hit(entries[n], "derived_typo", start, 0.9))
        # Read as a translation too, even when spelled in part ("Xiangtan Electric …").
        glossed = [Hit(entries[n], "derived_gloss", 0) for n in self._glossed(words)]
        return list(found.values()) + glossed

    def _glossed(self, words: list[str]) -> list[int]:
        """Names the party's words translate, those sharing the rarest glosses first.

        A party naming a Chinese place looks only at companies of that place.
        """
        skip = LEGAL_ANYWHERE | gloss.MAY_OMIT_EN
        named = {p.code for w in words for p in cn_places.en_places(w)}
        weight: dict[int, float] = {}
        for word in dict.fromkeys(words):
            if len(word) < 3 or word in skip or cn_places.en_places(word):
                continue
            numbers = self._gloss_postings(word)
            for n in numbers:
                weight[n] = weight.get(n, 0.0) + 1.0 / len(numbers)
        entries = self.derived_entries
        if named:
            weight = {n: v for n, v in weight.items() if named & _own(entries[n])}
        # Ties go to the shorter name, which the party's words are likelier to cover.
        ranked = sorted(weight, key=lambda n: (-weight[n], _core_size(entries[n])))
        if len(ranked) <= MAX_GLOSS_HITS:
            return ranked
        # Then by how many of the party's words the name glosses at all, counting words too
        # common to be keys ("technology"), so "Square Technology" finds 四方科技.
        stems = {k for w in words if w not in skip for k in gloss.query_keys(w)}
        shortlist = ranked[: MAX_GLOSS_HITS * 4]
        shared = {n: len(stems & gloss.name_keys(entries[n].zh)) for n in shortlist}
        return sorted(shortlist, key=lambda n: -shared[n])[:MAX_GLOSS_HITS]

    def _gloss_postings(self, word: str) -> set[int]:
        """Entries whose names gloss a word; a joined word ("Doublestar") by both its halves."""
        get = self.derived_keys.get
        found = {n for key in gloss.query_keys(word) for n in get(GLOSS + key, ())}
        for cut in range(3, len(word) - 2) if not found and len(word) >= 6 else ():
            left = {n for key in gloss.query_keys(word[:cut]) for n in get(GLOSS + key, ())}
            if left:
                found |= left & {
                    n for k in gloss.query_keys(word[cut:]) for n in get(GLOSS + k, ())
                }
        return found

    def exact(self, norm: NormName) -> list[Hit]:
        """Names whose identity key equals the party's."""
        return [Hit(e, "exact") for e in self.by_key.get(norm.key, ())]

    def contained(self, norm: NormName) -> list[Hit]:
        """Names whose tokens appear as a run inside a longer party name."""
        tokens, hits = norm.tokens, []
        for start in range(len(tokens)):
            if tokens[start] not in self.first_tokens:
                continue  # no registry name starts with this word
            for end in range(start + 1, min(len(tokens), start + MAX_NGRAM) + 1):
                if end - start == len(tokens):
                    continue
                for entry in self.by_key.get(" ".join(tokens[start:end]), ()):
                    if not entry.norm.generic:  # "Industrial" inside a name says nothing
                        hits.append(Hit(entry, "contains", start))
        return hits

    def fuzzy(self, norm: NormName) -> list[Hit]:
        """Registered names spelled nearly like the party's name (shared rare token first)."""
        seen: dict[int, NameEntry] = {}
        for token in norm.tokens:
            for entry in self.postings.get(token, ()):
                seen.setdefault(id(entry), entry)
        hits = []
        for entry in seen.values():
            sim = fuzz.ratio(norm.key, entry.norm.key, score_cutoff=FUZZY_CUTOFF)
            if sim and entry.norm.tokens[0] == norm.tokens[0] and sim < 100:
                hits.append(Hit(entry, "fuzzy", 0, sim / 100))
        return hits

    def by_pinyin(self, norm: NormName) -> list[Hit]:
        """Chinese registry names whose trade-name pinyin equals party words run together."""
        tokens, hits = norm.tokens, []
        for start in range(len(tokens)):
            for end in range(start + 1, min(len(tokens), start + 4) + 1):
                joined = "".join(tokens[start:end])
                if len(joined) < 6:
                    continue
                for entry in self.pinyin.get(joined, ()):
                    hits.append(Hit(entry, "pinyin", start))
        return hits


def _own(entry: NameEntry) -> frozenset[str]:
    """The places a derived name's company may be named with."""
    return entry.zh.own_places if entry.zh else frozenset()


def _core_size(entry: NameEntry) -> int:
    """Characters of a derived name's trade name and descriptors (ties go to the shorter)."""
    return len(entry.zh.core) if entry.zh else 0
