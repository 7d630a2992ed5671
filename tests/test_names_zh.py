"""Matching from Chinese legal names alone (#12): parsing, derived names, scale guards."""

from __future__ import annotations

import pytest

from core.config import Matching
from matcher.algorithm import Scored
from matcher.match import Matcher
from matcher.names_zh import derived_english, key_chars, parse_zh, trade_keys
from matcher.registry import Registry
from matcher.types import Company, CompanyName, Party


def _company(cid: str, name_zh: str, address: str = "") -> Company:
    return Company(
        id=cid,
        name_zh=name_zh,
        name_en="",
        names=(CompanyName(name_zh, "legal_zh"),),
        address=address,
    )


@pytest.fixture(scope="module")
def zh_matcher() -> Matcher:
    """A Chinese-only registry with namesakes that differ only by district, and a homophone."""
    companies = (
        _company("A1", "惠州市聚能电池有限公司"),
        _company("A2", "惠州市惠阳区聚能电池有限公司"),
        _company("A3", "惠州市惠城区聚能电池有限公司"),
        _company("B1", "惠州市华威塑胶有限公司"),
        _company("C1", "深圳市共进电子股份有限公司", "广东/深圳市"),
        _company("D1", "惠州市中维照明科技有限公司"),
        _company("E1", "云南旅游股份有限公司", "云南/昆明市"),
        _company("F1", "惠州市宏达国际电子制造有限公司"),
    )
    return Matcher(Registry(companies), Matching())


PARSE_CASES = [
    # name, home, places, trade, industry, form
    ("惠州市聚能电池有限公司", "", ("441300",), "聚能", ("电池",), "limited"),
    ("惠州市惠阳区聚能电池有限公司", "", ("441300", "441303"), "聚能", ("电池",), "limited"),
    ("TCL王牌电器（惠州）有限公司", "", ("441300",), "TCL王牌", ("电器",), "limited"),
    ("中海油惠州石化有限公司", "", ("441300",), "中海油", ("石化",), "limited"),
    ("吉林亚泰(集团)股份有限公司", "", ("220000",), "亚泰", ("集团",), "joint_stock"),
    ("云南旅游股份有限公司", "", ("530000",), "", ("旅游",), "joint_stock"),
    ("中国天楹股份有限公司", "", (), "天楹", (), "joint_stock"),
]


@pytest.mark.parametrize(("name", "home", "places", "trade", "industry", "form"), PARSE_CASES)
def test_parse_chinese_legal_name(
    name: str, home: str, places: tuple[str, ...], trade: str, industry: tuple[str, ...], form: str
) -> None:
    zh = parse_zh(name, home)
    assert (zh.places, zh.trade, zh.industry, zh.form) == (places, trade, industry, form)


def test_own_place_from_address_or_district() -> None:
    # "广东/深圳市" as the pairs file writes it; 仲恺高新区 is a Huizhou zone the code table lacks.
    assert parse_zh("潍柴动力股份有限公司", "山东/潍坊市").home == ("370000", "370700")
    assert parse_zh("TCL科技集团股份有限公司", "仲恺高新区").home == ("441300",)
    assert "440000" in parse_zh("惠州市聚能电池有限公司").own_places  # Guangdong, its province


def test_derived_english_forms() -> None:
    zh = parse_zh("惠州市聚能电池有限公司")
    assert derived_english(zh) == "Huizhou Juneng Battery Co., Ltd."
    # Joined pinyin of the trade name and of the name's first characters, with a polyphone's
    # other common reading (长 cháng / zhǎng).
    assert key_chars(zh) == {"junengdianchi": 4, "junengdian": 3, "juneng": 2}
    assert trade_keys("长安") == ("changan", "zhangan")
    assert "tcl" in key_chars(parse_zh("TCL王牌电器（惠州）有限公司"))


def test_full_agreement_reaches_entity_marked_derived() -> None:
    matcher = Matcher(Registry((_company("A1", "惠州市聚能电池有限公司"),)), Matching())
    result = matcher.match(Party("Huizhou Juneng Battery Co., Ltd."))
    assert (result.level, result.company_id, result.derived) == ("entity", "A1", True)
    ev = result.explanations
    assert ev["trade_pinyin"].detail == "Juneng = 聚能 (jù néng)"
    assert ev["industry_agrees"].detail == "industry agree: Battery = 电池"
    assert ev["own_place"].detail == "Huizhou = 惠州市"
    assert ev["legal_form_class"].detail == "Co., Ltd. = 有限公司"
    assert "never sent without an analyst's confirmation" in ev["derived_name"].detail


