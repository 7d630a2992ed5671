"""Each feature on a hit, a miss and missing data, with its score and its explanation text."""

from __future__ import annotations

import pytest

from core.config import Thresholds
from matcher import features as f
from matcher.algorithm import FEATURES, level_for, score
from matcher.index import Hit, NameEntry
from matcher.normalize import parse_location, parse_name
from matcher.parties import AltName
from matcher.types import Party


def cand(
    party: str,
    name: str,
    kind: str = "legal_en",
    how: str = "exact",
    *,
    start: int = 0,
    sim: float = 1.0,
    location: str = "",
    relation: str = "primary",
    foreign: bool = False,
) -> f.Candidate:
    entry = NameEntry("HZ001", "TCL", name, kind, parse_name(name), foreign)
    alt = AltName(party, relation)  # type: ignore[arg-type]
    return f.Candidate(
        Party(party, "defendant", location),
        alt,
        parse_name(party),
        parse_location(location),
        Hit(entry, how, start, sim),
    )


CASES = [
    # feature, candidate, expected score, expected detail ("" = no evidence)
    (
        f.registered_name,
        cand("TCL Technology Group Corp.", "TCL Technology Group Corporation"),
        1.0,
        "'TCL Technology Group Corp.' equals the English legal name 'TCL Technology Group "
        "Corporation' once legal form and place words are set aside (tcl=tcl technology=technology "
        "group=group)",
    ),
    (f.registered_name, cand("TCL Ltd.", "TCL", kind="brand"), 0.0, ""),
    (f.registered_name, cand("", "TCL Corp.", kind="variant", how="fuzzy", sim=0.0), 0.0, ""),
    (
        f.close_spelling,
        cand("TCL Technoly Group Corp.", "TCL Technology Group Corporation", how="fuzzy", sim=0.96),
        0.96,
        "'TCL Technoly Group Corp.' is spelled 96% like the English legal name 'TCL Technology "
        "Group Corporation' (tcl=tcl technoly~technology group=group)",
    ),
    (f.close_spelling, cand("TCL Corp.", "TCL Corp.", kind="variant"), 0.0, ""),
    (
        f.affiliate_name,
        cand("TCL Electronics Holdings Limited", "TCL Electronics Holdings Ltd", kind="group"),
        1.0,
        "'TCL Electronics Holdings Limited' is the group affiliate name 'TCL Electronics Holdings "
        "Ltd' of group TCL",
    ),
    (f.affiliate_name, cand("TCL Corp.", "TCL Corp.", kind="variant"), 0.0, ""),
    (
        f.contains_name,
        cand("TCL Moka International Limited", "TCL", kind="brand", how="contains"),
        1.0,
        "'TCL Moka International Limited' starts with the brand / short name 'TCL' "
        "(tcl=tcl +moka +international)",
    ),
    (
        f.contains_name,
        cand("Shenzhen Big TCL Trading Co.", "TCL", kind="brand", how="contains", start=1),
        0.75,
        "'Shenzhen Big TCL Trading Co.' contains the brand / short name 'TCL' (tcl=tcl +big "
        "+trading)",
    ),
    (f.contains_name, cand("TCL", "TCL", kind="brand"), 0.0, ""),
    (
        f.pinyin_name,
        cand("Gaoshengda Wireless Co.", "惠州市高盛达科技有限公司", kind="legal_zh", how="pinyin"),
        1.0,
        "'Gaoshengda Wireless Co.' spells the pinyin of the Chinese legal name "
        "'惠州市高盛达科技有限公司'",
    ),
    (f.pinyin_name, cand("Gaoshengda Wireless Co.", "Gaoshengda", kind="brand"), 0.0, ""),
    (
        f.other_place,
        cand("TCL Industries Holdings (H.K.) Limited", "TCL Industries Holdings Co., Ltd."),
        1.0,
        "names place Hong Kong: an affiliate elsewhere, not the Huizhou entity",
    ),
    (
        f.other_place,
        cand(
            "TCL Industries Holdings Co., Ltd.",
            "TCL Industries Holdings Co., Ltd.",
            location="Pak Shek Kok, Hong Kong",
        ),
        1.0,
        "names place Hong Kong: an affiliate elsewhere, not the Huizhou entity",
    ),
    (
        f.other_place,
        cand("Desay SV Automotive GmbH", "Desay SV Automotive Co., Ltd.", kind="variant"),
        1.0,
        "names legal form GMBH: an affiliate elsewhere, not the Huizhou entity",
    ),
    (
        f.other_place,
        cand(
            "TCL Industries Holdings Co., Ltd.",
            "TCL Industries Holdings Co., Ltd.",
            location="Huizhou, Guangdong, China",
        ),
        0.0,
        "",
    ),
    (f.other_place, cand("TCL Corp.", "TCL Corp.", kind="variant", location=""), 0.0, ""),
    (
        f.other_place,
        cand("TCL Corp.", "TCL Corp.", kind="variant", location="San Diego, California"),
        1.0,
        "names place California: an affiliate elsewhere, not the Huizhou entity",
    ),
    (
        f.other_place,
        cand("Foryou Corp.", "Foryou Corporation", location="Irvine, CA 92618"),
        1.0,
        "names place California: an affiliate elsewhere, not the Huizhou entity",
    ),
    (
        f.other_place,
        cand("Foryou Corp.", "Foryou Corporation", location="Tel Aviv, Israel"),
        1.0,
        "names place Israel: an affiliate elsewhere, not the Huizhou entity",
    ),
    (f.other_place, cand("Foryou Corp.", "Foryou Corporation", location="Guangdong, PRC"), 0.0, ""),
    (
        f.legal_form_differs,
        cand("Foryou Inc.", "Foryou Corporation"),
        1.0,
        "'Foryou Inc.' shares only the one distinctive word 'foryou' with the English legal name "
        "'Foryou Corporation'; its legal form (INC) is not the registered one (CORP) and it does "
        "not say Huizhou",
    ),
    (
        f.legal_form_differs,
        cand("Eve Energy Ltd", "EVE Energy Co., Ltd."),
        1.0,
        "'Eve Energy Ltd' shares only the one distinctive word 'eve' with the English legal name "
        "'EVE Energy Co., Ltd.'; its legal form (LTD) is not the registered one (CO LTD) and it "
        "does not say Huizhou",
    ),
    (
        f.legal_form_differs,
        cand("TCL Co., Ltd.", "TCL Corp.", kind="variant"),
        1.0,
        "'TCL Co., Ltd.' shares only the one distinctive word 'tcl' with the known variant "
        "'TCL Corp.'; its legal form (CO LTD) is not the registered one (CORP) and it does not "
        "say Huizhou",
    ),
    (
        f.legal_form_differs,
        cand("Foryou Inc", "Foryou Corporation", how="fuzzy", sim=0.9),
        1.0,
        "'Foryou Inc' shares only the one distinctive word 'foryou' with the English legal name "
        "'Foryou Corporation'; its legal form (INC) is not the registered one (CORP) and it does "
        "not say Huizhou",
    ),
    # Same family under another spelling, a Huizhou place, two distinctive words, or a brand.
    (f.legal_form_differs, cand("TCL Corporation", "TCL Corp.", kind="variant"), 0.0, ""),
    (f.legal_form_differs, cand("EVE Energy Company Limited", "EVE Energy Co., Ltd."), 0.0, ""),
    (
        f.legal_form_differs,
        cand("TCL Technology Group Corp.", "TCL Technology Group Corporation"),
        0.0,
        "",
    ),
    (f.legal_form_differs, cand("Huizhou Foryou Co., Ltd.", "Foryou Corporation"), 0.0, ""),
    (
        f.legal_form_differs,
        cand("Foryou Co., Ltd.", "Foryou Corporation", location="Huizhou, Guangdong, China"),
        0.0,
        "",
    ),
    (
        f.legal_form_differs,
        cand("TCL King Inc.", "TCL King Electrical Appliances Co., Ltd."),
        0.0,
        "",
    ),
    (f.legal_form_differs, cand("Foryou Inc.", "Foryou", kind="brand"), 0.0, ""),
    (f.legal_form_differs, cand("Foryou Inc. USA", "Foryou Corporation", how="contains"), 0.0, ""),
    (
        f.huizhou_missing,
        cand("Samsung Electronics Co., Ltd.", "Huizhou Samsung Electronics Co., Ltd."),
        1.0,
        "registry name says Huizhou, the party does not: place is identity here",
    ),
    (
        f.huizhou_missing,
        cand(
            "Samsung Electronics Co., Ltd.",
            "Huizhou Samsung Electronics Co., Ltd.",
            location="Huizhou, Guangdong, China",
        ),
        0.0,
        "",
    ),
    (f.huizhou_missing, cand("EVE Energy Co., Ltd.", "EVE Energy Co., Ltd."), 0.0, ""),
    (
        f.trade_name_only,
        cand("TCL USA", "TCL", kind="brand", relation="dba"),
        1.0,
        "matched only the trade name 'TCL USA' (d/b/a), not the party itself",
    ),
    (f.trade_name_only, cand("TCL Corp.", "TCL Corp.", relation="former"), 0.0, ""),
    (
        f.generic_name,
        cand(
            "Communication Equipment Co., Ltd.", "Huizhou Longmen Communication Equipment Co. Ltd."
        ),
        1.0,
        "'Huizhou Longmen Communication Equipment Co. Ltd.' is only industry words without its "
        "place",
    ),
    (
        f.generic_name,
        cand(
            "Longmen Communication Equipment Co.",
            "Huizhou Longmen Communication Equipment Co. Ltd.",
            location="Huizhou",
        ),
        0.0,
        "",
    ),
    (f.generic_name, cand("Desay Battery Co.", "Huizhou Desay Battery Co., Ltd."), 0.0, ""),
    (
        f.foreign_group,
        cand("Samsung Display Co., Ltd.", "Samsung", kind="brand", how="contains", foreign=True),
        1.0,
        "group TCL is a foreign group: only its Huizhou entity counts",
    ),
    (f.foreign_group, cand("TCL Corp.", "TCL Corp."), 0.0, ""),
    (
        f.huizhou_words,
        cand("Xinyu Plastic Co.", "X", location="Boluo County, Huizhou"),
        1.0,
        "Huizhou place words present in the stated location 'of Boluo County, Huizhou'",
    ),
    (f.huizhou_words, cand("Xinyu Plastic Co.", "X", location=""), 0.0, ""),
]


