"""Every Chinese province, prefecture-level city and county, in Chinese and in pinyin.

The table (matcher/data/cn_places.tsv) is generated from administrative-division codes with
pypinyin by matcher/data/make_cn_places.py; this module only reads it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("data") / "cn_places.tsv"
# Suffixes a registry may write after a short place name (惠州市, 广东省, 惠阳区 …).
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "省", "市", "区", "县", "镇")


@dataclass(frozen=True, slots=True)
class Place:
    """One administrative division: code, level, full and short Chinese name, pinyin."""

    code: str
    level: str  # province | city | county
    name: str
    short: str
    pinyin: str

    @property
    def key(self) -> str:
        """The pinyin without spaces ("inner mongolia" → "innermongolia")."""
        return self.pinyin.replace(" ", "")

    @property
    def parents(self) -> tuple[str, ...]:
        """Codes of the city and province this place lies in (none for a province)."""
        prov, city = self.code[:2] + "0000", self.code[:4] + "00"
        return tuple(c for c in (city, prov) if c != self.code)


@dataclass(frozen=True)
class Places:
    """Lookups over the table, built once."""

    by_code: dict[str, Place]
    by_zh: dict[str, tuple[Place, ...]]
    by_key: dict[str, tuple[Place, ...]]  # pinyin key → provinces and cities only
    county_keys: dict[str, tuple[Place, ...]]
    longest_zh: int


@lru_cache(maxsize=1)
def table() -> Places:
    """The place table, read on first use."""
    with open(TABLE, encoding="utf-8", newline="") as fh:
        rows = [Place(**row) for row in csv.DictReader(fh, delimiter="\t")]  # type: ignore[arg-type]
    by_zh: dict[str, list[Place]] = {}
    by_key: dict[str, list[Place]] = {}
    counties: dict[str, list[Place]] = {}
    for place in rows:
        for zh in {place.name, place.short}:
            by_zh.setdefault(zh, []).append(place)
        target = counties if place.level == "county" else by_key
        target.setdefault(place.key, []).append(place)
    return Places(
        {p.code: p for p in rows},
        {k: _preferred(tuple(v)) for k, v in by_zh.items()},  # sorted once, read often
        {k: tuple(v) for k, v in by_key.items()},
        {k: tuple(v) for k, v in counties.items()},
        max(len(k) for k in by_zh),
    )


def _preferred(found: tuple[Place, ...]) -> tuple[Place, ...]:
    """Among same-named places, the higher levels first (吉林 the province before the city)."""
    order = {"province": 0, "city": 1, "county": 2}
    return tuple(sorted(found, key=lambda p: (order[p.level], p.code)))


def zh_prefix(text: str) -> tuple[tuple[Place, ...], int]:
    """The longest place name at the start of a Chinese name, and its length (0 when none)."""
    places = table()
    for size in range(min(len(text), places.longest_zh), 1, -1):
        found = places.by_zh.get(text[:size])
        if found:
            # A short county name must be written whole (博罗县), or be a known Huizhou-style
            # district word; bare two-character county names are too often trade names.
            full = tuple(p for p in found if p.level != "county" or text[:size] == p.name)
            if full:
                return full, size  # by_zh keeps each name's places in preferred order
    return (), 0


def zh_place(text: str) -> tuple[Place, ...]:
    """Places a whole Chinese string names (惠州, 广东省, 惠阳区), or ()."""
    return table().by_zh.get(text, ())


def en_places(key: str, counties: bool = False) -> tuple[Place, ...]:
    """Provinces and cities (and, when asked, counties) spelled by a pinyin key."""
    places = table()
    found = places.by_key.get(key, ())
    return found + places.county_keys.get(key, ()) if counties else found


def strip_suffix(text: str) -> str:
    """A place name without its administrative suffix (惠州市 → 惠州)."""
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            return text[: -len(suffix)]
    return text


@lru_cache(maxsize=1)
def all_keys() -> frozenset[str]:
    """Pinyin keys of every province, city and county."""
    places = table()
    return frozenset(places.by_key) | frozenset(places.county_keys)


@lru_cache(maxsize=1)
def key_prefixes() -> frozenset[str]:
    """Every leading part of a place's pinyin key ("hui", "huiz" … of "huizhou")."""
    return frozenset(key[:i] for key in all_keys() for i in range(1, len(key) + 1))