def test_split_syllables_and_own_city(zh_matcher: Matcher) -> None:
    result = zh_matcher.match(Party("Shenzhen Gong Jin Electronics Co., Ltd."))
    assert (result.level, result.company_id) == ("entity", "C1")
    assert result.explanations["own_place"].detail == "Shenzhen = 深圳市"


GUARD_CASES = [
    # party, location, level, company, why
    # Two firms that differ only by district: the one named wins; unnamed district is a tie.
    ("Huizhou Huiyang Juneng Battery Co., Ltd.", "", "entity", "A2", "derived_name"),
    ("Huizhou Huicheng Juneng Battery Co., Ltd.", "", "entity", "A3", "derived_name"),
    # Another Chinese city is another place, however the rest agrees.
    ("Jiaxing Juneng Battery Co., Ltd.", "", "none", "", ""),
    ("Juneng Battery Co., Ltd.", "Yangzhou, Jiangsu, China", "none", "", ""),
    # A homophone in another industry is no match; in the same industry it is.
    ("Huawei Technologies Co., Ltd.", "", "none", "", ""),
    ("Huizhou Huawei Plastic Products Co., Ltd.", "", "entity", "B1", "derived_name"),
    # A Chinese personal name in pinyin is not a company.
    ("Zhongwei Wu", "", "none", "", ""),
    ("Wu Zhongwei", "", "none", "", ""),
    # One letter off in the trade name: review, and only with the place.
    ("Huizhou Junenh Battery Co., Ltd.", "", "review", "A1", "derived_name"),
    ("Junenh Battery Co., Ltd.", "", "none", "", ""),
    # A bare industry word never matches alone.
    ("Battery Co., Ltd.", "", "none", "", ""),
    ("Huizhou Battery Co., Ltd.", "", "local", "", "huizhou_words"),
    # Abbreviations are the full words.
    ("Huizhou Hongda Intl Elec Mfg Co Ltd", "", "entity", "F1", "derived_name"),
    ("Huizhou Zhongwei Lighting Tech Co., Ltd.", "", "entity", "D1", "derived_name"),
    # A name without a trade name: place and industry agree, review at most.
    ("Yunnan Tourism Co., Ltd.", "", "review", "E1", "derived_name"),
]


@pytest.mark.parametrize(("party", "location", "level", "company", "why"), GUARD_CASES)
def test_scale_guards(
    zh_matcher: Matcher, party: str, location: str, level: str, company: str, why: str
) -> None:
    result = zh_matcher.match(Party(party, "defendant", location))
    assert (result.level, result.company_id) == (level, company)
    if why:
        assert result.explanations[why].detail


def test_a_district_left_unsaid_is_held_at_review(zh_matcher: Matcher) -> None:
    # The party spells A1's whole name, but English names often drop the district: A2 and A3
    # fit as well, so an analyst decides.
    result = zh_matcher.match(Party("Huizhou Juneng Battery Co., Ltd."))
    assert (result.level, result.company_id) == ("review", "A1")
    assert "also fits: A2" in result.explanations["namesake"].detail


def test_district_namesakes_are_a_tie_never_won_by_id(zh_matcher: Matcher) -> None:
    # A1 says only Huizhou, so "Juneng Battery" without a place fits A1, A2 and A3 alike.
    result = zh_matcher.match(Party("Juneng Battery Co., Ltd."))
    assert result.level == "review"
    assert {result.company_id, *result.tied} == {"A1", "A2", "A3"}
    assert "an analyst must choose" in result.explanations["tie"].detail


def test_registered_district_is_identity(zh_matcher: Matcher) -> None:
    # The party names 惠城区: the 惠阳区 firm is another place, not a candidate.
    scored, _ = zh_matcher.candidates(Party("Huizhou Huicheng Juneng Battery Co., Ltd."), False)
    # A company may be read twice (spelled and translated): its best reading comes first.
    by_id: dict[str, Scored] = {}
    for s, c in scored:
        by_id.setdefault(c.hit.entry.company_id, s)
    assert by_id["A3"].level == "entity"
    assert by_id["A2"].level == "none"
    assert "another place" in by_id["A2"].explanations["own_place"].detail