@pytest.mark.parametrize(
    ("feature", "candidate", "expected", "detail"),
    CASES,
    ids=[f"{c[0].__name__}-{c[1].alt.text[:25]}-{c[2]}" for c in CASES],
)
def test_feature(feature, candidate: f.Candidate, expected: float, detail: str) -> None:  # type: ignore[no-untyped-def]
    ev = feature(candidate)
    assert ev.score == pytest.approx(expected)
    assert ev.detail == detail


def test_every_feature_is_documented_and_weighted() -> None:
    assert {feat.name for feat in FEATURES} == {
        "registered_name",
        "close_spelling",
        "affiliate_name",
        "contains_name",
        "pinyin_name",
        "other_place",
        "huizhou_missing",
        "trade_name_only",
        "generic_name",
        "foreign_group",
        "huizhou_words",
        "legal_form_differs",
        "first_word_differs",
        # #12: names derived from the Chinese legal name, and the scale guards.
        "derived_name",
        "trade_pinyin",
        "industry_agrees",
        "own_place",
        "legal_form_class",
        "person_name",
        "district_differs",
    }
    for feat in FEATURES:
        doc = (feat.fn.__doc__ or "").strip()
        assert doc and "\n" not in doc, feat.name


THRESHOLDS = Thresholds()

SCORE_CASES = [
    # candidate, score, level, features that explain it
    (cand("TCL Corp.", "TCL Corp.", kind="variant"), 1.0, "entity", {"registered_name"}),
    (
        cand("TCL Industries Holdings (H.K.) Limited", "TCL Industries Holdings Co., Ltd."),
        0.8,
        "group",
        {"registered_name", "other_place"},
    ),
    (
        cand(
            "Samsung Electronics Co., Ltd.", "Huizhou Samsung Electronics Co., Ltd.", foreign=True
        ),
        0.6,
        "review",
        {"registered_name", "huizhou_missing", "foreign_group"},
    ),
    # A one-word trade name under another legal form: held back to review, never entity.
    (
        cand("Foryou Inc.", "Foryou Corporation"),
        0.7,
        "review",
        {"registered_name", "legal_form_differs"},
    ),
    (cand("TCL Corporation", "TCL Corp.", kind="variant"), 1.0, "entity", {"registered_name"}),
    # A place conflict already stops entity: the form cap does not lower it further.
    (
        cand("Foryou Inc.", "Foryou Corporation", location="Los Angeles, California"),
        0.8,
        "group",
        {"registered_name", "other_place"},
    ),
    (
        cand("TCL Electronics Holdings Limited", "TCL Electronics Holdings Ltd", kind="group"),
        0.85,
        "group",
        {"affiliate_name"},
    ),
    (
        cand("Gaoshengda Wireless Co.", "惠州市高盛达科技有限公司", kind="legal_zh", how="pinyin"),
        0.6,
        "review",
        {"pinyin_name", "huizhou_missing"},
    ),
]


@pytest.mark.parametrize(
    ("candidate", "value", "level", "names"), SCORE_CASES, ids=lambda v: str(v)[:30]
)
def test_score_and_level(candidate: f.Candidate, value: float, level: str, names: set[str]) -> None:
    scored = score(candidate, THRESHOLDS)
    assert scored.score == pytest.approx(value)
    assert scored.level == level
    assert set(scored.explanations) == names


def test_brands_never_reach_entity_even_with_a_low_threshold() -> None:
    low = Thresholds(entity=0.5, group=0.4, review=0.3)
    assert level_for(0.85, "affiliate_name", low) == "group"
    assert level_for(0.85, "registered_name", low) == "entity"
    assert level_for(0.2, "registered_name", low) == "none"
