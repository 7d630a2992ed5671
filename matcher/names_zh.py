"""Chinese legal names taken apart (place, trade name, industry words, legal form) and the
English forms derived from them: trade-name pinyin, industry renderings, place pinyin; and
Chinese personal names written in pinyin, which are people, not companies.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from matcher import cn_places, industry_zh, places
from matcher import places as hz_places
from matcher.normalize import ABBREVIATIONS, CJK, LEGAL_ANYWHERE, canonical, stem, to_simplified
from matcher.pinyin_fast import per_character, syllables

# Longest first: 股份有限公司 is a joint-stock company, 有限公司 a limited company.
LEGAL_FORMS = (
    ("股份有限公司", "joint_stock"),
    ("有限责任公司", "limited"),
    ("有限公司", "limited"),
    ("股份公司", "joint_stock"),
    ("公司", "company"),
)
FORM_EN = {
    "joint_stock": "Co., Ltd. / Corporation / Inc.",
    "limited": "Co., Ltd. / Limited",
    "company": "Co. / Company",
}
_BRACKET = re.compile(r"[(（]([^()（）]*)[)）]")
_LATIN = re.compile(r"[A-Za-z0-9]+")
_UNIT = re.compile(r"[A-Za-z0-9]+|.")
MAX_READINGS = 4
POLYPHONES = frozenset("长重行乐朝厦传都单曾查藏调还降率省会")


@dataclass(frozen=True, slots=True)
class ZhName:
    """A Chinese legal name in parts, with the company's own places from its address."""

    text: str
    places: tuple[str, ...]  # codes of places in the name (province, city, district)
    home: tuple[str, ...]  # codes of the company's own places from its address or row
    trade: str
    industry: tuple[str, ...]
    form: str  # joint_stock | limited | company | ""
    core: str = ""  # the name without place and legal form: trade name and descriptors

    @property
    def trade_keys(self) -> tuple[str, ...]:
        """Pinyin keys of the trade name and of the first 2–4 characters of the name's core."""
        return tuple(key_chars(self))

    @property
    def primary_key(self) -> str:
        """The trade name's own pinyin (its first reading), or "" when there is none."""
        keys = trade_keys(self.trade)
        return keys[0] if keys else ""

    @property
    def own_places(self) -> frozenset[str]:
        """Codes of every place the company may be named with: its own and their parents."""
        return _own_places(self.places, self.home)


@lru_cache(maxsize=20_000)
def _own_places(names: tuple[str, ...], home: tuple[str, ...]) -> frozenset[str]:
    codes = set(names) | set(home)
    places = cn_places.table().by_code
    for code in list(codes):
        if code in places:
            codes.update(places[code].parents)
    return frozenset(codes)


