"""Free-text scan: registry names (spaCy PhraseMatcher) and Huizhou company mentions."""

from __future__ import annotations

import re
from typing import Any

from matcher.registry import Registry
from matcher.types import Party

_EN_FORM = r"(?:Co\.?,?\s*Ltd\.?|Company\s+Limited|Limited|Inc\.?|Corporation|Corp\.?)"
_HZ_EN = r"(?:Hui\s?[Zz]hou|HUI\s?ZHOU)"
_ZH_FORM = r"(?:股份有限公司|有限责任公司|有限公司)"
# "Huizhou Xyz Technology Co., Ltd." and "Xyz (Huizhou) Co., Ltd." and their Chinese forms.
MENTIONS = (
    re.compile(rf"\b{_HZ_EN}(?:\s+[A-Z][\w&\-]*){{1,8}},?\s+{_EN_FORM}"),
    re.compile(rf"\b[A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*){{0,7}}\s*\({_HZ_EN}\)\s*{_EN_FORM}"),
    re.compile(rf"(?:惠州|惠州市)[\u4e00-\u9fff]{{2,24}}?{_ZH_FORM}"),
    re.compile(rf"[\u4e00-\u9fff]{{2,16}}[（(]惠州[)）][\u4e00-\u9fff]{{0,12}}?{_ZH_FORM}"),
)


class TextScanner:
    """Finds registry names and Huizhou company names in news and other free text."""

    def __init__(self, registry: Registry) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher

        self.nlp = spacy.blank("xx")
        # Multi-word names match case-insensitively; one-word brands must match their case
        # exactly, so that "Eve" in a sentence is not EVE Energy.
        self.lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.orth = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        lower, orth = set(), set()
        self.zh: list[str] = []
        for company in registry.companies:
            for name in company.names:
                text = name.text.strip()
                if re.search(r"[\u4e00-\u9fff]", text):
                    if len(text) >= 3:
                        self.zh.append(text)
                elif len(text.split()) > 1:
                    lower.add(text)
                elif len(text) >= 3:
                    orth.add(text)
        tokenizer: Any = self.nlp.tokenizer
        self.lower.add("NAME", list(tokenizer.pipe(sorted(lower))))
        self.orth.add("BRAND", list(tokenizer.pipe(sorted(orth))))
        self.zh_pattern = (
            re.compile("|".join(re.escape(n) for n in sorted(self.zh, key=len, reverse=True)))
            if self.zh
            else None
        )

    def scan(self, text: str) -> list[Party]:
        """Parties named in the text, in order of appearance, each once."""
        from spacy.util import filter_spans

        doc = self.nlp.make_doc(text)
        spans = [doc[s:e] for _, s, e in self.lower(doc)] + [doc[s:e] for _, s, e in self.orth(doc)]
        found: list[tuple[int, int, str]] = [
            (sp.start_char, sp.end_char, sp.text) for sp in filter_spans(spans)
        ]
        patterns = [*MENTIONS, self.zh_pattern] if self.zh_pattern else list(MENTIONS)
        for pattern in patterns:
            found += [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        parties: list[Party] = []
        seen: set[str] = set()
        last_end = -1
        for start, end, name in found:
            if start < last_end:
                continue  # inside a longer mention already taken
            last_end = end
            if name not in seen:
                seen.add(name)
                parties.append(Party(" ".join(name.split()), "other"))
        return parties
