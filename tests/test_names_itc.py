"""337-TA-1318 against the demo registry with its English names removed (#12).

The registry keeps only what a bureau's own sheet has: id, Chinese legal name, district,
industry, products and contact. English names, aliases, notes and parent groups are blanked.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from core.config import Matching
from crawlers.parsers.itc_notice import notice_parties
from matcher.match import Matcher
from matcher.registry import load_registry
from matcher.types import MatchResult, Party

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "tests/examples/fr_itc/notice-337-TA-1318-institution.txt"
ENGLISH = ("name_en", "aliases", "notes", "parent_group")
# The Huizhou respondents (tcl_huizhou_cases.facts.json, 337-TA-1318) and their registry rows.
HUIZHOU = {
    "TCL Industries Holdings Co., Ltd.": "HZ002",  # TCL实业控股股份有限公司
    "TCL Technology Group Corporation": "HZ001",  # TCL科技集团股份有限公司
    "TCL King Electrical Appliances (Huizhou) Co. Ltd.": "HZ003",  # TCL王牌电器（惠州）有限公司
}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, MatchResult]:
    """Every party of the notice matched against the Chinese-only demo registry."""
    with open(ROOT / "data/exporters.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [{**row, **dict.fromkeys(ENGLISH, "")} for row in reader]
        header = list(reader.fieldnames or ())
    path = tmp_path_factory.mktemp("zh") / "exporters_zh.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    registry = load_registry(path, Matching())
    assert all(not c.name_en and len(c.names) == 1 for c in registry.companies)
    matcher = Matcher(registry, Matching())
    parties = notice_parties(NOTICE.read_text(encoding="utf-8"))
    return {name: matcher.match(Party(name, role, place)) for role, name, place in parties}


def test_huizhou_respondents_are_found_from_chinese_names(results: dict[str, MatchResult]) -> None:
    for name, company_id in HUIZHOU.items():
        result = results[name]
        assert result.level in ("entity", "review"), name
        assert (result.company_id, result.derived) == (company_id, True), name
        # The explanation names the trade name as registered and the place.
        assert result.explanations["trade_pinyin"].detail.startswith("Tcl = TCL"), name
        assert "Huizhou = 惠州市" in result.explanations["own_place"].detail, name


def test_tcl_king_is_held_at_review(results: dict[str, MatchResult]) -> None:
    # "King" renders 王牌 only by a brand choice: the party spells just the "TCL" of TCL王牌.
    result = results["TCL King Electrical Appliances (Huizhou) Co. Ltd."]
    assert result.level == "review"
    assert "only the start of the trade name" in result.explanations["derived_name"].detail


def test_nothing_else_reaches_entity(results: dict[str, MatchResult]) -> None:
    assert len(results) == 16  # 2 complainants, 14 respondents (facts.json lists the same 14)
    for name, result in results.items():
        if result.level == "entity":
            assert result.company_id == HUIZHOU.get(name), name
        if name not in HUIZHOU:
            # Hong Kong, BVI, Mexico, Vietnam, Shenzhen, Taiwan: another place, not the firm.
            assert result.level == "none", name
