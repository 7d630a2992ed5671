"""Index keys and candidate lookup for translated names: what a Chinese name's words gloss."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from matcher import cn_places, gloss
from matcher.derived_keys import qualified
from matcher.index_entries import NameEntry
from matcher.names_zh import ZhName
from matcher.normalize import LEGAL_ANYWHERE

if TYPE_CHECKING:
    from matcher.index import Index

GLOSS = "@"
# A gloss shared by more names than this ("technology") finds no one; rarer ones rank first.
MAX_GLOSS = 256
# Translated candidates scored per party, those rendering most of its words first.
MAX_GLOSS_HITS = 8
_SKIP = LEGAL_ANYWHERE | gloss.MAY_OMIT_EN


class GlossKeys:
    """Collects the companies' names during the build, then keys them all at once.

    A company's keys are the English words the words of its name may be rendered as, each
    read only by parties naming the name's place (see derived_keys.place_qualifier). Most
    are shared by hundreds of one place's names and the frozen table drops them (MAX_GLOSS).
    Counting the dictionary words per place as names come finds them before they are made:
    every gloss of a word in more than MAX_GLOSS names of a place is in as many names.
    """

    def __init__(self) -> None:
        self.refs: list[int] = []
        self.places: list[str] = []
        self.cores: list[str] = []
        self.counts: Counter[tuple[str, str]] = Counter()  # names per (place, word)
        self._common: dict[str, set[str]] | None = None

    def add(self, ref: int, zh: ZhName, place: str) -> None:
        """Remember a derived name (its number, its core and its place) to key later."""
        core = gloss.gloss_core(zh)
        self.refs.append(ref)
        self.places.append(place)
        self.cores.append(core)
        self.counts.update([(place, word) for word in gloss.glossed_words(core)])

    def extend(self, later: GlossKeys) -> None:
        """Take in the names another collector gathered after this one's."""
        self.refs += later.refs
        self.places += later.places
        self.cores += later.cores
        self.counts.update(later.counts)
        self._common = None

    def common(self) -> dict[str, set[str]]:
        """Per place, the glosses of some word in more than MAX_GLOSS of its names."""
        if self._common is None:
            self._common = {}
            for (place, word), count in self.counts.items():
                if count > MAX_GLOSS:
                    self._common.setdefault(place, set()).update(gloss.glosses(word))
        return self._common

    def keys(self, start: int = 0, end: int | None = None) -> Iterator[tuple[int, list[str]]]:
        """The keys rare enough to keep of names start..end, in the order the names came."""
        counts, common = self.counts, self.common()
        # The words are found again rather than kept from add(): a million names' word sets
        # would hold more memory than the build's whole key table.
        for i in range(start, len(self.refs) if end is None else end):
            place, core = self.places[i], self.cores[i]
            too_common = common.get(place, set())
            keys = {
                key
                for word in gloss.glossed_words(core)
                if counts[place, word] <= MAX_GLOSS
                for key in gloss.glosses(word)
                if key not in too_common
            }
            if keys:
                yield self.refs[i], [GLOSS + qualified(place, k) for k in sorted(keys)]


def glossed_names(index: Index, words: list[str], places: tuple[str, ...]) -> list[int]:
    """Names the party's words translate, those sharing the rarest glosses first.

    Only names of the places the party names (`places`, see derived_keys.place_qualifiers)
    are read, and a party naming a Chinese place looks only at companies of that place.
    """
    named = {p.code for w in words for p in cn_places.en_places(w)}
    weight: dict[int, float] = {}
    for word in dict.fromkeys(words):
        if len(word) < 3 or word in _SKIP or cn_places.en_places(word):
            continue
        numbers = _postings(index, word, places)
        for n in numbers:
            weight[n] = weight.get(n, 0.0) + 1.0 / len(numbers)
    entry = index.entry
    core_size = _core_size(index)
    # Heaviest first, ties to the shorter name (the party's words are likelier to cover it);
    # only names of a place the party names, and only as many as are ranked.
    shortlist = []
    for n in sorted(weight, key=lambda n: (-weight[n], core_size(n))):
        if named and not named & index.own_places(n):
            continue
        shortlist.append(n)
        if len(shortlist) == MAX_GLOSS_HITS * 4:
            break
    if len(shortlist) <= MAX_GLOSS_HITS:
        return shortlist
    # Then by how many of the party's words the name glosses at all, counting words too
    # common to be keys ("technology"), so "Square Technology" finds 四方科技.
    stems = {k for w in words if w not in _SKIP for k in gloss.query_keys(w)}
    shared = {n: len(stems & _name_keys(entry(n))) for n in shortlist}
    return sorted(shortlist, key=lambda n: -shared[n])[:MAX_GLOSS_HITS]


def _core_size(index: Index) -> Callable[[int], int]:
    """A derived name's core size, kept per index (read for many parties)."""
    known = index.core_sizes

    def core_size(n: int) -> int:
        found = known.get(n)
        if found is None:
            zh = index.entry(n).zh
            found = known[n] = len(zh.core) if zh else 0
        return found

    return core_size


def _postings(index: Index, word: str, places: tuple[str, ...]) -> set[int]:
    """Names whose words gloss a word; a joined word ("Doublestar") by both its halves."""
    get = index.table.get

    def names(part: str) -> set[int]:
        keys = gloss.query_keys(part)
        return {n for p in places for key in keys for n in get(GLOSS + qualified(p, key))}

    found = names(word)
    for cut in range(3, len(word) - 2) if not found and len(word) >= 6 else ():
        left = names(word[:cut])
        if left:
            found |= left & names(word[cut:])
    return found


def _name_keys(entry: NameEntry) -> frozenset[str]:
    return gloss.name_keys(entry.zh) if entry.zh else frozenset()