def _clean(text: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", text)).replace(" ", "")


def _peel_places(text: str, found: list[str]) -> str:
    """Take place names off the front of a name: 广东省惠州市惠阳区聚能 → 聚能."""
    while True:
        places, size = cn_places.zh_prefix(text)
        if not size or len(text) - size < 1:
            return text
        found.append(places[0].code)
        text = text[size:]


@lru_cache(maxsize=4096)
def parse_zh(name_zh: str, home: str = "") -> ZhName:
    """Parse a Chinese legal name; `home` (an address, or "省/市") gives the company's place."""
    text = _clean(name_zh)
    form = ""
    for suffix, kind in LEGAL_FORMS:
        if text.endswith(suffix):
            text, form = text[: -len(suffix)], kind
            break
    places: list[str] = []
    extra: list[str] = []
    for inner in _BRACKET.findall(text):
        where = cn_places.zh_place(inner) or cn_places.zh_place(cn_places.strip_suffix(inner))
        if where:
            places.append(where[0].code)
        elif inner in industry_zh.table():
            extra.append(inner)  # 亚泰(集团): a descriptor written in brackets
    text = _BRACKET.sub("", text)
    text = _peel_places(text.removeprefix("中国"), places)
    trade, industry = industry_zh.split_suffix(text)
    trade, industry = _trailing_place(trade, industry, places)
    core = trade + "".join(industry)
    return ZhName(
        name_zh,
        tuple(dict.fromkeys(places)),
        home_places(home),
        trade,
        industry + tuple(extra),
        form,
        core,
    )


@lru_cache(maxsize=20_000)
def key_chars(zh: ZhName) -> dict[str, int]:
    """Each pinyin key of the name with how many characters of its core it spells.

    A Chinese trade name (字号) is usually the first two to four characters; English names
    often spell only those and translate or drop the rest, so each such prefix is a key. A
    run of Latin letters ("TCL") counts as one character.
    """
    core = zh.core if zh.core.startswith(zh.trade) else zh.trade
    units = _UNIT.findall(core)
    trade_units = len(_UNIT.findall(zh.trade))
    sizes = {trade_units} | {n for n in (2, 3, 4) if n <= len(units)}
    if units and _LATIN.fullmatch(units[0]):
        sizes.add(1)
    out: dict[str, int] = {}
    # Read the longest prefix once when each prefix's reading is a slice of it (see
    # matcher/pinyin_fast.py): a prefix of such text reads character by character too.
    longest = "".join(units[: max(sizes)])
    whole = len(longest) == max(sizes) and per_character(longest)
    read = [s.lower() for s in syllables(longest)] if whole else []
    for size in sorted(sizes, reverse=True):
        text = "".join(units[:size])
        if not text:
            continue
        for key in _keys_of(text, read[:size]) if whole else trade_keys(text):
            out.setdefault(key, len(text))
    return out


def _trailing_place(
    trade: str, industry: tuple[str, ...], places: list[str]
) -> tuple[str, tuple[str, ...]]:
    """A place written after the trade name (中海油惠州石化 → 中海油 + 惠州) is a place too."""
    for size in range(len(trade) - 2, 1, -1):
        where = cn_places.zh_place(trade[-size:])
        if where and where[0].level != "county":
            places.append(where[0].code)
            more, words = industry_zh.split_suffix(trade[:-size])
            return more, words + industry
    return trade, industry


def home_places(home: str) -> tuple[str, ...]:
    """Codes of the places an address or a "广东/深圳市" row names, from its start."""
    codes: list[str] = []
    for part in re.split(r"[/,，\s]+", _clean(home) if home else ""):
        rest = part
        while rest:
            places, size = cn_places.zh_prefix(rest)
            if not size:
                whole = cn_places.zh_place(rest) or cn_places.zh_place(cn_places.strip_suffix(rest))
                codes += [whole[0].code] if whole else []
                break
            codes.append(places[0].code)
            rest = rest[size:]
    if not codes and home:
        # A development zone the table lacks (仲恺高新区): the bureau's own district words.
        for prefix, kind in hz_places.ZH_PREFIXES:
            if kind == "hz" and _clean(home).startswith(prefix):
                found = cn_places.zh_place("惠州市")
                codes += [found[0].code] if found else []
                break
    return tuple(dict.fromkeys(codes))


@lru_cache(maxsize=20_000)
def trade_keys(trade: str) -> tuple[str, ...]:
    """Joined toneless pinyin of a trade name: the phrase reading, then common other readings."""
    if not trade:
        return ()
    return _keys_of(trade, [s.lower() for s in syllables(trade)])


def _keys_of(trade: str, first: list[str]) -> tuple[str, ...]:
    """trade_keys of `trade` given its phrase reading `first`."""
    # Only characters whose second reading is common in names (长 cháng/zhǎng, 重, 行 …).
    options = [[syl] for syl in first]
    if len(first) == len(trade):
        for i, ch in enumerate(trade):
            if ch in POLYPHONES:
                options[i] = list(dict.fromkeys([first[i], *_readings(ch)]))[:2]
    keys = []
    for combo in product(*options):
        key = re.sub(r"[^a-z0-9]", "", "".join(combo))
        if key:
            keys.append(key)
        if len(keys) >= MAX_READINGS:
            break
    return tuple(dict.fromkeys(keys))


@lru_cache(maxsize=64)
def _readings(ch: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    return tuple(pinyin(ch, style=Style.NORMAL, heteronym=True)[0])


@lru_cache(maxsize=20_000)
def typo_keys(key: str) -> tuple[str, ...]:
    """The key with one letter deleted at each place (symmetric-delete typo lookup), 6+ letters."""
    if len(key) < 6:
        return ()
    return tuple(dict.fromkeys(key[:i] + key[i + 1 :] for i in range(len(key))))


@lru_cache(maxsize=50_000)
def toned(trade: str) -> str:
    """The trade name's pinyin with tone marks, syllable by syllable ("jù néng")."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(s for s in lazy_pinyin(trade, style=Style.TONE) if s.strip())


def place_label(code: str) -> tuple[str, str]:
    """The English and Chinese names of a place code ("Huizhou", "惠州市")."""
    place = cn_places.table().by_code[code]
    return place.pinyin.title(), place.name


def derived_english(zh: ZhName) -> str:
    """The English legal name a company would most likely use, derived from its Chinese name."""
    words = [place_label(code)[0] for code in zh.places]
    words += [" ".join(p.title() for p in _syllables(zh.trade))] if zh.trade else []
    for word in zh.industry:
        words.append(" ".join(w.title() for w in industry_zh.table()[word][0]))
    words.append("Co., Ltd." if zh.form in ("limited", "joint_stock") else "Co.")
    return " ".join(w for w in words if w)


def _syllables(trade: str) -> list[str]:
    latin = _LATIN.fullmatch(trade)
    if latin:
        return [trade]
    joined = "".join(syllables(trade))
    return [joined] if not CJK.search(joined) else [trade]


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
