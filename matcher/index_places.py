"""Each Chinese-named company's own places, kept beside the index keys.

A party that names another city ("Suzhou Zhenrong Plastic Products") is no Huizhou company
whose trade name it spells: reading the name says "another place" and turns it down. Kept
here as one small number per company, that verdict is reached before the company's Chinese
name is parsed and read, which is most of the cost of a party that names another city.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from matcher import cn_places, places


class OwnPlaces:
    """Per company row, the codes of its own places (name, address and their parents)."""

    def __init__(self, rows: Sequence[int], sets: list[frozenset[str]]) -> None:
        self.rows, self.sets = rows, sets
        self._ids: dict[frozenset[str], int] = {}

    @classmethod
    def building(cls) -> OwnPlaces:
        """An empty table to which rows are added in registry order."""
        table = cls(array("I"), [frozenset()])
        table._ids[frozenset()] = 0
        return table

    def add(self, row: int, codes: frozenset[str]) -> None:
        """Record a company row's own places (rows without a Chinese name keep none)."""
        rows = self.rows
        assert isinstance(rows, array)
        rows.extend([0] * (row + 1 - len(rows)))
        rows[row] = self._number(codes)

    def extend(self, later: OwnPlaces) -> None:
        """Take in a table built for the rows after this one's (its earlier rows are empty)."""
        rows = self.rows
        assert isinstance(rows, array)
        numbers = [self._number(codes) for codes in later.sets]
        rows.extend([numbers[n] for n in later.rows[len(rows) :]])

    def _number(self, codes: frozenset[str]) -> int:
        number = self._ids.get(codes)
        if number is None:
            number = self._ids[codes] = len(self.sets)
            self.sets.append(codes)
        return number

    def of(self, row: int) -> frozenset[str]:
        """The company row's own place codes (empty when unknown)."""
        return self.sets[self.rows[row]] if row < len(self.rows) else frozenset()

    def header(self) -> list[list[str]]:
        """The place sets as stored in the index file's header."""
        return [sorted(s) for s in self.sets]


def isolated_places(words: list[str]) -> list[tuple[int, frozenset[str]]]:
    """Words naming a province or city on their own: (position, codes of the places).

    A word is left out when a longer place name (two or three words, or a two-word foreign
    place) may cover it, since the reading would then take the longer name instead.
    """
    keys = cn_places.all_keys()
    found = []
    for i, word in enumerate(words):
        named = cn_places.en_places(word)
        if not named:
            continue
        covered = any(
            "".join(words[a:b]) in keys or " ".join(words[a:b]) in places.EN_PHRASES
            for a in range(max(0, i - 2), i + 1)
            for b in range(max(a + 2, i + 1), min(len(words), a + 3) + 1)
        )
        if not covered:
            found.append((i, frozenset(p.code for p in named)))
    return found


def names_another_place(
    own: frozenset[str], named: list[tuple[int, frozenset[str]]], spans: list[tuple[int, int]]
) -> bool:
    """True when the party names, outside every span that may spell the trade name, a place
    that is none of the company's own (the reading's "another place")."""
    return any(
        not codes & own and not any(start <= i < end for start, end in spans) for i, codes in named
    )
