"""Place words: Huizhou and its districts, neutral regions, and places that are not Huizhou."""

from __future__ import annotations

from typing import Literal

PlaceKind = Literal["hz", "other", "neutral"]

# Huizhou and its districts as courts and registries spell them (after case folding).
EN_HZ = {
    "huizhou": "huizhou",
    "huiyang": "huiyang",
    "huicheng": "huicheng",
    "boluo": "boluo",
    "huidong": "huidong",
    "longmen": "longmen",
    "dayawan": "dayawan",
    "zhongkai": "zhongkai",
}
# Places that, added to a group's name, mark an affiliate elsewhere rather than the Huizhou entity.
EN_OTHER = {
    w: w
    for w in (
        "shenzhen dongguan guangzhou zhuhai foshan shanghai beijing qingdao nanjing wuhan "
        "beihai fujian ningbo jiangxi ningde xiamen chengdu suzhou hangzhou tianjin chongqing "
        "kunshan hefei changsha shantou zhongshan jiangmen hk kowloon shatin vietnam mexico "
        "bvi usa us america korea korean japan japanese taiwan singapore india indonesia "
        "thailand malaysia philippines germany netherlands uk france italy spain poland "
        "brazil canada australia europe cayman bermuda macau"
    ).split()
}
EN_PHRASES: dict[str, tuple[PlaceKind, str]] = {
    "hui zhou": ("hz", "huizhou"),
    "hui yang": ("hz", "huiyang"),
    "daya bay": ("hz", "dayawan"),
    "hong kong": ("other", "hong kong"),
    "sha tin": ("other", "shatin"),
    "north america": ("other", "north america"),
    "united states": ("other", "united states"),
    "virgin islands": ("other", "bvi"),
    "south korea": ("other", "korea"),
}
# Administrative words and the home province carry no identity and no conflict.
EN_NEUTRAL = frozenset({"city", "district", "province", "county", "guangdong", "prc"})

_ZH_HZ = (
    "惠州市 惠州 惠阳区 惠阳 惠城区 惠城 博罗县 博罗 惠东县 惠东 龙门县 龙门 "
    "大亚湾区 大亚湾 仲恺高新区 仲恺"
)
_ZH_OTHER = (
    "深圳市 深圳 东莞市 东莞 广州市 广州 珠海市 珠海 佛山市 佛山 上海市 上海 北京市 北京 香港 澳门 "
    "江西省 江西 福建省 福建 宁德市 宁德 越南 墨西哥 美国 韩国 日本 台湾"
)
# Longest first, so 惠州市 is taken before 惠州.
ZH_PREFIXES: tuple[tuple[str, PlaceKind], ...] = tuple(
    sorted(
        [(w, "hz") for w in _ZH_HZ.split()]
        + [(w, "other") for w in _ZH_OTHER.split()]
        + [(w, "neutral") for w in ("广东省", "广东", "中国")],
        key=lambda p: -len(p[0]),
    )
)

FOREIGN_COUNTRIES = frozenset(
    "korea japan france germany usa america netherlands italy spain uk switzerland sweden "
    "finland taiwan singapore".split()
)


SPELLED = {"hk": "Hong Kong", "bvi": "BVI", "usa": "USA", "us": "US", "uk": "UK"}


def describe(words: tuple[str, ...] | list[str]) -> str:
    """Place words for an explanation, e.g. 'Hong Kong, Vietnam'."""
    return ", ".join(sorted({SPELLED.get(w, w.title() if w.isascii() else w) for w in words}))
