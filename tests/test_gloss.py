"""Translated English names read against Chinese legal names through CC-CEDICT (#12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Matching
from matcher.evaluate_names import Pair, chinese_only_registry, read_pairs
from matcher.gloss import align, english_stem, explain_word, glosses, spans
from matcher.match import Matcher
from matcher.types import MatchResult, Party

# 11 rows of ../shared/data/cn_en_company_pairs.csv, copied with their source column:
# 7 translated, 4 brand.
PAIRS = Path(__file__).parent / "examples" / "names" / "cn_en_translated_sample.csv"


@pytest.fixture(scope="module")
def matched() -> dict[str, tuple[Pair, MatchResult, Matcher]]:
    pairs = read_pairs(PAIRS)
    matcher = Matcher(chinese_only_registry(pairs), Matching())
    return {p.name_en: (p, matcher.match(Party(p.name_en, "defendant")), matcher) for p in pairs}


def test_dictionary_glosses_come_from_cc_cedict() -> None:
    assert "panda" in glosses("熊猫")
    assert "arrow" in glosses("箭")
    assert "bank" in glosses("银行")
    # Descriptor renderings are glosses too (轮胎 = Tyre in the descriptor table).
    assert english_stem("tyres") in glosses("轮胎")
    # A surname sense is no translation: 王 gives king, not "Wang".
    assert "king" in glosses("王") and "wang" not in glosses("王")


def test_alignment_renders_every_word_and_counts_the_characters() -> None:
    # Double Arrow Rubber = 双箭橡胶: 双 double, 箭 arrow, 橡胶 rubber; 4 of 4 characters.
    alignment = align(("double", "arrow", "rubber"), "双箭橡胶")
    assert [(en, zh) for en, zh, _ in alignment.rendered] == [
        ("double", "双"),
        ("arrow", "箭"),
        ("rubber", "橡胶"),
    ]
    assert alignment.unexplained == () and alignment.coverage == 1.0
    # "Bank" renders 银行, not the whole of 工商银行: 2 of 4 characters.
    assert align(("bank",), "工商银行").coverage == 0.5


def test_a_joined_word_renders_two_chinese_words() -> None:
    found = explain_word("doublestar", spans("双星"))
    assert {"双", "星"} <= {ch for s in found for ch in s.text}
    assert align(("doublestar",), "双星").coverage == 1.0


def test_translated_names_reach_review_for_the_right_company(
    matched: dict[str, tuple[Pair, MatchResult, Matcher]],
) -> None:
    for name, zh in [
        ("Triangle Tyre Co.,Ltd", "三角轮胎股份有限公司"),
        ("Nanjing Panda Electronics Company Limited", "南京熊猫电子股份有限公司"),
        ("QINGDAO DOUBLESTAR CO,LTD.", "青岛双星股份有限公司"),
        ("Industrial and Commercial Bank of China Limited", "中国工商银行股份有限公司"),
    ]:
        _pair, result, matcher = matched[name]
        assert result.level == "review", name  # a dictionary rendering never reaches entity
        assert matcher.companies[result.company_id].name_zh == zh
    _pair, result, _ = matched["Nanjing Panda Electronics Company Limited"]
    detail = result.explanations["trade_pinyin"].detail
    assert "Panda = 熊猫 (xióng māo)" in detail and "Electronics = 电子" in detail
    assert "100% of 熊猫电子 rendered (CC-CEDICT)" in detail
    assert result.explanations["own_place"].detail == "Nanjing = 南京市"
    assert (
        "never sent without an analyst's confirmation" in result.explanations["derived_name"].detail
    )


def test_one_added_word_after_the_trade_name_is_named_and_ranks_lower(
    matched: dict[str, tuple[Pair, MatchResult, Matcher]],
) -> None:
    _pair, result, matcher = matched["Western Region Gold Co.,Ltd"]
    assert result.level == "review"
    assert matcher.companies[result.company_id].name_zh == "西部黄金股份有限公司"
    assert "not rendered: region" in result.explanations["derived_name"].detail
    _pair, full, _ = matched["Triangle Tyre Co.,Ltd"]
    assert result.score < full.score


def test_a_brand_word_leading_the_name_is_not_translated(
    matched: dict[str, tuple[Pair, MatchResult, Matcher]],
) -> None:
    # Invengo / HNA / Kuang-Chi lead with a brand: "Information Technology" alone names no one.
    for name in (
        "Invengo Information Technology Co., Ltd",
        "HNA Technology Co.,Ltd.",
        "Kuang-Chi Technologies Co., Ltd.",
    ):
        assert matched[name][1].level == "none", name


def test_a_shared_word_ties_and_shows_both_companies(
    matched: dict[str, tuple[Pair, MatchResult, Matcher]],
) -> None:
    # China Merchants Bank: 商 and 银行 are in 招商银行 and in 工商银行 alike (3 of 4 characters
    # each), so the analyst sees both, the right one among them.
    pair, result, matcher = matched["China Merchants Bank Co., Ltd."]
    reached = {matcher.companies[c].name_zh for c in (result.company_id, *result.tied)}
    assert reached == {"招商银行股份有限公司", "中国工商银行股份有限公司"}
    assert result.level == "review" and pair.kind == "translated"


def test_gloss_keys_skip_words_too_common_in_a_place_and_keep_every_rare_key() -> None:
    from collections import Counter

    from matcher import gloss
    from matcher.derived_keys import place_qualifier
    from matcher.index_gloss import GLOSS, MAX_GLOSS, GlossKeys
    from matcher.names_zh import parse_zh

    chars = "安宝博昌辰诚达德鼎东发飞丰富高广海航豪和恒宏华辉嘉"
    # 300 battery makers in Huizhou (电池 in more names than MAX_GLOSS), a few lighting firms,
    # and battery makers of Shenzhen, whose 电池 is rare in their own place.
    names = [f"惠州市{a}{b}电池有限公司" for a in chars for b in chars][:300]
    names += ["惠州市金龙照明有限公司", "惠州市银河照明有限公司", "深圳市金龙电池有限公司"]
    parsed = [parse_zh(name, "") for name in names]
    glossed = GlossKeys()
    for ref, zh in enumerate(parsed):
        glossed.add(ref, zh, place_qualifier(zh))
    made = dict(glossed.keys())
    # What freezing the table keeps of every key of every name: keys in at most MAX_GLOSS.
    every = {
        ref: {f"{GLOSS}{place_qualifier(zh)}|{k}" for k in gloss.name_keys(zh)}
        for ref, zh in enumerate(parsed)
    }
    counts = Counter(key for keys in every.values() for key in keys)
    kept = {ref: sorted(k for k in keys if counts[k] <= MAX_GLOSS) for ref, keys in every.items()}
    assert made == {ref: keys for ref, keys in kept.items() if keys}
    huizhou, shenzhen = place_qualifier(parsed[0]), place_qualifier(parsed[302])
    assert (huizhou, shenzhen) == ("惠州市", "深圳市")
    battery = gloss.english_stem("battery")
    assert f"{GLOSS}惠州市|{battery}" not in {k for keys in made.values() for k in keys}
    assert f"{GLOSS}深圳市|{battery}" in made[302]
    assert f"{GLOSS}惠州市|{gloss.english_stem('lighting')}" in made[300]
