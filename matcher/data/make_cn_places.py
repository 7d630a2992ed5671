"""Regenerate cn_places.tsv: every Chinese province, prefecture-level city and county with pinyin.

Source: the administrative-division codes shipped with cpca 0.5.5 (MIT licence,
https://pypi.org/project/cpca/0.5.5/, file cpca/resources/adcodes.csv). Run:
    python matcher/data/make_cn_places.py path/to/adcodes.csv > matcher/data/cn_places.tsv
"""

from __future__ import annotations

import csv
import re
import sys

from pypinyin import lazy_pinyin

# The few places whose usual English spelling is not their toneless pinyin.
SPELLING = {
    "陕西": "shaanxi",
    "西藏": "tibet",
    "内蒙古": "inner mongolia",
    "香港": "hong kong",
    "澳门": "macau",
    "哈尔滨": "harbin",
    "乌鲁木齐": "urumqi",
    "呼和浩特": "hohhot",
    "长治": "changzhi",
    "朝阳": "chaoyang",
    "漯河": "luohe",
    "蚌埠": "bengbu",
    "六安": "luan",
}
_SUFFIX = re.compile(
    r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|新区|林区|省|市|区|县|旗|盟)$"
)
# Ethnic names before 自治 (延边朝鲜族自治州 → 延边): the 56 nationalities, longest first.
NATIONS = sorted(
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 "
    "怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺".split(),
    key=len,
    reverse=True,
)
LEVELS = {0: "province", 1: "city", 2: "county"}


def short(name: str) -> str:
    """The name without its administrative suffix (内蒙古自治区 → 内蒙古)."""
    stripped = _SUFFIX.sub("", name)
    if name.endswith(("自治区", "自治州", "自治县", "自治旗")):
        changed = True
        while changed:
            changed = False
            for nation in NATIONS:
                for word in (nation + "族", nation):
                    if stripped.endswith(word) and len(stripped) - len(word) >= 2:
                        stripped, changed = stripped[: -len(word)], True
                        break
                if changed:
                    break
    return stripped if len(stripped) >= 2 else name


def main(path: str) -> None:
    """Print the table as TSV: adcode, level, full name, short name, pinyin."""
    with open(path, encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: r["adcode"])
    print("code\tlevel\tname\tshort\tpinyin")
    for row in rows:
        code, name = row["adcode"], row["name"]
        if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        level = 0 if code.endswith("0" * 10) else 1 if code.endswith("0" * 8) else 2
        if not code.endswith("0" * 6):
            continue
        brief = short(name)
        # Read the full name so that the phrase dictionary picks the place reading (长治 chang).
        spelled = SPELLING.get(brief) or "".join(lazy_pinyin(name)[: len(brief)])
        print(f"{code[:6]}\t{LEVELS[level]}\t{name}\t{brief}\t{spelled}")


if __name__ == "__main__":
    main(sys.argv[1])
