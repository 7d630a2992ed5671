"""Chinese names are read only for parties that could name their place (#12, #15).

A party naming another city is turned down unread; one-letter-off and translated keys are
read only under a place the party names. Each case is checked against what reading the name
says, so the shortcut never turns down a name the reading would keep.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_names_zh import _company

from matcher import index_store
from matcher.features_zh import read
from matcher.index import Index
from matcher.index_places import isolated_places
from matcher.normalize import parse_name
from matcher.registry import Registry

COMPANIES = (
    _company("A1", "惠州市聚能电池有限公司"),
    _company("A2", "惠州市惠阳区聚能电池有限公司"),
    _company("Z1", "惠州市中山电器有限公司"),  # its trade name spells the city Zhongshan
    _company("S1", "深圳市熊猫电子有限公司"),
)


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(Registry(COMPANIES))


def _found(index: Index, text: str, location: str = "") -> dict[str, set[str]]:
    """Company id → how the derived look-up found it."""
    out: dict[str, set[str]] = {}
    for hit in index.derived(parse_name(text), location):
        out.setdefault(hit.entry.company_id, set()).add(hit.how)
    return out


def _zh(index: Index, cid: str):  # type: ignore[no-untyped-def]
    row = [c.id for c in COMPANIES].index(cid)
    return index.entry(row * 256 + 255).zh


def test_the_own_city_or_no_place_finds_the_spelled_name(index: Index) -> None:
    # Spelled names are read whatever place they name; the translated reading of 聚能电池
    # only where the party names the name's most specific place (惠阳区 for A2).
    assert _found(index, "Huizhou Juneng Battery Co., Ltd.") == {
        "A1": {"derived", "derived_gloss"},
        "A2": {"derived"},
    }
    assert set(_found(index, "Juneng Battery Co., Ltd.")) == {"A1", "A2"}
    # Two words spelling Huizhou are one place, not another.
    assert set(_found(index, "Hui Zhou Juneng Battery Co., Ltd.")) == {"A1", "A2"}


def test_another_city_is_turned_down_unread(index: Index) -> None:
    party = "Suzhou Juneng Battery Co., Ltd."
    assert _found(index, party) == {}
    # What reading the name would have said: another place.
    assert read(party, "", _zh(index, "A1")).place_state == "conflict"


def test_a_city_word_that_spells_the_trade_name_is_read(index: Index) -> None:
    party = "Zhongshan Electric Appliance Co., Ltd."
    assert "Z1" in _found(index, party)
    assert read(party, "", _zh(index, "Z1")).place_state != "conflict"
    # The isolated place word is found, and only the span spelling 中山 excuses it.
    assert isolated_places(["zhongshan", "electric"]) == [(0, frozenset({"442000"}))]


def test_one_letter_off_only_under_the_named_place(index: Index) -> None:
    party = "Huizhou Junneng Battery Co., Ltd."
    assert _found(index, party) == {"A1": {"derived_typo", "derived_gloss"}}
    # A2 needs 惠阳 named too: reading it says so, and its keys sit under 惠阳区.
    assert read(party, "", _zh(index, "A2")).place_state == "missing"
    assert "derived_typo" in _found(index, "Huizhou Huiyang Junneng Battery Co., Ltd.")["A2"]
    assert _found(index, "Shenzhen Junneng Battery Co., Ltd.") == {}
    assert _found(index, "Junneng Battery Co., Ltd.") == {}  # the verdict needs the place


def test_translated_only_under_the_named_place(index: Index) -> None:
    assert _found(index, "Shenzhen Panda Electronics Co., Ltd.") == {"S1": {"derived_gloss"}}
    assert _found(index, "Panda Electronics Co., Ltd.", "Shenzhen, Guangdong") == {
        "S1": {"derived_gloss"}
    }
    assert _found(index, "Nanjing Panda Electronics Co., Ltd.") == {}
    assert _found(index, "Panda Electronics Co., Ltd.") == {}


def test_own_places_are_stored_with_the_index(index: Index, tmp_path: Path) -> None:
    registry = Registry(COMPANIES)
    path = index_store.save(index, tmp_path, "k")
    loaded = index_store.load(path, registry, frozenset(), "k")
    for row, company in enumerate(COMPANIES):
        assert loaded.places.of(row) == index.places.of(row) == _zh(index, company.id).own_places
    assert "441303" in loaded.places.of(1)  # 惠阳区, with 惠州市 and 广东省 above it
