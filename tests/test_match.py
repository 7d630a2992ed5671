"""The matcher end to end: levels, Chinese names, exclusions, decisions, text scan, products."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from expected import check_expected

from core.config import Matching, Thresholds
from matcher.match import Matcher, build_matcher
from matcher.parties import parse_caption
from matcher.registry import load_registry
from matcher.types import Party

TESTS = Path(__file__).parent
EXAMPLES = TESTS / "examples" / "matcher"
REGISTRY = TESTS.parent / "data" / "exporters.csv"
TCL_AFFILIATES = {"TCL": ["TTE", "Manufacturas Avanzadas"]}


def make(**matching: object) -> Matcher:
    settings = Matching(**{"aliases": TCL_AFFILIATES, **matching})  # type: ignore[arg-type]
    return Matcher(load_registry(REGISTRY, settings), settings)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return make()


CASES = [
    # party, location, level, company id or group, a feature that must explain it
    ("TCL Technology Group Corp.", "", "entity", "HZ001", "registered_name"),
    ("TCL Corp.", "", "entity", "HZ001", "registered_name"),
    (
        "TCL Technology Group Corporation (f/k/a TCL Corp.)",
        "",
        "entity",
        "HZ001",
        "registered_name",
    ),
    ("TCL KING ELECTRICAL APPLIANCES (HUIZHOU) CO. LTD.", "", "entity", "HZ003", "registered_name"),
    ("Huizhou TCL Mobile Communication Co. Ltd.", "", "entity", "HZ004", "registered_name"),
    ("HUIZHOU DESAY SV AUTOMOTIVE CO., LTD.", "", "entity", "HZ010", "registered_name"),
    ("Eve Energy Co Ltd", "", "entity", "HZ015", "registered_name"),
    ("Victory Giant Technology (HuiZhou) Co.,Ltd.", "", "entity", "HZ020", "registered_name"),
    (
        "Huizhou City Sunsin Intelligent Technology Co., Ltd.",
        "",
        "entity",
        "HZ036",
        "registered_name",
    ),
    (
        "HUIZHOU CITY HUIYANG DISTRICT MEISIQI INDUSTRY DEVELOPMENT CO., LTD.",
        "",
        "entity",
        "HZ032",
        "registered_name",
    ),
    # Place words are location, not identity.
    ("Samsung Electronics Co., Ltd.", "", "review", "HZ034", "huizhou_missing"),
    (
        "Samsung Electronics Co., Ltd.",
        "Huizhou, Guangdong, China",
        "entity",
        "HZ034",
        "huizhou_words",
    ),
    ("TCL Industries Holdings (H.K.) Limited", "", "group", "TCL", "other_place"),
    ("TCL Mobile Communication (HK) Company Ltd.", "", "group", "TCL", "other_place"),
    ("TCL Industries Holdings Co., Ltd.", "Pak Shek Kok, Hong Kong", "group", "TCL", "other_place"),
    ("TCL Smart Device (Vietnam) Co., Ltd.", "", "group", "TCL", "contains_name"),
    ("TCL Electronics Mexico, S de RL de CV", "", "group", "TCL", "other_place"),
    ("Shenzhen TCL New Technology Co., Ltd.", "", "group", "TCL", "contains_name"),
    ("Desay SV Automotive GmbH", "", "group", "Desay", "other_place"),
    ("EVE Energy North America Corp.", "", "group", "EVE Energy", "other_place"),
    # Brands and affiliates are group level.
    ("TCL", "", "group", "TCL", "affiliate_name"),
    ("TCL Electronics Holdings Limited", "", "group", "TCL", "affiliate_name"),
    ("TCT Mobile (US) Inc.", "", "group", "TCL", "affiliate_name"),
    (
        "TTE Technology Inc. d/b/a/ TCL USA and TCL North America",
        "",
        "group",
        "TCL",
        "contains_name",
    ),
    ("Manufacturas Avanzadas S.A. de C.V.", "", "group", "TCL", "affiliate_name"),
    ("Legrand SA", "", "review", "HZ009", "foreign_group"),
    ("Alcatel-Lucent USA Inc.", "", "review", "HZ004", "contains_name"),  # licensed brand only
    # Chinese names, Traditional and Simplified.
    ("惠州市德賽西威汽車電子股份有限公司", "", "entity", "HZ010", "registered_name"),
    ("TCL王牌电器（惠州）有限公司", "", "entity", "HZ003", "registered_name"),
    ("惠州亿纬锂能股份有限公司", "", "entity", "HZ015", "registered_name"),
    ("深圳市德赛电池科技股份有限公司", "", "group", "Desay", "affiliate_name"),
    ("亿纬锂能", "", "group", "EVE Energy", "affiliate_name"),
    # A registered company's own brand inside another name: a sister company at most.
    ("Gaoshengda Wireless Co., Ltd.", "", "group", "Gaoshengda", "contains_name"),
    # Pinyin of the Chinese legal name (#12): review without the registered place; a homophone
    # in another industry ("Trading" is not 石化) is no match; with place and industry, entity
    # through the derived name (which an analyst must confirm before anything is sent).
    ("Zhonghaiyou Petrochemical Co., Ltd.", "", "review", "HZ026", "derived_name"),
    ("Zhonghaiyou Trading Co., Ltd.", "", "none", "", ""),
    ("Huizhou Zhonghaiyou Petrochemical Co., Ltd.", "", "entity", "HZ026", "derived_name"),
    # Unregistered Huizhou companies.
    ("Huizhou Xinyu Plastic Co., Ltd.", "", "local", "", "huizhou_words"),
    ("Acme Trading LLC", "Boluo, Huizhou", "local", "", "huizhou_words"),
    # Nothing to see.
    ("Hisense International (HK) Co., Ltd.", "", "none", "", ""),
    ("ATI Technologies ULC", "", "none", "", ""),
    ("Top Victory Investments, Ltd.", "", "none", "", ""),
    ("EVO Brands, LLC", "", "none", "", ""),
    ("", "", "none", "", ""),
]


@pytest.mark.parametrize(
    ("party", "location", "level", "ident", "feature"), CASES, ids=lambda v: str(v)[:40]
)
def test_match_cases(
    matcher: Matcher, party: str, location: str, level: str, ident: str, feature: str
) -> None:
    result = matcher.match(Party(party, "defendant", location))
    assert result.level == level
    assert ident in (result.company_id, result.group) if ident else not result.company_id
    if feature:
        assert feature in result.explanations and result.explanations[feature].detail
    else:
        assert result.explanations == {}
    if level == "entity":
        assert result.score >= 0.9 and result.matched_kind in {
            "legal_en",
            "legal_zh",
            "former",
            "variant",
            "config",
            "derived",
        }
        assert result.derived == (result.matched_kind == "derived")


HELD_BACK = "legal_form_differs"
NAMESAKES = [
    # party, location, level, company id or group, feature, words its detail must contain
    # A bare trade name under another legal form is a namesake: group via the brand, never entity.
    ("Foryou Inc.", "", "group", "HZ016", "affiliate_name", "brand / short name 'Foryou'"),
    ("Foryou Co., Ltd.", "", "group", "HZ016", "affiliate_name", "brand / short name 'Foryou'"),
    ("TCL Inc.", "", "group", "HZ001", "affiliate_name", "brand / short name 'TCL'"),
    ("TCL Co., Ltd.", "", "group", "HZ001", "affiliate_name", "brand / short name 'TCL'"),
    ("Eve Energy Ltd", "", "group", "HZ015", "affiliate_name", "brand / short name 'EVE Energy'"),
    ("EVE Energy Inc.", "", "group", "HZ015", "affiliate_name", "brand / short name 'EVE Energy'"),
    # A US state or a foreign country in the stated location is a place conflict.
    (
        "Foryou Inc.",
        "Los Angeles, California",
        "group",
        "HZ016",
        "other_place",
        "names place California: an affiliate elsewhere",
    ),
    (
        "TCL Corp.",
        "San Diego, California",
        "group",
        "HZ001",
        "other_place",
        "names place California: an affiliate elsewhere",
    ),
    ("TCL Corp.", "Irvine, CA 92618", "group", "HZ001", "other_place", "names place California"),
    ("TCL Corp.", "Tel Aviv, Israel", "group", "HZ001", "other_place", "names place Israel"),
    # The registered legal form, its other spelling, or a Huizhou place keeps entity level.
    ("TCL Corp.", "", "entity", "HZ001", "registered_name", "equals the known variant 'TCL Corp.'"),
    ("TCL Corporation", "", "entity", "HZ001", "registered_name", "known variant 'TCL Corp"),
    (
        "TCL Technology Group Corp.",
        "",
        "entity",
        "HZ001",
        "registered_name",
        "equals the English legal name 'TCL Technology Group Corporation'",
    ),
    (
        "EVE Energy Co., Ltd.",
        "",
        "entity",
        "HZ015",
        "registered_name",
        "equals the English legal name 'EVE Energy Co., Ltd.'",
    ),
    (
        "EVE ENERGY COMPANY LIMITED",
        "",
        "entity",
        "HZ015",
        "registered_name",
        "equals the English legal name 'EVE Energy Co., Ltd.'",
    ),
    (
        "Foryou Corporation",
        "",
        "entity",
        "HZ016",
        "registered_name",
        "equals the English legal name 'Foryou Corporation'",
    ),
    (
        "Foryou Co., Ltd.",
        "Huizhou, Guangdong, China",
        "entity",
        "HZ016",
        "huizhou_words",
        "stated location 'of Huizhou, Guangdong, China'",
    ),
    ("Huizhou Foryou Co., Ltd.", "", "entity", "HZ016", "huizhou_words", "in the name (Huizhou)"),
    # A misspelling is found by fuzzy lookup even when a one-word key sits inside the name.
    (
        "Huizhou TCL Mobile Comunication Co., Ltd.",
        "",
        "entity",
        "HZ004",
        "close_spelling",
        "is spelled 98% like the English legal name 'Huizhou TCL Mobile Communication Co., Ltd.' "
        "(tcl=tcl mobile=mobile comunication~communication)",
    ),
    (
        "TCL King Electric Appliances (Huizhou) Co., Ltd.",
        "",
        "entity",
        "HZ003",
        "close_spelling",
        "is spelled 96% like the English legal name 'TCL King Electrical Appliances (Huizhou) "
        "Co., Ltd.'",
    ),
    # A contains-hit covering most of the name still settles it (no fuzzy lookup needed).
    ("TCL Smart Device (Vietnam) Co., Ltd.", "", "group", "TCL", "contains_name", "starts with"),
]


@pytest.mark.parametrize(
    ("party", "location", "level", "ident", "feature", "words"),
    NAMESAKES,
    ids=lambda v: str(v)[:40],
)
def test_namesakes_places_and_misspellings(
    matcher: Matcher, party: str, location: str, level: str, ident: str, feature: str, words: str
) -> None:
    result = matcher.match(Party(party, "defendant", location))
    assert (result.level, ident in (result.company_id, result.group)) == (level, True)
    assert words in result.explanations[feature].detail
    if level == "entity":
        assert HELD_BACK not in result.explanations
    if feature == "close_spelling":
        # A new spelling goes to the analyst: entity, but below automatic confirmation.
        assert 0.9 <= result.score < 0.95


def test_namesake_without_a_brand_is_held_at_review(tmp_path: Path) -> None:
    # No brand to fall back on: only the legal-form rule stands between "Inc." and entity.
    csv = tmp_path / "exporters.csv"
    csv.write_text("id,name_zh,name_en\nHZ900,惠州市华阳测试有限公司,Foryou Corporation\n")
    bare = Matcher(load_registry(csv, Matching()), Matching())
    result = bare.match(Party("Foryou Inc."))
    assert (result.level, result.company_id, result.score) == ("review", "HZ900", 0.7)
    assert result.explanations[HELD_BACK].detail == (
        "'Foryou Inc.' shares only the one distinctive word 'foryou' with the English legal name "
        "'Foryou Corporation'; its legal form (INC) is not the registered one (CORP) and it does "
        "not say Huizhou"
    )
    assert bare.match(Party("Foryou Corp.")).level == "entity"
    assert bare.match(Party("Foryou Inc.", location="Huizhou, Guangdong, China")).level == "entity"


def test_explanations_name_the_registry_name_and_the_runner_up(matcher: Matcher) -> None:
    result = matcher.match(Party("TCL Industries Holdings (H.K.) Limited"))
    assert result.score == 0.8
    assert result.matched_name == "TCL Industries Holdings Co., Ltd."
    assert result.explanations["other_place"].detail == (
        "names place Hong Kong: an affiliate elsewhere, not the Huizhou entity"
    )
    assert result.runner_up.startswith("HZ001 ") and "group 0.80" in result.runner_up


def test_config_exclusion_stops_a_match_and_says_so() -> None:
    excluded = make(exclusions={"HZ015": ["eve energy*"]})
    result = excluded.match(Party("EVE Energy Co., Ltd."))
    assert result.level == "none"
    assert result.explanations["excluded"].detail == (
        "config.yaml matching.exclusions HZ015: 'eve energy*'"
    )
    assert excluded.match(Party("Huizhou Desay Battery Co., Ltd.")).company_id == "HZ011"


def test_dismissal_stops_that_party_and_company_only() -> None:
    dismissed = Matcher(
        load_registry(REGISTRY, Matching()), Matching(), dismissed={("tcl corp", "HZ001")}
    )
    result = dismissed.match(Party("TCL Corp."))
    assert result.company_id != "HZ001"
    assert "an analyst dismissed 'tcl corp' for HZ001" in result.explanations["excluded"].detail
    assert dismissed.match(Party("TCL Technology Group Corp.")).company_id == "HZ001"


def test_confirmed_variant_becomes_entity_level() -> None:
    plain = make()
    assert plain.match(Party("Desay Xiwei Auto Electronics Co., Ltd.")).level != "entity"
    taught = Matcher(
        load_registry(REGISTRY, Matching()),
        Matching(),
        variants=[("HZ010", "Desay Xiwei Auto Electronics Co., Ltd.")],
    )
    result = taught.match(Party("DESAY XIWEI AUTO ELECTRONICS CO LTD"))
    assert (result.level, result.company_id, result.matched_kind) == ("entity", "HZ010", "config")


def test_thresholds_from_config_change_levels() -> None:
    strict = make(thresholds=Thresholds(entity=0.9, group=0.82, review=0.5))
    assert strict.match(Party("TCL Moka International Limited")).level == "review"
    assert make().match(Party("TCL Moka International Limited")).level == "group"


def test_stop_words_from_config_apply_to_both_sides() -> None:
    matcher = make(stop_words=["Energy"])
    assert matcher.match(Party("EVE Co., Ltd.")).company_id == "HZ015"


def test_scan_text_finds_registry_names_and_huizhou_companies(matcher: Matcher) -> None:
    text = (
        "Maxell sued TCL Technology Group Corporation and Huizhou Xinyu Plastic Co., Ltd. "
        "at the ITC; 惠州市德赛西威汽车电子股份有限公司 and 惠州市新宇塑胶有限公司 were named. "
        "On Christmas eve nothing happened."
    )
    names = [p.raw for p in matcher.scan_text(text)]
    assert names == [
        "TCL Technology Group Corporation",
        "Huizhou Xinyu Plastic Co., Ltd.",
        "惠州市德赛西威汽车电子股份有限公司",
        "惠州市新宇塑胶有限公司",
    ]
    levels = [matcher.match(p).level for p in matcher.scan_text(text)]
    assert levels == ["entity", "local", "entity", "local"]


def test_product_advisories_show_the_shared_words(matcher: Matcher) -> None:
    advisories = matcher.product_advisories(
        "Certain Smart Televisions, Components Thereof", {"HZ003"}
    )
    by_id = {a.company_id: a for a in advisories}
    assert "HZ003" not in by_id  # named in the case: warned as a party, not as a product
    assert by_id["HZ002"].words == ("television",)
    assert by_id["HZ002"].score == 1.0
    battery = matcher.product_advisories(
        "Certain Pouch-Type Battery Cells, Battery Modules, and Battery Packs", set()
    )
    eve = next(a for a in battery if a.company_id == "HZ015")
    assert set(eve.words) >= {"battery", "pouch", "cell"}
    assert matcher.product_advisories("Certain Vaporizer Devices", set()) == []


def test_only_tcl_is_an_entity_on_the_real_txwd_feed(matcher: Matcher) -> None:
    parsed = feedparser.parse((EXAMPLES / "txwd_2022-12-06_china_ip_excerpt.xml").read_bytes())
    entities = set()
    for entry in parsed.entries:
        caption = parse_caption(entry.title)
        for name in caption.defendants + caption.plaintiffs:
            result = matcher.match(Party(name))
            if result.level == "entity":
                entities.add((name, result.company_id))
    assert entities == {("TCL Technology Group Corp.", "HZ001")}


def test_build_matcher_loads_decisions_from_the_database(cfg, db) -> None:  # type: ignore[no-untyped-def]
    db["decisions"].insert_all(
        [
            {"action": "dismiss", "party_norm": "tcl corp", "company_id": "HZ001", "variant": ""},
            {
                "action": "confirm",
                "party_norm": "x",
                "company_id": "HZ010",
                "variant": "Desay Xiwei Co Ltd",
            },
        ]
    )
    built = build_matcher(cfg, db)
    assert built.match(Party("TCL Corp.")).company_id != "HZ001"
    assert built.match(Party("Desay Xiwei Co., Ltd.")).company_id == "HZ010"


GOLDEN = EXAMPLES / "explain.expected.json"
GOLDEN_PARTIES = [
    "TCL Technology Group Corp.",
    "Samsung Electronics Co., Ltd.",
    "TCL Industries Holdings (H.K.) Limited",
    "TTE Corporation",
    "惠州市德賽西威汽車電子股份有限公司",
    "Huizhou Xinyu Plastic Co., Ltd.",
]


def test_explanations_match_the_reviewed_golden_file(matcher: Matcher) -> None:
    got = {}
    for party in GOLDEN_PARTIES:
        r = matcher.match(Party(party))
        got[party] = {
            "level": r.level,
            "score": r.score,
            "company_id": r.company_id,
            "group": r.group,
            "matched_name": r.matched_name,
            "matched_kind": r.matched_kind,
            "explanations": {k: e.detail for k, e in r.explanations.items()},
            "runner_up": r.runner_up,
        }
    check_expected(got, GOLDEN)
