"""Odd and hostile input to the console: a user's mistake gets a Chinese message and a 4xx,
never a traceback or a 500 — CSRF values, page numbers, search text, dates, names, settings —
and Starlette's own error pages are Chinese too."""

from __future__ import annotations

import re
from html import unescape

import pytest
from starlette.requests import Request
from starlette.routing import Route
from starlette.testclient import TestClient
from web_support import csrf_of, login, query

from core.config import Config
from ipwatch.web.app import create_app

HUGE = "99999999999999999999999"


@pytest.fixture
def ana(client: TestClient) -> tuple[TestClient, str]:
    """The site's client logged in as the analyst, with the session's CSRF token."""
    return client, login(client, "ana")


def _flashes(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r'class="flash error"[^>]*>(.*?)</div>', html, re.S)]


@pytest.mark.parametrize("sent", ["令牌", "\u00e9t\u00e9", "x\x00y"])
def test_non_ascii_csrf_is_403_before_and_after_login(client: TestClient, sent: str) -> None:
    token = csrf_of(client.get("/login").text)
    assert token
    before = client.post("/login", data={"name": "ana", "password": "x", "csrf": sent})
    assert before.status_code == 403 and "CSRF 校验失败" in before.text
    login(client, "ana")
    after = client.post("/review/decide", data={"csrf": sent, "action": "dismiss"})
    assert after.status_code == 403 and "CSRF 校验失败" in after.text


@pytest.mark.parametrize("path", ["/cases", "/deliveries"])
@pytest.mark.parametrize("value", [HUGE, "-3", "abc", "１２"])
def test_bad_page_numbers_are_400_in_chinese(
    ana: tuple[TestClient, str], path: str, value: str
) -> None:
    client, _ = ana
    done = client.get(path, params={"page": value})
    assert done.status_code == 400
    assert f"页码“{value}”无效：须为 1 至 1000000 的整数。" in unescape(done.text)
    assert client.get(path, params={"page": "1000000"}).status_code == 200


def test_revert_to_a_huge_version_is_no_version(ana: tuple[TestClient, str], site: Config) -> None:
    client, token = ana
    done = client.post("/settings/revert", data={"csrf": token, "version": HUGE, "reason": "x"})
    assert done.status_code == 200
    assert _flashes(done.text) == [f"没有这个版本：“{HUGE}”。"]
    assert query(site, "select count(*) from match_settings") == [(0,)]


@pytest.mark.parametrize("q", ["\x00", "TCL\x00", '"', "tcl\x1b[0m", "AND OR NOT *"])
def test_case_search_with_control_characters(ana: tuple[TestClient, str], q: str) -> None:
    client, _ = ana
    done = client.get("/cases", params={"q": q})
    assert done.status_code == 200 and "案件" in done.text


def test_case_search_ignores_a_nul_after_the_words(ana: tuple[TestClient, str]) -> None:
    client, _ = ana
    assert "6:22-cv-00217" in client.get("/cases", params={"q": "TCL"}).text
    assert "6:22-cv-00217" in client.get("/cases", params={"q": "TCL\x00"}).text


def test_a_review_date_that_is_not_a_date_is_named(ana: tuple[TestClient, str]) -> None:
    client, _ = ana
    done = client.get("/review", params={"date_to": "2024-13-40"})
    assert done.status_code == 400
    assert _flashes(done.text) == [
        "截止日期“2024-13-40”不是有效日期，请按 YYYY-MM-DD 填写（如 2024-12-31）；此条件未使用。"
    ]
    everything = client.get("/review").text
    assert done.text.count('name="group"') == everything.count('name="group"') > 0


@pytest.mark.parametrize(
    "path,method,status,title",
    [("/no-such-page", "get", 404, "未找到（404）"), ("/review/decide", "get", 405,
      "不支持此操作方式（405）"), ("/logout", "put", 405, "不支持此操作方式（405）")],
)  # fmt: skip
def test_starlette_errors_are_chinese(
    client: TestClient, path: str, method: str, status: int, title: str
) -> None:
    done = getattr(client, method)(path)
    assert done.status_code == status and title in done.text
    assert {404: "Not Found", 405: "Method Not Allowed"}[status] in done.text
    assert "Traceback" not in done.text and done.headers["content-type"].startswith("text/html")


