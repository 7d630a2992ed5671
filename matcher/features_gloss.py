"""A translated English name read against a Chinese legal name, word by word (CC-CEDICT)."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from matcher import industry_zh
from matcher.features_zh import build_reading, party_words, sort_words
from matcher.gloss import MAY_OMIT_EN, STOP, align, gloss_core
from matcher.names_zh import ZhName, toned
from matcher.normalize import ABBREVIATIONS, LEGAL_ANYWHERE, stem
from matcher.types import Evidence
from matcher.verdict_zh import Reading

# Optional words that do stand for a word of the name (中国, 华, 国际).
RENDERS_A_WORD = frozenset({"china", "chinese", "international"})


def _content(words: list[str]) -> tuple[str, ...]:
    """The words a translation renders (all but "Hi" of "Hi-Tech")."""
    out = []
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word in ("hi", "high") and following.startswith("tech"):
            continue
        if word in MAY_OMIT_EN and word not in RENDERS_A_WORD:
            continue  # "Group", "Holdings": organisation words, never a word of the name
        out.append(ABBREVIATIONS.get(word, word))
    return tuple(out)


@lru_cache(maxsize=50_000)
def read_gloss(text: str, location: str, zh: ZhName) -> Reading:
    """Line a translated party name up with a Chinese legal name, word by word."""
    words = party_words(text)
    found = sort_words(words, location, zh)
    content = _content(found.content)
    core = gloss_core(zh)
    # Place words ("Anhui", "China") may also render a short word of the name (皖, 华).
    optional = tuple(
        w
        for w in words
        if w not in content
        and w not in LEGAL_ANYWHERE
        and (w not in MAY_OMIT_EN or w in RENDERS_A_WORD)
    )
    alignment = align(content, core, optional)
    base = build_reading(zh, [], 0, "gloss", found.named, found.other, [], found.forms)
    trade_size = len(zh.trade) if core.startswith(zh.trade) and zh.trade else len(core)
    weak = industry_zh.WEAK
    rendered = [(en, cn) for en, cn, at in alignment.rendered if at < trade_size and en not in weak]
    parts = [f"{en.title()} = {cn} ({toned(cn)})" for en, cn, _ in alignment.rendered]
    # "Group", "China" or "Industry" may be added by a translator: not rendered is no conflict.
    unknown = tuple(
        w
        for w in alignment.unexplained
        if w not in MAY_OMIT_EN and w not in STOP and stem(w) not in weak
    )
    if unknown:
        parts.append("not in the registered name: " + " ".join(unknown))
    detail = (
        f"translated: {'; '.join(parts) or 'no word rendered'}; "
        f"{alignment.coverage:.0%} of {core} rendered (CC-CEDICT)"
    )
    trade = Evidence(0.7 if rendered else 0.0, detail)
    industry = Evidence(0.0, "industry words read with the translation")
    return replace(
        base,
        trade=trade,
        industry=industry,
        trade_state="gloss",
        industry_state="vacuous",
        unknown=unknown,
        coverage=alignment.coverage,
        rendered=len(rendered),
        trade_coverage=len([i for i in alignment.positions if i < trade_size]) / trade_size,
        lead_unknown=bool(content) and content[0] in unknown,
    )
