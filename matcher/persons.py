"""Chinese personal names written in pinyin: a person named in a case is not a company."""

from __future__ import annotations

import re
from functools import lru_cache

from matcher import cn_places, industry_zh, places
from matcher.normalize import ABBREVIATIONS, LEGAL_ANYWHERE, canonical, stem

# Common Chinese surnames in pinyin: a short party of pinyin words with one of these, and no
# legal form or industry word, is a person ("Zhongwei Wu"), not a company.
SURNAMES = frozenset(
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng "
    "liang xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye "
    "cheng wei su lv lu ding ren shen yao jiang cui zhong tan lu fan wan qiu jin shi jia xia fu "
    "fang zou xiong bai meng qin yan hou lei long duan hao kong shao mao chang wen niu".split()
)
_INITIAL = "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINAL = (
    "(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|"
    "ua|uo|ui|ve|er|a|o|e|i|u|v)"
)
_SYLLABLES = re.compile(f"(?:{_INITIAL}{_FINAL}){{1,3}}")


@lru_cache(maxsize=50_000)
def looks_like_person(text: str) -> bool:
    """A short run of pinyin words with a common surname and nothing company-like in it."""
    words = canonical(text).split()
    if not 2 <= len(words) <= 3 or not any(w in SURNAMES for w in words):
        return False
    vocab = industry_zh.english_words()
    if any(w in LEGAL_ANYWHERE or stem(ABBREVIATIONS.get(w, w)) in vocab for w in words):
        return False
    if cn_places.en_places("".join(words)) or any(w in places.EN_OTHER for w in words):
        return False  # "Hui Zhou" is a place; "Zhongwei Wu" is a person though 中卫 is a city
    return all(_SYLLABLES.fullmatch(w) for w in words)
