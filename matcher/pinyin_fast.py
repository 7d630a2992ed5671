"""Toneless pinyin of Chinese text, read character by character where that gives pypinyin's answer.

pypinyin reads a whole phrase through its phrase dictionary (slow: ~50 µs per name), and a
registry of a million names is read several times over. A character with a single reading in
pypinyin's dictionary reads the same inside any phrase (checked against every entry of its
phrase dictionary by tests/test_pinyin_fast.py), and outside a phrase every character takes
its first reading; so text whose phrases hold only such characters is read from a
per-character table. Anything else (a phrase with a polyphone such as 长, Latin letters,
digits) goes to pypinyin itself, once per distinct text.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], frozenset[str], Mapping[str, object], int]:
    """Characters pypinyin knows, those with one reading (tones included), its phrases."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    known = frozenset(chr(code) for code in PINYIN_DICT)
    single = frozenset(chr(code) for code, readings in PINYIN_DICT.items() if "," not in readings)
    return known, single, PHRASES_DICT, max(map(len, PHRASES_DICT))


@cache
def _char(ch: str) -> str:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(ch)[0]


@lru_cache(maxsize=50_000)
def _whole(text: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(text))


def per_character(text: str) -> bool:
    """True when pypinyin reads `text` as each character's own reading.

    That holds when every character is known and each phrase of pypinyin's dictionary found
    in the text is made of single-reading characters (outside phrases a character takes its
    first reading, inside one a single-reading character has no other).
    """
    known, single, phrases, longest = _tables()
    if not text or not known.issuperset(text):
        return False
    if single.issuperset(text):
        return True
    n = len(text)
    for i in range(n - 1):
        for j in range(i + 2, min(n, i + longest) + 1):
            part = text[i:j]
            if part in phrases and not single.issuperset(part):
                return False
    return True


def syllables(text: str) -> tuple[str, ...]:
    """Exactly `tuple(pypinyin.lazy_pinyin(text))`, read per character when that is the same."""
    if per_character(text):
        return tuple(_char(ch) for ch in text)
    return _whole(text)
