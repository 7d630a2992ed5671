"""Pinyin and Simplified Chinese read the fast way give exactly what the libraries give."""

from __future__ import annotations

import csv
import random

from ops_support import REPO
from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT

from matcher.pinyin_fast import per_character, syllables
from matcher.simplified import CJK, _t2s, _t2s_changes, to_simplified

# Trade-name characters of real registries, polyphones among them (长 重 行 乐 会 …).
NAME_CHARS = (
    "安宝贝博昌辰诚达德迪鼎东发飞丰富高广海航豪和恒宏华欢辉嘉健杰金晶骏凯康科兰利联林龙禄"
    "美明纳能欧鹏奇谦强乔荣瑞盛世顺思泰天通伟文鑫兴旭雅扬亿银永宇源越展振正智中卓长重行乐"
    "朝厦传都单曾查藏调还降率省会电子科技有限公司惠州市深圳塑胶制品光电精密模具智能照明实业"
)


def registry_names() -> list[str]:
    """Chinese legal names of the demo registry."""
    with open(REPO / "data" / "exporters.csv", encoding="utf-8") as fh:
        return [row["name_zh"] for row in csv.DictReader(fh) if row["name_zh"]]


def test_every_phrase_read_per_character_matches_pypinyin() -> None:
    """Each dictionary phrase the fast path takes reads as pypinyin reads it."""
    taken = [p for p in PHRASES_DICT if per_character(p)]
    assert len(taken) > 1_000  # phrases of single-reading characters, and more
    wrong = [p for p in taken if list(syllables(p)) != lazy_pinyin(p)]
    assert wrong == []


def test_names_and_random_text_match_pypinyin() -> None:
    """Registry names, mixed Latin text and random names of common name characters."""
    rng = random.Random(5)
    texts = registry_names() + ["TCL科技", "长虹", "重庆行乐", "惠州市ABC电子", "", "abc"]
    texts += ["".join(rng.choices(NAME_CHARS, k=rng.randint(1, 8))) for _ in range(5_000)]
    assert [syllables(t) for t in texts] == [tuple(lazy_pinyin(t)) for t in texts]
    assert per_character("惠州市电子科技") and not per_character("TCL科技")
    assert syllables("重庆") == ("chong", "qing")  # a polyphone read through the phrase


def test_simplified_fast_path_matches_the_converter() -> None:
    """Text without a character any entry changes is returned as it is; all else converts."""
    converter = _t2s()
    assert "有" not in _t2s_changes() and "獨" in _t2s_changes()
    rng = random.Random(6)
    texts = registry_names() + ["情有獨鍾", "臺灣積體電路製造股份有限公司", "乾燥設備有限公司"]
    texts += ["".join(rng.choices(NAME_CHARS, k=rng.randint(1, 10))) for _ in range(2_000)]
    for group in converter._dict_chain_data:
        for *_, table in group:
            texts += [f"公司{key}有限" for key in list(table)[::7]]
    expected = [converter.convert(t) if CJK.search(t) else t for t in texts]
    assert [to_simplified(t) for t in texts] == expected
    assert to_simplified("臺灣") == "台湾"
