"""Checks on what analysts type into the console's forms, before it reaches the registry.

The stage functions guard meaning (a name that points at a place, a person or another group);
these guard form: characters that cannot be part of a name, lengths, links pasted by mistake and
Chinese names without Chinese characters. Each message names the field in Chinese.
"""

from __future__ import annotations

import re
import unicodedata

from core.registry_store import NAME_KIND_LABELS
from ipwatch.web.context import clip

MAX_NAME = 200
# A scheme at the start (javascript:, data:, http:) or "://" anywhere: a link, not a name.
_LINK = re.compile(r"^\s*(javascript|vbscript|data|file|https?|ftp|mailto)\s*:|://", re.I)
# Control, format, surrogate and private-use characters, and line/paragraph separators.
_BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}
# CJK unified ideographs: extension A and the main block, compatibility, extensions B–G.
_CJK = (("\u3400", "\u9fff"), ("\uf900", "\ufaff"), ("\U00020000", "\U0003134f"))


def has_cjk(text: str) -> bool:
    """Whether the text contains a Chinese (CJK unified) character."""
    return any(
        "\u3400" <= ch <= "\u9fff"
        or "\uf900" <= ch <= "\ufaff"
        or "\U00020000" <= ch <= "\U0003134f"
        for ch in text
    )


def name_problem(text: str, kind: str) -> str | None:
    """Why a typed company name cannot be added (in Chinese, naming the field), or None."""
    label = NAME_KIND_LABELS.get(kind, "名称")
    if not text:
        return f"{label}：请填写名称。"
    if any(unicodedata.category(ch) in _BAD_CATEGORIES for ch in text):
        return f"{label}：名称含控制字符（如换行、制表符或 NUL），请重新输入。"
    if len(text) > MAX_NAME:
        return f"{label}：名称过长（{len(text)} 个字符，最多 {MAX_NAME} 个）：“{clip(text)}”。"
    if _LINK.search(text):
        return f"{label}：“{clip(text)}”像是网址或链接，不是企业名称。"
    if kind.startswith("zh_") and not has_cjk(text):
        return f"{label}：“{clip(text)}”不含汉字；英文名称请选“英文正式名称”或“英文变体”。"
    return None
