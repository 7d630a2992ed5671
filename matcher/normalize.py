"""Name normalisation: canonical text, legal forms, place words, Chinese names and pinyin."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from matcher import places

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Dots and apostrophes vanish so that "T.C.L." is "tcl", "Co." is "co" and "Int’l" is "intl".
_DROP = re.compile(r"[.'’`´]")
_TOKEN = re.compile(r"[a-z0-9]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# "lntelligent": a lower-case L standing in for an I; no English word starts with "ln".
_HOMOGLYPH = re.compile(r"\bln(?=[a-z])")

# Legal forms anywhere in a name carry no identity.
LEGAL_ANYWHERE = frozenset(
    "co ltd limited company corp corporation inc incorporated llc plc gmbh ulc oy llp lp "
    "pte pty srl sarl spa bv nv kk ab".split()
)
# These only count as legal form at the end of a name ("S.A. de C.V.", "S de RL de CV").
LEGAL_TRAILING = frozenset("sa de cv rl s ag a".split())
FOREIGN_FORMS = frozenset(
    "llc gmbh ulc oy llp lp pty pte srl sarl spa bv nv kk ab sa cv rl ag plc".split()
)
ZH_LEGAL = ("股份有限公司", "有限责任公司", "有限公司", "公司")
ABBREVIATIONS = {
    "tech": "technology",
    "techs": "technology",
    "intl": "international",
    "commcn": "communication",
    "commcns": "communication",
    "comms": "communication",
    "mfg": "manufacturing",
    "hldgs": "holding",
    "grp": "group",
    "elec": "electronic",
}
FILLER = frozenset({"the", "of", "and"})


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters converted to Simplified (other text unchanged)."""
    return _t2s().convert(text) if CJK.search(text) else text


def canonical(text: str) -> str:
    """Unicode-normalised, Simplified, case-folded text with one space between words."""
    text = unicodedata.normalize("NFKC", text)
    text = unicodedata.normalize("NFKC", to_simplified(text).casefold())
    return _HOMOGLYPH.sub("in", " ".join(_TOKEN.findall(_DROP.sub("", text))))


def stem(token: str) -> str:
    """A crude English singular ("technologies" → "technology", "electronics" → "electronic")."""
    if len(token) <= 4 or not token.isascii():
        return token
    if token.endswith("ies"):
        return token[:-3] + "y"
    if token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


@dataclass(frozen=True, slots=True)
class NormName:
    """A name reduced to its identity tokens, with the place words and legal form set aside."""

    text: str
    tokens: tuple[str, ...]
    hz_places: tuple[str, ...]
    other_places: tuple[str, ...]
    forms: tuple[str, ...]

    @property
    def legal_form(self) -> bool:
        """True when the name carries a legal form."""
        return bool(self.forms)

    @property
    def foreign_forms(self) -> tuple[str, ...]:
        """Legal forms no Chinese company uses (GmbH, LLC, S.A. de C.V. …)."""
        return tuple(f for f in self.forms if f in FOREIGN_FORMS)

    @property
    def key(self) -> str:
        """The identity tokens joined by spaces: equal keys mean the same name."""
        return " ".join(self.tokens)


def _split_cjk(run: str, hz: list[str], other: list[str], forms: list[str]) -> str:
    """Strip Chinese legal suffixes and place prefixes from one run of Chinese characters."""
    for suffix in ZH_LEGAL:
        if run.endswith(suffix) and len(run) > len(suffix):
            run = run[: -len(suffix)]
            forms.append(suffix)
            break
    changed = True
    while changed and run:
        changed = False
        for prefix, kind in places.ZH_PREFIXES:
            if run.startswith(prefix) and (len(run) > len(prefix) or kind != "neutral"):
                (hz if kind == "hz" else other if kind == "other" else []).append(prefix)
                run, changed = run[len(prefix) :], True
                break
    return run


@lru_cache(maxsize=200_000)
def parse_name(text: str, stop_words: frozenset[str] = frozenset()) -> NormName:
    """Normalise a company name: identity tokens, Huizhou and other place words, legal form."""
    canon = canonical(text)
    raw = canon.split()
    hz: list[str] = []
    other: list[str] = []
    tokens: list[str] = []
    forms: list[str] = []
    i = 0
    while i < len(raw):
        tok = raw[i]
        pair = f"{tok} {raw[i + 1]}" if i + 1 < len(raw) else ""
        if pair in places.EN_PHRASES:
            kind, word = places.EN_PHRASES[pair]
            (hz if kind == "hz" else other).append(word)
            i += 2
            continue
        i += 1
        if tok in places.EN_HZ:
            hz.append(places.EN_HZ[tok])
        elif tok in places.EN_OTHER:
            other.append(places.EN_OTHER[tok])
        elif tok in places.EN_NEUTRAL:
            continue
        elif tok in LEGAL_ANYWHERE:
            forms.append(tok)
        elif CJK.match(tok):
            core = _split_cjk(tok, hz, other, forms)
            if core:
                tokens.append(core)
        else:
            tok = stem(ABBREVIATIONS.get(tok, tok))
            if tok not in FILLER and tok not in stop_words:
                tokens.append(tok)
    while tokens and tokens[-1] in LEGAL_TRAILING and len(tokens) > 1:
        forms.append(tokens.pop())
    return NormName(canon, tuple(tokens), tuple(hz), tuple(other), tuple(forms))


def key_of(text: str, stop_words: frozenset[str] = frozenset()) -> str:
    """The identity key of a name (see NormName.key)."""
    return parse_name(text, stop_words).key


def has_legal_form(text: str) -> bool:
    """True when the name carries a legal form (Co., Ltd., Inc., 有限公司 …)."""
    return parse_name(text).legal_form


@lru_cache(maxsize=50_000)
def pinyin_keys(token: str) -> tuple[str, ...]:
    """Toneless pinyin of a Chinese trade name's first 2, 3 and 4 characters (weak evidence)."""
    if not CJK.match(token):
        return ()
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(token)
    keys = {"".join(syllables[:n]) for n in (2, 3, 4) if n <= len(syllables)}
    return tuple(sorted(k for k in keys if len(k) >= 6 and k.isascii()))
