"""Registry loading: typed names, parent groups, bad rows by line, config aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Matching
from matcher.registry import RegistryError, group_of, load_registry

REGISTRY = Path(__file__).parent.parent / "data" / "exporters.csv"
HEADER = "id,name_zh,name_en,aliases,district,industry,products,parent_group,notes,contact_email\n"


@pytest.fixture(scope="module")
def registry():  # type: ignore[no-untyped-def]
    return load_registry(REGISTRY, Matching())


def names(registry, cid: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {n.text: n.kind for n in registry.company(cid).names}


@pytest.mark.parametrize(
    ("cid", "text", "kind"),
    [
        ("HZ001", "TCL科技集团股份有限公司", "legal_zh"),
        ("HZ001", "TCL Technology Group Corporation", "legal_en"),
        ("HZ001", "TCL Corporation", "former"),  # "Renamed from … TCL Corporation" in notes
        ("HZ001", "TCL集团股份有限公司", "former"),
        ("HZ001", "TCL Corp.", "variant"),  # carries a legal form
        ("HZ001", "TCL", "brand"),  # no legal form: a brand or short name
        ("HZ004", "Alcatel", "licensed"),  # "(licensed brand)": weak evidence
        ("HZ003", "TCL Electronics Holdings Ltd", "group"),  # from the parent-group note
        ("HZ034", "Samsung Electronics Co., Ltd.", "group"),  # ", Korea" trailer dropped
        ("HZ022", "BYD Electronic (International) Co. Ltd", "group"),  # ", HK:0285" dropped
        ("HZ012", "Shenzhen Desay Battery Technology", "group"),  # ", 75%" dropped
    ],
)
def test_typed_names(registry, cid: str, text: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    assert names(registry, cid)[text] == kind


def test_registry_loads_every_row_and_knows_foreign_groups(registry) -> None:  # type: ignore[no-untyped-def]
    assert len(registry.companies) == 43
    assert registry.errors == ()
    assert group_of(registry.company("HZ003")) == "TCL"
    assert registry.foreign_groups == {"Samsung", "Legrand"}


def test_bad_rows_are_reported_by_line_and_good_rows_still_load(tmp_path: Path) -> None:
    path = tmp_path / "exporters.csv"
    path.write_text(
        HEADER
        + "HZ900,惠州市好好电子有限公司,Huizhou Haohao Electronics Co. Ltd.,,,,,,,\n"
        + ",惠州市无名有限公司,,,,,,,,\n"
        + "HZ900,重复,Duplicate Co. Ltd.,,,,,,,\n"
        + "HZ901,,,,,,,,,\n"
        + "HZ 902,x,y,,,,,,,\n",
        encoding="utf-8",
    )
    registry = load_registry(path, Matching())
    assert [c.id for c in registry.companies] == ["HZ900"]
    assert [e.split(" line ")[1] for e in registry.errors] == [
        "3: missing id",
        "4: duplicate id HZ900",
        "5: HZ901 has neither name_zh nor name_en",
        "6: bad id 'HZ 902'",
    ]
    assert registry.errors[0].endswith("exporters.csv line 3: missing id")


def test_missing_file_and_missing_header_raise(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="registry file not found"):
        load_registry(tmp_path / "nope.csv", Matching())
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(RegistryError, match="no header row with columns id, name_zh, name_en"):
        load_registry(empty, Matching())


def test_config_aliases_per_company_and_per_group() -> None:
    matching = Matching(aliases={"HZ010": ["Desay SV Auto Co Ltd"], "tcl": ["TTE"], "HZ999": ["x"]})
    registry = load_registry(REGISTRY, matching)
    assert names(registry, "HZ010")["Desay SV Auto Co Ltd"] == "config"
    assert registry.group_aliases == (("TCL", "TTE"),)
    assert registry.errors == (
        "config.yaml matching.aliases: 'HZ999' is neither a registry id nor a group",
    )
