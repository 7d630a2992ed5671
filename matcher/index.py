"""Candidate lookup: registry names by identity key, by token and by pinyin (never all-pairs)."""

from __future__ import annotations

from rapidfuzz import fuzz

from matcher import index_build
from matcher.company_table import IndexedRow
from matcher.derived_keys import (
    has_industry_word,
    place_industry_queries,
    place_qualifiers,
    qualified,
    runs,
    typo_runs,
)
from matcher.index_build import (
    DERIVED_SLOT,
    ENTITY_KINDS,
    EXACT,
    FIRST,
    KEY,
    NAME_SLOTS,
    PINYIN,
    PLACE,
    TOKEN,
    TYPO,
)
from matcher.index_entries import DerivedEntry, Hit, NameEntry, RegistryEntry
from matcher.index_gloss import glossed_names
from matcher.index_places import OwnPlaces, isolated_places, names_another_place
from matcher.keytable import KeyTable
from matcher.names_zh import parse_zh, typo_keys
from matcher.normalize import GENERIC, NormName, canonical, parse_name_uncached, pinyin_keys
from matcher.registry import Registry

__all__ = ["ENTITY_KINDS", "DerivedEntry", "Hit", "Index", "NameEntry"]

FUZZY_CUTOFF = 85.0
# A misspelt name's first word: one letter off or two swapped ("Dseay" for "Desay").
FIRST_WORD_CUTOFF = 75.0
MIN_FIRST_WORD = 4
MAX_NGRAM = 6
_CACHE = 200_000


