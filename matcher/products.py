"""Product-level advisories: an ITC product scope against the products of registered exporters."""

from __future__ import annotations

import re
from dataclasses import dataclass

from matcher.normalize import canonical, stem
from matcher.registry import Registry

# Scope boilerplate ("Certain …, Components Thereof, and Products Containing the Same").
SCOPE_STOP = frozenset(
    "certain component thereof product containing same method system apparatu device and of "
    "the for with use including related same having making same article thereof other type "
    "a an in to or same process kit".split()
)
# Words too broad to raise an advisory on their own.
WEAK = frozenset(
    "smart digital electronic electronics module intelligent technology home wireless "
    "equipment part accessory high new precision".split()
)
SYNONYMS = {
    "tv": ("television",),
    "tvs": ("television",),
    "smartphone": ("smartphone", "phone", "mobile"),
    "telephone": ("phone",),
    "handset": ("phone",),
    "cellular": ("mobile",),
    "li": (),
    "ion": (),
    "pcb": ("circuit", "board"),
    "lcd": ("display", "lcd"),
    "oled": ("display", "oled"),
    "panel": ("display", "panel"),
    "speaker": ("speaker", "loudspeaker"),
    "loudspeaker": ("speaker", "loudspeaker"),
    "headphone": ("headphone", "earbud"),
    "earbud": ("headphone", "earbud"),
}
MIN_SCORE = 1.0


@dataclass(frozen=True)
class ProductAdvisory:
    """A registered exporter whose products a general exclusion order in this scope could reach."""

    company_id: str
    words: tuple[str, ...]
    score: float


def product_words(text: str) -> frozenset[str]:
    """Product concepts in a text: singular, synonyms folded, boilerplate dropped."""
    words: set[str] = set()
    for token in re.split(r"[^a-z0-9]+", canonical(text.replace("-", " "))):
        if not token or token.isdigit():
            continue
        token = stem(token)
        if token in SCOPE_STOP:
            continue
        words.update(SYNONYMS.get(token, (token,)))
    return frozenset(words)


class ProductIndex:
    """Product words of every registered exporter, inverted for lookup by scope word."""

    def __init__(self, registry: Registry) -> None:
        self.by_word: dict[str, list[str]] = {}
        for company in registry.companies:
            for word in product_words(f"{company.products} {company.industry}"):
                self.by_word.setdefault(word, []).append(company.id)

    def advisories(self, scope: str, named_ids: set[str]) -> list[ProductAdvisory]:
        """Exporters not named in the case whose products share distinctive scope words."""
        shared: dict[str, list[str]] = {}
        for word in product_words(scope):
            for company_id in self.by_word.get(word, ()):
                if company_id not in named_ids:
                    shared.setdefault(company_id, []).append(word)
        out = []
        for company_id, words in shared.items():
            weight = sum(0.3 if w in WEAK else 1.0 for w in words)
            if weight >= MIN_SCORE:
                strong = len([w for w in product_words(scope) if w not in WEAK]) or 1
                out.append(
                    ProductAdvisory(company_id, tuple(sorted(words)), min(1.0, weight / strong))
                )
        return sorted(out, key=lambda a: (-a.score, a.company_id))
