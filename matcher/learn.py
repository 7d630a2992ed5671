"""Learning English names safely: candidate companies for a "local" party, and name guards.

A party that says Huizhou but fits no registry name gets a ranked list of registry companies whose
Chinese legal name it may transliterate or translate; an analyst links it with one command. Before
a party string becomes a company's name it is checked: it must not name another place, a person,
or the company's group rather than the Huizhou company itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from matcher.normalize import CJK, GENERIC, parse_name
from matcher.registry import Registry, group_head
from matcher.types import Company

# The descriptors exporters put in their English names, by the Chinese words they translate.
INDUSTRY_WORDS = {
    "电池": ("battery", "batteries"),
    "电子": ("electronic", "electronics"),
    "科技": ("technology", "tech", "science"),
    "技术": ("technology", "tech"),
    "实业": ("industrial", "industry", "industries"),
    "照明": ("lighting",),
    "锂能": ("lithium",),
    "锂电": ("lithium",),
    "塑胶": ("plastic", "plastics"),
    "塑料": ("plastic", "plastics"),
    "电器": ("electric", "electrical", "appliance", "appliances"),
    "能源": ("energy",),
    "通信": ("communication", "communications"),
    "通讯": ("communication", "communications"),
    "光电": ("optoelectronic", "optoelectronics", "photoelectric"),
    "化工": ("chemical", "chemicals"),
    "五金": ("hardware", "metal"),
    "精密": ("precision",),
    "汽车": ("automotive", "auto"),
    "智能": ("intelligent", "smart"),
    "电路": ("circuit", "circuits"),
    "材料": ("material", "materials"),
    "贸易": ("trading", "trade"),
    "制品": ("products", "product"),
    "工业": ("industrial", "industry"),
    "电机": ("motor", "motors"),
    "玩具": ("toy", "toys"),
    "家具": ("furniture",),
    "纺织": ("textile", "textiles"),
    "鞋业": ("shoes", "footwear"),
}
SURNAMES = frozenset(
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng "
    "liang xie song tang han feng deng cao peng zeng xiao tian dong yuan pan cai jiang yu du ye "
    "cheng wei su lu ding ren shen yao fan fang shi tan liao zou xiong jin hao kong bai cui kang "
    "mao qiu qin gu hou shao meng long wan duan lei qian yin yi chang qiao lai gong wen ou".split()
)


@dataclass(frozen=True)
class LinkCandidate:
    """A registry company a local party may be, with the agreements that rank it."""

    company_id: str
    name_zh: str
    score: float
    reasons: tuple[str, ...]


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    return frozenset(
        to_normal(p) for v in pinyin_dict.values() for p in v.split(",") if to_normal(p).isalpha()
    )


def is_pinyin(word: str) -> bool:
    """True when a word splits into Mandarin syllables ("zhongwei" = zhong + wei)."""
    syllables = _syllables()
    ok = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        ok[end] = any(ok[s] and word[s:end] in syllables for s in range(max(0, end - 6), end))
    return ok[-1]


def looks_like_person(text: str) -> bool:
    """A Chinese personal name in pinyin ("Zhongwei Wu", "Wu Zhongwei"), not a company."""
    norm = parse_name(text)
    words = re.findall(r"[a-z]+", text.lower())
    if norm.forms or norm.hz_places or not 2 <= len(words) <= 3 or len(words) != len(norm.tokens):
        return False
    if any(w in GENERIC for w in words):
        return False
    return all(is_pinyin(w) for w in words) and (words[0] in SURNAMES or words[-1] in SURNAMES)


def name_problem(registry: Registry, company: Company, text: str) -> str:
    """Why a party string must not become this company's name, or '' when it may."""
    norm = parse_name(text)
    if not norm.tokens and not CJK.search(text):
        return "没有可识别的名称 no identity words"
    if norm.other_places:
        return f"含其他地名 names another place: {', '.join(norm.other_places)}"
    if norm.foreign_forms and not norm.hz_places:
        return f"外国法律形式 foreign legal form: {', '.join(norm.foreign_forms)}"
    if looks_like_person(text):
        return "像是人名 looks like a person's name, not a company"
    head = group_head(company.parent_group).lower()
    own = parse_name(company.name_en or company.name_zh)
    words = set(norm.text.split())
    if head and head in words | {norm.text} and own.hz_places and not norm.hz_places:
        return (
            f"指集团而非惠州企业 names the group {group_head(company.parent_group)!r}, "
            "not the Huizhou company (no Huizhou place word)"
        )
    for group in registry.foreign_groups:
        if group.lower() in words and not norm.hz_places:
            return f"外国集团 names the foreign group {group!r}"
    return ""


def _transliterated(token: str, name_zh: str) -> str:
    """The run of Chinese characters whose pinyin spells the token, or ''."""
    from pypinyin import lazy_pinyin

    chars = [c for c in name_zh if CJK.match(c)]
    sounds = lazy_pinyin("".join(chars))
    for start in range(len(chars)):
        spelled = ""
        for end in range(start, min(len(chars), start + 5)):
            spelled += sounds[end]
            if spelled == token:
                return "".join(chars[start : end + 1])
            if not token.startswith(spelled):
                break
    return ""


def rank_candidates(registry: Registry, party: str, limit: int = 5) -> list[LinkCandidate]:
    """Registry companies a local party may be: trade-name pinyin, industry and district agree."""
    from pypinyin import lazy_pinyin

    norm = parse_name(party)
    tokens = [t for t in norm.tokens if t.isascii()]
    joined = ["".join(tokens[i : i + 2]) for i in range(len(tokens) - 1)]
    out = []
    for company in registry.companies:
        if not company.name_zh:
            continue
        reasons, score = [], 0.0
        for token in dict.fromkeys(tokens + joined):
            if token in GENERIC or len(token) < 4:
                continue
            chars = _transliterated(token, company.name_zh)
            if chars and not any(chars in zh or zh in chars for zh in INDUSTRY_WORDS):
                reasons.append(f"{token} = {chars} ({' '.join(lazy_pinyin(chars))})")
                score += 0.6
                break
        for zh, english in INDUSTRY_WORDS.items():
            if zh in company.name_zh and set(english) & set(norm.text.split()):
                reasons.append(f"{english[0]} = {zh}")
                score += 0.2
                break
        district = "".join(lazy_pinyin(company.district))
        said = [p.replace(" ", "") for p in norm.hz_places if p != "huizhou"]
        place = next((p for p in said if district.startswith(p)), "")
        if place:
            reasons.append(f"{place} = {company.district}")
            score += 0.2
        if score >= 0.6:
            out.append(LinkCandidate(company.id, company.name_zh, round(score, 2), tuple(reasons)))
    out.sort(key=lambda c: (-c.score, c.company_id))
    return out[:limit]
