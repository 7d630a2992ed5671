"""The packed company table gives back every company as it was given, found by row and id."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matcher.company_table import CompanyTable
from matcher.registry import Registry
from matcher.types import Company, CompanyName

JUNENG = Company(
    id="HZ101",
    name_zh="惠州市聚能电池有限公司",
    name_en="Huizhou Juneng Battery Co., Ltd.",
    names=(
        CompanyName("惠州市聚能电池有限公司", "legal_zh"),
        CompanyName("Huizhou Juneng Battery Co., Ltd.", "legal_en"),
        CompanyName("Juneng", "brand"),
        CompanyName("Juneng Power", "former"),
    ),
    district="惠城区",
    industry="battery",
    products="lithium cells",
    parent_group="",
    contact_email="ip@juneng.cn",
    address="惠州市惠城区水口街道",
)
# A name that holds the table's own field separator is kept whole, not split apart.
ODD = Company(
    id="HZ102", name_zh="", name_en="Odd\x1fName Ltd", names=(CompanyName("Odd", "brand"),)
)
BARE = Company(id="HZ103", name_zh="惠州市华宇照明有限公司", name_en="", names=())


def test_every_field_and_name_comes_back_in_registry_order() -> None:
    table = CompanyTable([JUNENG, ODD, BARE])
    assert len(table) == 3
    assert list(table) == [JUNENG, ODD, BARE]
    assert table[0] == JUNENG and table[0].names[3] == CompanyName("Juneng Power", "former")
    assert table[-1] == BARE and table[1:] == [ODD, BARE]
    with pytest.raises(IndexError):
        table[3]


def test_ids_find_their_row_and_a_repeated_id_finds_the_first() -> None:
    later = replace(JUNENG, name_en="Juneng Again Ltd")
    table = CompanyTable([JUNENG, ODD, BARE, later])
    assert [table.row_of(i) for i in ("HZ101", "HZ102", "HZ103", "HZ999")] == [0, 1, 2, None]
    assert table.by_id["HZ101"].name_en == "Huizhou Juneng Battery Co., Ltd."
    assert table.by_id.get("HZ102") == ODD and "HZ999" not in table.by_id
    assert list(table.by_id) == ["HZ101", "HZ102", "HZ103"] and len(table.by_id) == 3


def test_the_index_digest_reads_names_and_places_but_not_industry_or_contacts() -> None:
    base = CompanyTable([JUNENG, ODD]).indexed_digest()
    contact = replace(JUNENG, contact_email="legal@juneng.cn", industry="x", products="y")
    assert CompanyTable([contact, ODD]).indexed_digest() == base
    for changed in (
        replace(JUNENG, address="惠州市惠阳区"),
        replace(JUNENG, names=JUNENG.names[:3]),
        replace(JUNENG, names=(*JUNENG.names[:3], CompanyName("Juneng Power", "variant"))),
    ):
        assert CompanyTable([changed, ODD]).indexed_digest() != base, changed
    assert CompanyTable([JUNENG, replace(ODD, name_en="Odd\x1fName Co")]).indexed_digest() != base


def test_a_registry_given_a_tuple_keeps_it_packed_and_equal() -> None:
    registry = Registry((JUNENG, BARE))
    assert isinstance(registry.companies, CompanyTable)
    assert registry.companies == (JUNENG, BARE)
    assert registry.company("HZ103") == BARE and registry.company("HZ101") == JUNENG
    assert registry.company("HZ104") is None
