"""The one Jinja2 environment, its filters, CSS inlining and header-safe text helpers."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from typing import Any

import css_inline
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_eval_context, select_autoescape
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from alerts.calendars import weekday_zh
from alerts.deadlines import CERTAINTY_ZH
from alerts.events import name_zh
from alerts.links import case_links
from core.courts import in_beijing
from core.urls import is_web_url

# Control characters (CR/LF included) are how header injection and broken layouts get in.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")

LEVELS_ZH: dict[str, str] = {"red": "一级(红)", "orange": "二级(橙)", "yellow": "三级(黄)"}
LEVEL_COLOURS: dict[str, str] = {"red": "#c0392b", "orange": "#e67e22", "yellow": "#9a7d0a"}


def one_line(text: str, limit: int = 200) -> str:
    """Text safe for one header or table cell: control characters become spaces, then clipped."""
    flat = " ".join(_CONTROL.sub(" ", text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def clip(text: str, limit: int = 300) -> str:
    """Shorten long free text for display, keeping line breaks."""
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def date_zh(value: date | datetime | str) -> str:
    """A date as 2022年12月6日."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return f"{value.year}年{value.month}月{value.day}日"


def cn_number(n: int) -> str:
    """Section numbers 1-10 as 一 … 十."""
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)


@pass_eval_context
def link(ctx: EvalContext, url: str, limit: int = 160) -> str:
    """An http(s) URL as a live <a> link in HTML; anything else (javascript:, data:) as text.

    The one place every template turns a URL from case data into a link. In plain-text
    templates the URL is text either way, with control characters removed.
    """
    url = one_line(url or "", 2000)
    if not ctx.autoescape:
        return url
    shown = escape(clip(url, limit))
    if not is_web_url(url):
        return Markup('<span class="not-a-link">{}</span>').format(shown)
    return Markup('<a href="{}">{}</a>').format(url, shown)


@functools.cache
def environment() -> Environment:
    """The shared Jinja2 environment: autoescaped .html, strict undefined variables."""
    env = Environment(
        loader=PackageLoader("alerts"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        one_line=one_line, clip=clip, date_zh=date_zh, cn_number=cn_number, link=link
    )
    env.filters.update(weekday_zh=weekday_zh, event_zh=name_zh, state_zh=state_zh, bj_time=bj_time)
    env.tests["web_url"] = is_web_url
    env.globals.update(LEVELS_ZH=LEVELS_ZH, LEVEL_COLOURS=LEVEL_COLOURS, CERTAINTY_ZH=CERTAINTY_ZH)
    env.globals.update(case_links=case_links)
    return env


# Delivery and source states as the digest shows them, the stored word beside.
STATES_ZH = {
    "pending": "待发送", "sending": "发送中", "sent": "已发送", "held": "暂停待核",
    "failed": "失败", "ok": "正常", "unchanged": "无更新", "disabled": "未启用",
    "throttled": "限流等待", "never": "从未抓取",
}  # fmt: skip


def state_zh(state: str) -> str:
    """A delivery or source state in Chinese with the stored word ("已发送 sent")."""
    zh = STATES_ZH.get(state or "")
    return f"{zh} {state}" if zh and state != "never" else zh or state


def bj_time(moment: str) -> str:
    """A stored UTC time as the bureau reads it: "2026-12-02 22:24 北京时间"."""
    when = in_beijing(moment)
    return when.strftime("%Y-%m-%d %H:%M 北京时间") if when else moment or ""


def render(template: str, **context: Any) -> str:
    """Render one template by file name (html is autoescaped, txt is not)."""
    return environment().get_template(template).render(**context)


def inline_css(html: str) -> str:
    """Move <style> rules into style="" attributes, as mail clients drop <style> blocks."""
    return css_inline.inline(html)
