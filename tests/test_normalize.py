"""Name normalisation: legal forms, place words, Chinese names, pinyin, idempotence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.normalize import (
    canonical,
    key_of,
    parse_location,
    parse_name,
    pinyin_keys,
    to_simplified,
)
from matcher.places import us_states

# (raw name, identity tokens, Huizhou words, other places, has a legal form)
NAME_CASES = [
    ("TCL Technology Group Corp.", ("tcl", "technology", "group"), (), (), True),
    ("TCL Technology Group Corporation", ("tcl", "technology", "group"), (), (), True),
    (
        "T.C.L. Industries Holdings (H.K.) Limited",
        ("tcl", "industry", "holding"),
        (),
        ("hk",),
        True,
    ),
    (
        "TCL Commc’n Tech. Holdings, Ltd.",
        ("tcl", "communication", "technology", "holding"),
        (),
        (),
        True,
    ),
    (
        "Victory Giant Technology (Hui Zhou) Co., Ltd.",
        ("victory", "giant", "technology"),
        ("huizhou",),
        (),
        True,
    ),
    (
        "Victory Giant Technology (HuiZhou) Co.,Ltd.",
        ("victory", "giant", "technology"),
        ("huizhou",),
        (),
        True,
    ),
    (
        "HUIZHOU CITY HUIYANG DISTRICT MEISIQI INDUSTRY DEVELOPMENT CO,.LTD",
        ("meisiqi", "industry", "development"),
        ("huizhou", "huiyang"),
        (),
        True,
    ),
    (
        "Huizhou City Sunsin lntelligent Technology Co.,Ltd",
        ("sunsin", "intelligent", "technology"),
        ("huizhou",),
        (),
        True,
    ),
    ("Renxin New Material Daya Bay", ("renxin", "new", "material"), ("dayawan",), (), False),
    ("TCL Electronics Mexico, S de RL de CV", ("tcl", "electronic"), (), ("mexico",), True),
    ("TCL Holdings (BVI) Limited", ("tcl", "holding"), (), ("bvi",), True),
    ("TCL Smart Device (Vietnam) Co., Ltd.", ("tcl", "smart", "device"), (), ("vietnam",), True),
    ("TCL USA and TCL North America", ("tcl", "tcl"), (), ("usa", "north america"), False),
    ("Samsung Electronics Co., Ltd.", ("samsung", "electronic"), (), (), True),
    ("", (), (), (), False),
]


@pytest.mark.parametrize(
    ("raw", "tokens", "hz", "other", "legal"), NAME_CASES, ids=lambda v: str(v)[:40]
)
def test_parse_name(raw: str, tokens: tuple, hz: tuple, other: tuple, legal: bool) -> None:
    name = parse_name(raw)
    assert name.tokens == tokens
    assert name.hz_places == hz
    assert name.other_places == other
    assert name.legal_form is legal


ZH_CASES = [
    # Traditional → Simplified, suffix and place prefix stripped.
    ("惠州市華陽集團股份有限公司", ("华阳集团",), ("惠州市",), ()),
    ("惠州TCL移动通信有限公司", ("tcl", "移动通信"), ("惠州",), ()),
    ("TCL王牌电器（惠州）有限公司", ("tcl", "王牌电器"), ("惠州",), ()),
    ("惠州宇新化工有限责任公司", ("宇新化工",), ("惠州",), ()),
    ("深圳市德赛电池科技股份有限公司", ("德赛电池科技",), (), ("深圳市",)),
    ("广东德赛集团有限公司", ("德赛集团",), (), ()),
]


@pytest.mark.parametrize(("raw", "tokens", "hz", "other"), ZH_CASES, ids=lambda v: str(v)[:20])
def test_chinese_names(raw: str, tokens: tuple, hz: tuple, other: tuple) -> None:
    name = parse_name(raw)
    assert (name.tokens, name.hz_places, name.other_places) == (tokens, hz, other)
    assert name.legal_form


def test_traditional_to_simplified() -> None:
    assert to_simplified("德賽西威汽車電子") == "德赛西威汽车电子"
    assert to_simplified("TCL Corp.") == "TCL Corp."


def test_same_key_across_spellings() -> None:
    spellings = [
        "TCL King Electrical Appliances (Huizhou) Co., Ltd.",
        "TCL King Electrical Appliances(Huizhou)Co.,Ltd",
        "TCL KING ELECTRICAL APPLIANCES (HUIZHOU) COMPANY LIMITED",
        "TCL King Electrical Appliance (Huizhou) Co. Ltd.",
    ]
    assert {key_of(s) for s in spellings} == {"tcl king electrical appliance"}


FAMILY_CASES = [
    # name, legal form family, distinctive words
    ("TCL Corp.", {"corp"}, ("tcl",)),
    ("TCL Corporation", {"corp"}, ("tcl",)),
    ("EVE Energy Co., Ltd.", {"co", "ltd"}, ("eve",)),
    ("EVE ENERGY COMPANY LIMITED", {"co", "ltd"}, ("eve",)),
    ("Eve Energy Co Ltd", {"co", "ltd"}, ("eve",)),
    ("Eve Energy Ltd", {"ltd"}, ("eve",)),
    ("Foryou Inc.", {"inc"}, ("foryou",)),
    ("Foryou Incorporated", {"inc"}, ("foryou",)),
    ("惠州亿纬锂能股份有限公司", {"co", "ltd"}, ("亿纬锂能",)),
    (
        "TCL King Electrical Appliances (Huizhou) Co., Ltd.",
        {"co", "ltd"},
        ("tcl", "king"),
    ),
    ("TCL", set(), ("tcl",)),
]


@pytest.mark.parametrize(("raw", "family", "distinctive"), FAMILY_CASES, ids=lambda v: str(v)[:25])
def test_legal_form_family_and_distinctive_words(raw: str, family: set, distinctive: tuple) -> None:
    norm = parse_name(raw)
    assert norm.form_family == family
    assert norm.distinctive == distinctive


LOCATION_CASES = [
    # stated location, other places found, Huizhou words found
    ("San Diego, California", ("california",), ()),
    ("Los Angeles, California, USA", ("usa", "california"), ()),
    ("Irvine, CA 92618", ("california",), ()),
    ("New York, NY", ("new york",), ()),
    ("TX", ("texas",), ()),
    ("Tel Aviv, Israel", ("israel",), ()),
    ("Huizhou, Guangdong, China", (), ("huizhou",)),
    ("Pak Shek Kok, Hong Kong", ("hong kong",), ()),
    ("Guangdong, PRC", (), ()),
    ("", (), ()),
]


@pytest.mark.parametrize(("text", "other", "hz"), LOCATION_CASES, ids=lambda v: str(v)[:25])
def test_parse_location_reads_us_states_and_countries(text: str, other: tuple, hz: tuple) -> None:
    loc = parse_location(text)
    assert loc.other_places == other
    assert loc.hz_places == hz


def test_state_codes_only_as_a_part_of_their_own() -> None:
    # "IN" or "CO" inside a sentence or a name is not Indiana or Colorado.
    assert us_states("Made IN China") == ()
    assert us_states("Foshan CO Ltd") == ()
    assert us_states("Dover, DE") == ("delaware",)
    assert us_states("West Virginia") == ("west virginia",)


def test_stop_words_from_config() -> None:
    assert (
        key_of("Desay Battery Technology Co., Ltd.", frozenset({"technology"})) == "desay battery"
    )


def test_pinyin_keys_are_weak_prefixes() -> None:
    assert pinyin_keys("高盛达科技") == ("gaosheng", "gaoshengda", "gaoshengdake")
    assert pinyin_keys("tcl") == ()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_canonical_is_idempotent_on_any_unicode(text: str) -> None:
    once = canonical(text)
    assert canonical(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_key_is_idempotent_and_never_crashes(text: str) -> None:
    key = key_of(text)
    assert key_of(key) == key
    assert parse_name(text).text == canonical(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Huizhou",
                "TCL",
                "Co.",
                "Ltd",
                "惠州市",
                "有限公司",
                "(H.K.)",
                "Hong",
                "Kong",
                "Technologies",
                "德賽",
                "S.A.",
                "de",
                "C.V.",
            ]
        ),
        max_size=8,
    )
)
def test_key_is_idempotent_on_name_like_text(words: list[str]) -> None:
    key = key_of(" ".join(words))
    assert key_of(key) == key
