"""Traditional to Simplified Chinese and accents removed, fast where the answer is known.

opencc-python-reimplemented converts a short name in ~30 µs; a million registry names pass
through it at build time. Text holding no character that any of its entries changes is
returned as it is (tests/test_pinyin_fast.py checks this against the converter).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s_changes() -> frozenset[str]:
    """Characters that Traditional-to-Simplified entries change: text with none stays as it is.

    For an entry rewritten letter for letter only the characters it replaces count; any other
    entry that changes its text counts with all its characters.
    """
    tables = getattr(_t2s(), "_dict_chain_data", None)
    if not tables:
        return frozenset()  # unknown dictionary layout: always convert (see to_simplified)
    changed: set[str] = set()
    for group in tables:
        for *_, table in group if isinstance(group, list) else [group]:
            for key, value in table.items():
                if key == value:
                    continue
                # Every changing entry's key must keep a character in the set; "情有獨鍾" →
                # "情有独钟 情有独锺" is marked by 獨 and 鍾, not by the common 有.
                first = value.split(" ")[0]
                differ = [k for k, v in zip(key, first, strict=False) if k != v]
                changed.update(differ if differ and len(first) == len(key) else key)
    return frozenset(changed)


def to_simplified(text: str) -> str:
    """Traditional Chinese characters converted to Simplified (other text unchanged)."""
    if not CJK.search(text):
        return text
    changes = _t2s_changes()
    # Text with no character any entry changes converts to itself: skip the slow converter.
    if changes and changes.isdisjoint(text):
        return text
    return _t2s().convert(text)


def without_accents(text: str) -> str:
    """Text in NFKD with every combining mark (accent) removed."""
    return unicodedata.normalize("NFKD", text).translate(_combining())


@lru_cache(maxsize=1)
def _combining() -> dict[int, None]:
    """A str.translate table deleting every combining mark (accents)."""
    return {cp: None for cp in range(0x110000) if unicodedata.combining(chr(cp))}
