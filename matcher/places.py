"""Place words: Huizhou and its districts, neutral regions, and places that are not Huizhou."""

from __future__ import annotations

import re
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
        "brazil canada australia europe cayman bermuda macau israel ireland sweden switzerland "
        "finland denmark norway austria belgium portugal greece czech hungary romania russia "
        "ukraine egypt nigeria kenya argentina chile colombia peru pakistan bangladesh uae "
        "dubai qatar luxembourg cambodia myanmar"
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
    "south africa": ("other", "south africa"),
    "new zealand": ("other", "new zealand"),
    "sri lanka": ("other", "sri lanka"),
    "saudi arabia": ("other", "saudi arabia"),
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


# US states: only read in a stated location, where "CA" or "Texas" cannot be part of a name.
US_STATES = {
    "AL": "alabama", "AK": "alaska", "AZ": "arizona", "AR": "arkansas", "CA": "california",
    "CO": "colorado", "CT": "connecticut", "DE": "delaware", "DC": "district of columbia",
    "FL": "florida", "GA": "georgia", "HI": "hawaii", "ID": "idaho", "IL": "illinois",
    "IN": "indiana", "IA": "iowa", "KS": "kansas", "KY": "kentucky", "LA": "louisiana",
    "ME": "maine", "MD": "maryland", "MA": "massachusetts", "MI": "michigan",
    "MN": "minnesota", "MS": "mississippi", "MO": "missouri", "MT": "montana",
    "NE": "nebraska", "NV": "nevada", "NH": "new hampshire", "NJ": "new jersey",
    "NM": "new mexico", "NY": "new york", "NC": "north carolina", "ND": "north dakota",
    "OH": "ohio", "OK": "oklahoma", "OR": "oregon", "PA": "pennsylvania", "RI": "rhode island",
    "SC": "south carolina", "SD": "south dakota", "TN": "tennessee", "TX": "texas",
    "UT": "utah", "VT": "vermont", "VA": "virginia", "WA": "washington",
    "WV": "west virginia", "WI": "wisconsin", "WY": "wyoming", "PR": "puerto rico",
}  # fmt: skip
_STATE_NAME = re.compile(
    r"\b(" + "|".join(sorted(US_STATES.values(), key=len, reverse=True)) + r")\b"
)
# "Irvine, CA 92618" or "CA": a two-letter code as a whole comma-separated part.
_STATE_CODE = re.compile(r"^\s*([A-Z]{2})\.?(?:\s+\d{5}(?:-\d{4})?)?\s*$")


def us_states(location: str) -> tuple[str, ...]:
    """US states named in a stated location ("San Diego, California", "Irvine, CA 92618")."""
    found = _STATE_NAME.findall(" ".join(location.lower().replace(".", "").split()))
    for part in location.split(","):
        code = _STATE_CODE.match(part)
        if code and code.group(1) in US_STATES:
            found.append(US_STATES[code.group(1)])
    return tuple(dict.fromkeys(found))


SPELLED = {"hk": "Hong Kong", "bvi": "BVI", "usa": "USA", "us": "US", "uk": "UK"}


def describe(words: tuple[str, ...] | list[str]) -> str:
    """Place words for an explanation, e.g. 'Hong Kong, Vietnam'."""
    return ", ".join(sorted({SPELLED.get(w, w.title() if w.isascii() else w) for w in words}))