def test_an_unexpected_fault_is_a_chinese_500_without_traceback(site: Config) -> None:
    app = create_app(site)

    def broken(request: Request) -> None:
        raise RuntimeError("secret detail /etc/ipwatch")

    app.router.routes.insert(0, Route("/broken", broken))
    done = TestClient(app, raise_server_exceptions=False).get("/broken")
    assert done.status_code == 500
    assert "服务器内部错误（500）" in done.text and "Internal Server Error" in done.text
    assert "secret detail" not in done.text and "Traceback" not in done.text
    assert done.headers["x-content-type-options"] == "nosniff"


NAME_CASES = [
    ("TCL\x00Corp", "en_variant", "英文变体：名称含控制字符（如换行、制表符或 NUL），请重新输入。"),
    ("TCL\nCorp", "en_variant", "英文变体：名称含控制字符（如换行、制表符或 NUL），请重新输入。"),
    ("A" * 201, "en_variant",
     f"英文变体：名称过长（201 个字符，最多 200 个）：“{'A' * 59}…”。"),
    ("javascript:alert(1)", "brand", "品牌：“javascript:alert(1)”像是网址或链接，不是企业名称。"),
    ("http://tcl.example.com", "en_variant",
     "英文变体：“http://tcl.example.com”像是网址或链接，不是企业名称。"),
    ("TCL Technology", "zh_legal",
     "中文法定名称：“TCL Technology”不含汉字；英文名称请选“英文正式名称”或“英文变体”。"),
]  # fmt: skip


@pytest.mark.parametrize("text,kind,message", NAME_CASES, ids=lambda v: str(v)[:12])
def test_add_name_refuses_what_is_not_a_name(
    ana: tuple[TestClient, str], site: Config, text: str, kind: str, message: str
) -> None:
    client, token = ana
    form = {"csrf": token, "name": text, "kind": kind, "reason": "测试"}
    done = client.post("/registry/HZ002/names", data=form)
    assert done.status_code == 200 and _flashes(done.text) == [message]
    assert query(site, "select count(*) from company_names where source = 'analyst'") == [(0,)]


def test_a_chinese_name_with_latin_letters_is_accepted(
    ana: tuple[TestClient, str], site: Config
) -> None:
    client, token = ana
    form = {"csrf": token, "name": "惠州TCL实业", "kind": "zh_variant",
            "reason": "企业来函"}  # fmt: skip
    done = client.post("/registry/HZ002/names", data=form)
    assert "已添加名称" in done.text and "惠州TCL实业”（中文简称）" in done.text
    assert _flashes(done.text) == []


def _settings(token: str, **changes: str) -> dict[str, str]:
    form = {"csrf": token, "t_entity": "0.9", "t_group": "0.75", "t_review": "0.5",
            "aliases": "", "exclusions": "", "stop_words": "", "reason": "测试"}  # fmt: skip
    return {**form, **changes}


@pytest.mark.parametrize(
    "changes,message",
    [({"t_entity": "1.5"}, "设置有误：thresholds.entity: 不能大于 1"
      "（Input should be less than or equal to 1）"),
     ({"t_review": "-0.1"}, "设置有误：thresholds.review: 不能小于 0"
      "（Input should be greater than or equal to 0）"),
     ({"t_group": "abc"}, "设置有误：thresholds.group（集团阈值）: 须为 0 到 1 之间的数"),
     ({"t_review": "0.8"}, "设置有误：thresholds: 须满足 复核阈值 ≤ 集团阈值 ≤ 企业阈值，"
      "现为 0.8 / 0.75 / 0.9（review ≤ group ≤ entity）"),
     ({"t_group": "0.95"}, "设置有误：thresholds: 须满足 复核阈值 ≤ 集团阈值 ≤ 企业阈值，"
      "现为 0.5 / 0.95 / 0.9（review ≤ group ≤ entity）")],
)  # fmt: skip
def test_settings_errors_are_chinese_and_keep_the_order(
    ana: tuple[TestClient, str], site: Config, changes: dict[str, str], message: str
) -> None:
    client, token = ana
    for action in ("preview", "save"):
        done = client.post(f"/settings/{action}", data=_settings(token, **changes))
        assert done.status_code == 200 and _flashes(done.text) == [message]
    assert query(site, "select count(*) from match_settings") == [(0,)]
