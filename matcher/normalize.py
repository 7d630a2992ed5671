"""Name normalisation: canonical text, legal forms, place words, Chinese names and pinyin."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from matcher import places
from matcher.simplified import CJK, to_simplified, without_accents

# Dots and apostrophes vanish so that "T.C.L." is "tcl", "Co." is "co" and "Int’l" is "intl".
_DROP = re.compile(r"[.'’`´]")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_HAN}]+|[^\W_{_HAN}]+")
# "lntelligent": a lower-case L standing in for an I; no English word starts with "ln".
_HOMOGLYPH = re.compile(r"\bln(?=[a-z])")
# The same for ASCII text, without regular-expression classes (most party names).
_ASCII_DROP = str.maketrans("", "", ".'`")
_ASCII_WORD = re.compile(r"[a-z0-9]+")

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
# Spellings of one legal form: "Co., Ltd." is "Company Limited", "Corp." is "Corporation".
FORM_FAMILY = {
    "company": ("co",),
    "limited": ("ltd",),
    "corporation": ("corp",),
    "incorporated": ("inc",),
    "股份有限公司": ("co", "ltd"),
    "有限责任公司": ("co", "ltd"),
    "有限公司": ("co", "ltd"),
    "公司": ("co",),
}
FILLER = frozenset({"the", "of", "and"})
# Industry words: a name made only of these (once places are set aside) identifies no one.
GENERIC = frozenset(
    "technology electronic electrical industrial industry communication equipment battery plastic "
    "product precision mould mold intelligent lighting new energy optoelectronic material chemical "
    "holding group international trading trade development science smart digital power display "
    "manufacturing factory enterprise import export appliance machinery metal hardware textile "
    "garment auto automotive network software information service logistic supply chain "
    "petrochemical lithium wireless audio acoustic circuit semiconductor".split()
)


@lru_cache(maxsize=50_000)
def canonical(text: str) -> str:
    """Unicode-normalised, Simplified, case-folded text with one space between words."""
    if text.isascii():
        # ASCII needs neither Unicode normalisation nor OpenCC, and its words are [a-z0-9]+.
        joined = " ".join(_ASCII_WORD.findall(text.lower().translate(_ASCII_DROP)))
        return _HOMOGLYPH.sub("in", joined) if "ln" in joined else joined
    else:
        text = to_simplified(unicodedata.normalize("NFKC", text))
        # Accents carry no identity in a romanised name ("Société" is "societe").
        text = without_accents(text)
        text = unicodedata.normalize("NFKC", text.casefold())
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
    def generic(self) -> bool:
        """True when every identity word is an industry word ("Communication Equipment")."""
        return all(t in GENERIC for t in self.tokens)

    @property
    def distinctive(self) -> tuple[str, ...]:
        """The identity words that are not industry words ("EVE Energy" → ("eve",))."""
        return tuple(t for t in self.tokens if t not in GENERIC)

    @property
    def form_family(self) -> frozenset[str]:
        """The legal form with its spellings merged ("Company Limited" → {"co", "ltd"})."""
        return frozenset(w for f in self.forms for w in FORM_FAMILY.get(f, (f,)))

    @property
    def legal_form(self) -> bool:
        """True when the name carries a legal form."""
        return bool(self.forms)

    @property
    def foreign_forms(self) -> tuple[str, ...]:
        """Legal forms no Chinese company uses (GmbH, LLC, S.A. de C.V. …)."""
        if FOREIGN_FORMS.isdisjoint(self.forms):
            return ()  # the common case, asked for every candidate: no loop
        return tuple(f for f in self.forms if f in FOREIGN_FORMS)

    @property
    def key(self) -> str:
        """The identity tokens joined by spaces: equal keys mean the same name."""
        return " ".join(self.tokens)


def _split_cjk(run: str, hz: list[str], other: list[str], forms: list[str]) -> str:
    """Strip Chinese legal suffixes and place prefixes from one run of Chinese characters."""
    if run in ZH_LEGAL:
        forms.append(run)  # "（惠州）有限公司": the suffix stands alone after a bracket
        return ""
    stripped = True
    while stripped:
        stripped = False
        for suffix in ZH_LEGAL:
            if run.endswith(suffix) and len(run) > len(suffix):
                run, stripped = run[: -len(suffix)], True
                forms.append(suffix)
                break
    prefixes, sizes = _zh_prefixes()
    while run:
        # The first prefix in ZH_PREFIXES order that applies, found by dict look-ups.
        best = None
        for size in sizes:
            found = prefixes.get(run[:size])
            if found and (len(run) > size or found[1] != "neutral"):
                if best is None or found[0] < best[0]:
                    best = found
        if best is None:
            break
        _, kind, prefix = best
        (hz if kind == "hz" else other if kind == "other" else []).append(prefix)
        run = run[len(prefix) :]
    return run


@lru_cache(maxsize=1)
def _zh_prefixes() -> tuple[dict[str, tuple[int, str, str]], tuple[int, ...]]:
    """Chinese place prefixes by text, with their rank in places.ZH_PREFIXES, and their sizes."""
    table: dict[str, tuple[int, str, str]] = {}
    for i, (prefix, kind) in enumerate(places.ZH_PREFIXES):
        table.setdefault(prefix, (i, kind, prefix))
    return table, tuple(sorted({len(p) for p in table}))


def _fold_phrases(tokens: list[str], hz: list[str], other: list[str]) -> list[str]:
    """Two-word places left adjacent once a word between them was removed ("Hong … Kong")."""
    i = 0
    while i + 1 < len(tokens):
        pair = f"{tokens[i]} {tokens[i + 1]}"
        if pair in places.EN_PHRASES:
            kind, word = places.EN_PHRASES[pair]
            (hz if kind == "hz" else other).append(word)
            del tokens[i : i + 2]
            i = max(0, i - 1)
        else:
            i += 1
    return tokens


_HZ, _OTHER, _FORM, _DROPPED, _WORD = range(5)


@lru_cache(maxsize=1)
def _phrase_firsts() -> frozenset[str]:
    """First words of the two-word places ("hong" of "hong kong")."""
    return frozenset(p.split()[0] for p in places.EN_PHRASES)


@lru_cache(maxsize=200_000)
def _word_role(tok: str) -> tuple[int, str]:
    """What one Latin word of a name is: a Huizhou place, another place, a legal form, a word
    that carries nothing, or an identity word (with the text kept for it)."""
    word = stem(ABBREVIATIONS.get(tok, tok))
    if tok in places.EN_HZ or word in places.EN_HZ:
        return _HZ, places.EN_HZ.get(tok) or places.EN_HZ[word]
    if tok in places.EN_OTHER or word in places.EN_OTHER:
        return _OTHER, places.EN_OTHER.get(tok) or places.EN_OTHER[word]
    if tok in LEGAL_ANYWHERE or word in LEGAL_ANYWHERE:
        return _FORM, tok
    if tok in places.EN_NEUTRAL or word in FILLER:
        return _DROPPED, word
    return _WORD, word


def parse_name_uncached(text: str, stop_words: frozenset[str] = frozenset()) -> NormName:
    """Normalise a company name: identity tokens, Huizhou and other place words, legal form."""
    canon = canonical(text)
    raw = canon.split()
    hz: list[str] = []
    other: list[str] = []
    tokens: list[str] = []
    forms: list[str] = []
    i = 0
    firsts = _phrase_firsts()
    while i < len(raw):
        tok = raw[i]
        if tok in firsts and i + 1 < len(raw):
            pair = f"{tok} {raw[i + 1]}"
            if pair in places.EN_PHRASES:
                kind, word = places.EN_PHRASES[pair]
                (hz if kind == "hz" else other).append(word)
                i += 2
                continue
        i += 1
        if CJK.match(tok):
            core = _split_cjk(tok, hz, other, forms)
            if core:
                tokens.append(core)
            continue
        role, word = _word_role(tok)
        if role == _HZ:
            hz.append(word)
        elif role == _OTHER:
            other.append(word)
        elif role == _FORM:
            forms.append(word)
        elif role == _WORD and word not in stop_words:
            tokens.append(word)
    tokens = _fold_phrases(tokens, hz, other)
    while tokens and tokens[-1] in LEGAL_TRAILING and len(tokens) > 1:
        forms.append(tokens.pop())
    return NormName(canon, tuple(tokens), tuple(hz), tuple(other), tuple(forms))


parse_name = lru_cache(maxsize=100_000)(parse_name_uncached)


@lru_cache(maxsize=20_000)
def parse_location(text: str, stop_words: frozenset[str] = frozenset()) -> NormName:
    """A stated location parsed like a name, plus US states ("San Diego, CA") as other places."""
    norm = parse_name(text, stop_words)
    states = places.us_states(text)
    if not states:
        return norm
    return replace(norm, other_places=norm.other_places + states)


def forget_words() -> None:
    """Empty the word caches after reading a registry: its words are read once, and the
    caches (a few hundred thousand entries) are for party names, read again and again."""
    canonical.cache_clear()
    _word_role.cache_clear()
    parse_name.cache_clear()


def key_of(text: str, stop_words: frozenset[str] = frozenset()) -> str:
    """The identity key of a name (see NormName.key)."""
    return parse_name(text, stop_words).key


def has_legal_form(text: str) -> bool:
    """True when the name carries a legal form (Co., Ltd., Inc., 有限公司 …)."""
    return parse_name_uncached(text).legal_form


@lru_cache(maxsize=50_000)
def pinyin_keys(token: str) -> tuple[str, ...]:
    """Toneless pinyin of a Chinese trade name's first 2, 3 and 4 characters (weak evidence)."""
    if not CJK.match(token):
        return ()
    from matcher.pinyin_fast import syllables as read

    syllables = read(token)
    keys = {"".join(syllables[:n]) for n in (2, 3, 4) if n <= len(syllables)}
    return tuple(sorted(k for k in keys if len(k) >= 6 and k.isascii()))