class Index:
    """Registry names keyed for constant-time candidate lookup as the registry grows.

    The keys live in a compact KeyTable; a NameEntry is built only for a name a lookup finds.
    """

    def __init__(self, registry: Registry, stop_words: frozenset[str] = frozenset()) -> None:
        self.table, self.places, groups = index_build.build(registry, stop_words)
        self._setup(registry, stop_words, groups)

    @classmethod
    def stored(
        cls,
        registry: Registry,
        stop_words: frozenset[str],
        table: KeyTable,
        groups: dict[str, str],
        places: OwnPlaces,
    ) -> Index:
        """An index over keys built earlier for this registry (see matcher/index_store.py)."""
        index = cls.__new__(cls)
        index._setup(registry, stop_words, groups)
        index.table, index.places = table, places
        return index

    def _setup(
        self, registry: Registry, stop_words: frozenset[str], groups: dict[str, str]
    ) -> None:
        self.registry = registry
        self.stop_words = stop_words
        self.groups = groups
        self._companies = len(registry.companies)
        self._cache: dict[int, NameEntry] = {}
        self._last: tuple[int, IndexedRow, str, bool] = (-1, IndexedRow([]), "", False)
        # Names added after the build (analyst-confirmed variants), by prefixed key.
        self._extra: dict[str, list[NameEntry]] = {}
        # Derived names' core size, read by many parties' translated look-ups.
        self.core_sizes: dict[int, int] = {}

    def _norm(self, text: str) -> NormName:
        # Uncached: registry names are parsed once, and the cache is kept for party names.
        return parse_name_uncached(text, self.stop_words)

    def own_places(self, ref: int) -> frozenset[str]:
        """Place codes of the company a name number belongs to (see matcher/index_places.py)."""
        return self.places.of(ref // NAME_SLOTS)

    def entry(self, ref: int) -> NameEntry:
        """The registry name with this number, built on first use."""
        found = self._cache.get(ref)
        if found is None:
            found = self._cache[ref] = self._make_entry(ref)
        return found

    def _make_entry(self, ref: int) -> NameEntry:
        row, pos = divmod(ref, NAME_SLOTS)
        registry = self.registry
        if row >= self._companies:
            group, text = registry.group_aliases[row - self._companies]
            foreign = group in registry.foreign_groups
            return NameEntry(
                "", self.groups.get(group, group), text, "group", self._norm(text), foreign
            )
        if self._last[0] != row:  # a party's hits often are several names of one company
            company = registry.table.indexed(row)
            head = company.group_head
            group = self.groups.get(head, "") or company.own_group()
            self._last = (row, company, group, head in registry.foreign_groups)
        _, company, group, foreign = self._last
        if pos == DERIVED_SLOT:
            zh = parse_zh(company.name_zh, company.place)
            return DerivedEntry(company.id, group, foreign, zh, self.stop_words)
        text, kind = company.name(pos)
        return RegistryEntry(company.id, group, text, kind, foreign, self.stop_words)

    def _get(self, key: str) -> list[NameEntry]:
        """Every name stored under a prefixed key, registry order first, then added names."""
        refs = self.table.get(key)
        found = [self.entry(r) for r in refs] if refs else []
        extra = self._extra.get(key)
        return found + extra if extra else found

    def _has(self, key: str) -> bool:
        """True when some name is stored under a prefixed key."""
        return bool(self.table.get(key)) or key in self._extra

    def add(self, entry: NameEntry, pinyin: bool = True) -> None:
        """Index one name (used for analyst-confirmed variants)."""
        if not entry.norm.tokens:
            return
        self._extra.setdefault(KEY + entry.norm.key, []).append(entry)
        self._extra.setdefault(FIRST + entry.norm.tokens[0], []).append(entry)
        if entry.kind in ENTITY_KINDS:
            for token in set(entry.norm.tokens):
                self._extra.setdefault(TOKEN + token, []).append(entry)
            for key in pinyin_keys(entry.norm.tokens[0]) if pinyin else ():
                self._extra.setdefault(PINYIN + key, []).append(entry)

    def derived(self, norm: NormName, location: str = "") -> list[Hit]:
        """Chinese-only registry names whose derived English forms the party's words spell.

        One letter off and translated readings need the name's place named, so only the keys
        of the places the party names (in its name or its stated location) are read.
        """
        if norm.foreign_forms:
            return []  # a GmbH or an LLC is no Chinese company's derived name
        words = norm.text.split()
        get, entry = self.table.get, self.entry
        # Only places some registered name carries: most parties name none (or another city).
        places = tuple(
            p for p in place_qualifiers(words + canonical(location).split()) if get(PLACE + p)
        )
        spelled: dict[int, list[tuple[int, int]]] = {}
        for start, end, joined in runs(words):
            for n in get(EXACT + joined):
                spelled.setdefault(n, []).append((start, end))
        for key in place_industry_queries(words):
            for n in get(EXACT + key):
                spelled.setdefault(n, [])
        named = isolated_places(words) if spelled else []
        found: dict[int, Hit] = {}
        for n, spans in spelled.items():
            # Another city named beside the spelled trade name: turned down unread.
            if not named or not names_another_place(self.own_places(n), named, spans):
                found[n] = Hit(entry(n), "derived", spans[0][0] if spans else 0)
        if not found and places and has_industry_word(words):
            # One letter off, only beside an industry word: symmetric deletes (the registry
            # side holds its key and its deletes).
            for start, word in typo_runs(words):
                for key in (word, *typo_keys(word)):
                    for place in places:
                        for n in get(TYPO + qualified(place, key)):
                            if n not in found:
                                found[n] = Hit(entry(n), "derived_typo", start, 0.9)
        # Read as a translation too, even when spelled in part ("Xiangtan Electric …").
        numbers = glossed_names(self, words, places) if places else []
        glossed = [Hit(entry(n), "derived_gloss", 0) for n in numbers]
        return list(found.values()) + glossed

    def exact(self, norm: NormName) -> list[Hit]:
        """Names whose identity key equals the party's."""
        if len(self._cache) > _CACHE:
            self._cache.clear()  # between parties: entries found earlier are not held
        return [Hit(e, "exact") for e in self._get(KEY + norm.key)]

    def contained(self, norm: NormName) -> list[Hit]:
        """Names whose tokens appear as a run inside a longer party name."""
        tokens, hits = norm.tokens, []
        for start in range(len(tokens)):
            if not self._has(FIRST + tokens[start]):
                continue  # no registry name starts with this word
            for end in range(start + 1, min(len(tokens), start + MAX_NGRAM) + 1):
                run = tokens[start:end]
                # A name's key is its tokens: "Industrial" inside a name says nothing.
                if end - start == len(tokens) or all(t in GENERIC for t in run):
                    continue
                hits += [Hit(entry, "contains", start) for entry in self._get(KEY + " ".join(run))]
        return hits

    def fuzzy(self, norm: NormName) -> list[Hit]:
        """Registered names spelled nearly like the party's name (shared rare token first)."""
        seen: dict[int, NameEntry] = {}
        for token in norm.tokens:
            for entry in self._get(TOKEN + token):
                seen.setdefault(id(entry), entry)
        hits = []
        for entry in seen.values():
            sim = fuzz.ratio(norm.key, entry.norm.key, score_cutoff=FUZZY_CUTOFF)
            if sim and sim < 100 and _same_first(entry.norm.tokens[0], norm.tokens[0]):
                hits.append(Hit(entry, "fuzzy", 0, sim / 100))
        return hits

    def by_pinyin(self, norm: NormName) -> list[Hit]:
        """Chinese registry names whose trade-name pinyin equals party words run together."""
        tokens, hits = norm.tokens, []
        for start in range(len(tokens)):
            if not self._has(FIRST + tokens[start]):
                continue  # no registry name starts with this word
            for end in range(start + 1, min(len(tokens), start + 4) + 1):
                joined = "".join(tokens[start:end])
                if len(joined) < 6:
                    continue
                for entry in self._get(PINYIN + joined):
                    hits.append(Hit(entry, "pinyin", start))
        return hits


def _same_first(registered: str, party: str) -> bool:
    """The first words agree, or differ by a slip of the pen in a word long enough to tell."""
    return registered == party or (
        min(len(registered), len(party)) >= MIN_FIRST_WORD
        and fuzz.ratio(registered, party, score_cutoff=FIRST_WORD_CUTOFF) > 0
    )
