"""The compact key table finds exactly the names stored under a key, in the order added."""

from __future__ import annotations

import random
from pathlib import Path

from ops_support import REPO

from core.config import Matching
from matcher import index_store
from matcher.index import Index
from matcher.keytable import KeyTableBuilder, key_hash, key_hashes
from matcher.normalize import parse_name
from matcher.registry import load_registry


def test_vectorised_hash_equals_the_scalar_one() -> None:
    """The build hashes keys in bulk; a lookup hashes one key: both give one number."""
    keys = ["", "a", "tcl", "惠州市聚能电池", "kjuneng", "x" * 80, "hui zhou|battery"]
    assert list(key_hashes([k.encode() for k in keys])) == [key_hash(k) for k in keys]
    assert len({key_hash(k) for k in keys}) == len(keys)


def test_lookups_return_every_name_in_order_and_respect_limits() -> None:
    """200,000 short keys of eight letters (many one letter apart) round-trip exactly."""
    rng = random.Random(1)
    builder, expected = KeyTableBuilder(), {}
    for ref in range(200_000):
        key = "".join(rng.choices("abcdefgh", k=rng.randint(1, 10)))
        builder.add([key], ref, 0)
        expected.setdefault(key, []).append(ref)
    builder.add(["common"] * 3, 7, 1)  # three names under one key: over kind 1's limit of 2
    builder.add(["seen", "seen"], 9, 2)
    builder.add(["seen"], 11, 2)
    table = builder.freeze([10**9, 2, 10**9], single=(2,))
    assert all(list(table.get(k)) == refs for k, refs in expected.items())
    assert list(table.get("common")) == []  # a key shared by too many names is no evidence
    assert list(table.get("seen")) == [9]  # presence only: the first name
    assert list(table.get("absent")) == [] and len(table) == len(expected) + 1


def test_stored_index_finds_what_the_built_one_finds(tmp_path: Path) -> None:
    """Mapped from its file, the index gives the same hits as the index built in memory."""
    registry = load_registry(REPO / "data" / "exporters.csv", Matching())
    built = index_store.load_or_build(registry, frozenset(), tmp_path)
    loaded = index_store.load_or_build(registry, frozenset(), tmp_path)
    assert isinstance(built, Index) and loaded.table is not built.table
    parties = [
        "TCL Technology Group Corp.",
        "Huizhou Desay SV Automotive Co., Ltd.",
        "TCL",
        "EVE Energy Co Ltd",
        "Huizhou Juneng Battery Co., Ltd.",
        "Shenzhen Xinwangda Electronics",
        "惠州市德赛西威汽车电子股份有限公司",
    ]
    methods = ("exact", "contained", "fuzzy", "by_pinyin", "derived")
    total = 0
    for party in parties:
        norm = parse_name(party)
        for method in methods:
            one = [(h.entry, h.how, h.start) for h in getattr(built, method)(norm)]
            two = [(h.entry, h.how, h.start) for h in getattr(loaded, method)(norm)]
            assert one == two, (party, method)
            total += len(one)
    assert total > 10
    assert [h.entry.company_id for h in loaded.exact(parse_name(parties[0]))] == ["HZ001"]


def test_a_party_named_again_is_matched_once() -> None:
    """The second match of one party is the first verdict, equal to a fresh matcher's."""
    from matcher.match import Matcher
    from matcher.types import Party

    registry = load_registry(REPO / "data" / "exporters.csv", Matching())
    matcher = Matcher(registry, Matching())
    party = Party("TCL Technology Group Corp.")
    first = matcher.match(party)
    assert matcher.match(party) is first
    assert (first.level, first.company_id) == ("entity", "HZ001")
    assert Matcher(registry, Matching()).match(party) == first
    other_role = matcher.match(Party("TCL Technology Group Corp.", "plaintiff"))
    assert other_role is not first and other_role.party.role == "plaintiff"
