"""Route tests of the console: every page and action refuses anonymous users, wrong roles and
forms without the CSRF token; pages escape hostile text; decisions work and are audited."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from web_support import TCL_CASE, csrf_of, login, make_site, query

from core.config import Config
from core.match_settings import effective_config
from core.store import open_db
from ipwatch.web.app import create_app
from matcher.match import build_matcher
from matcher.types import Party

PAGES = {
    "/": "工作台",
    "/review": "待复核",
    "/cases": "案件",
    f"/cases/{TCL_CASE}": "6:22-cv-00217",
    "/notices": "预警提示",
    "/registry": "企业名录",
    "/registry/HZ001": "TCL科技集团股份有限公司",
    "/settings": "匹配设置",
    "/sources": "数据来源（时间均为北京时间）",
    "/digests": "日报存档",
    "/deliveries": "发送记录",
    "/audit": "操作日志",
}
ANALYST_ACTIONS = [
    "/review/decide",
    "/review/undo",
    "/notices/x/edit",
    "/notices/x/submit",
    "/registry/import",
    "/registry/link/x/apply",
    "/registry/HZ001/names",
    "/registry/HZ001/names/remove",
    "/settings/preview",
    "/settings/save",
    "/settings/revert",
]
APPROVER_ACTIONS = [
    "/notices/x/approve",
    "/notices/x/return",
    "/notices/x/withdraw",
    "/notices/x/correct",
]


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """One site for the tests whose requests are all refused or only read."""
    return make_site(tmp_path_factory.mktemp("shared"))


@pytest.fixture
def reader(shared_site: Config) -> TestClient:
    """A fresh client (own cookies) of the shared site."""
    return TestClient(create_app(shared_site), base_url="http://127.0.0.1")


def _pending(cfg: Config, company: str) -> list[str]:
    sql = "select id from matches where status = 'pending' and company_id = ? order by id"
    return [r[0] for r in query(cfg, sql, (company,))]


@pytest.mark.parametrize("path", [*PAGES, "/settings/export", "/notices/x/print"])
def test_anonymous_pages_redirect_to_login(reader: TestClient, path: str) -> None:
    done = reader.get(path, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/login")


@pytest.mark.parametrize("path", [*ANALYST_ACTIONS, *APPROVER_ACTIONS, "/logout"])
def test_anonymous_actions_redirect_to_login(reader: TestClient, path: str) -> None:
    done = reader.post(path, data={"csrf": "anything"}, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/login")


def test_login_and_static_need_no_session(reader: TestClient) -> None:
    page = reader.get("/login")
    assert page.status_code == 200 and "登录" in page.text and 'name="csrf"' in page.text
    htmx = reader.get("/static/htmx.min.js")
    assert htmx.status_code == 200 and "htmx" in htmx.text[:2000]


@pytest.mark.parametrize("path,heading", PAGES.items())
def test_every_page_renders_in_chinese(reader: TestClient, path: str, heading: str) -> None:
    login(reader, "ana")
    done = reader.get(path)
    assert done.status_code == 200, done.text[-2000:]
    assert heading in done.text
    assert "<script>" not in done.text  # scripts only from /static
    assert done.headers["content-security-policy"].startswith("default-src 'self'")


@pytest.mark.parametrize("path", ANALYST_ACTIONS)
def test_approver_may_not_take_analyst_actions(reader: TestClient, path: str) -> None:
    token = login(reader, "boss")
    done = reader.post(path, data={"csrf": token}, follow_redirects=False)
    assert done.status_code == 403 and "无权" in done.text


@pytest.mark.parametrize("path", APPROVER_ACTIONS)
def test_analyst_may_not_sign_off(reader: TestClient, path: str) -> None:
    token = login(reader, "ana")
    done = reader.post(path, data={"csrf": token}, follow_redirects=False)
    assert done.status_code == 403 and "分析员" in done.text


@pytest.mark.parametrize("path", [*ANALYST_ACTIONS, "/logout"])
def test_actions_without_csrf_token_are_refused(reader: TestClient, path: str) -> None:
    login(reader, "ana")
    done = reader.post(path, data={"action": "dismiss"}, follow_redirects=False)
    assert done.status_code == 403 and "CSRF" in done.text
    wrong = reader.post(path, data={"csrf": "forged"}, follow_redirects=False)
    assert wrong.status_code == 403


@pytest.mark.parametrize("path", APPROVER_ACTIONS)
def test_sign_off_without_csrf_token_is_refused(reader: TestClient, path: str) -> None:
    login(reader, "boss")
    assert reader.post(path, data={}, follow_redirects=False).status_code == 403


def test_csrf_refusal_changes_nothing(client: TestClient, site: Config) -> None:
    login(client, "ana")
    samsung = _pending(site, "HZ034")
    data = {"group": ",".join(samsung), "action": "dismiss", "reason_code": "foreign_parent"}
    assert client.post("/review/decide", data=data).status_code == 403
    assert _pending(site, "HZ034") == samsung


def test_login_form_needs_csrf_and_throttles(client: TestClient) -> None:
    assert client.post("/login", data={"name": "ana", "password": "x"}).status_code == 403
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        bad = client.post("/login", data={"name": "ana", "password": "wrong", "csrf": token})
        assert bad.status_code == 200 and "用户名或密码错误" in bad.text
    blocked = client.post(
        "/login", data={"name": "ana", "password": "correct-horse-battery", "csrf": token},
        follow_redirects=False,
    )  # fmt: skip
    assert blocked.status_code == 429 and "登录失败次数过多" in blocked.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_session_cookie_flags(site: Config, tmp_path: Path) -> None:
    plain = TestClient(create_app(site), base_url="http://127.0.0.1")
    cookie = plain.get("/login").headers.get("set-cookie") or ""
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    assert "secure" not in cookie.lower()
    tls = make_site(tmp_path / "tls", secure_cookies=True)
    secure = TestClient(create_app(tls), base_url="https://127.0.0.1")
    assert "secure" in (secure.get("/login").headers.get("set-cookie") or "").lower()


def test_logout_ends_the_session(reader: TestClient) -> None:
    token = login(reader, "ana")
    assert reader.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert reader.get("/review", follow_redirects=False).headers["location"] == "/login"


def _hostile_case(cfg: Config) -> str:
    db = open_db(cfg.path(cfg.database))
    case_id = "usdc:txwd:9:99-cv-00001"
    title = '<script>alert("x")</script> v. <img src=x onerror=alert(1)> Huizhou Evil Co.'
    db["cases"].insert({"id": case_id, "forum": "usdc", "court": "txwd",
                        "docket_number": "9:99-cv-00001", "case_name": title, "kind": "ordinary",
                        "plaintiffs": "[]", "first_seen": "2022-12-06T00:00:00+00:00",
                        "last_event": "2099-01-01T00:00:00+00:00", "link": "javascript:alert(1)",
                        "source": "pacer_txwd"})  # fmt: skip
    db["events"].insert({"id": "evil-event", "source": "pacer_txwd", "forum": "usdc",
                         "case_id": case_id, "case_name": title,
                         "event_types": json.dumps(["<b>Complaint</b>"]),
                         "published": "2022-12-06T00:00:00+00:00",
                         "link": "javascript:alert(2)", "doc_url": "data:text/html,x"})  # fmt: skip
    db["matches"].insert({"id": "evil-match", "case_id": case_id, "party": "<i>Huizhou Evil</i>",
                          "role": "defendant", "company_id": "", "group_name": "",
                          "level": "local", "score": 0.3, "matched_name": "", "evidence": "{}",
                          "status": "pending",
                          "created_at": "2022-12-06T00:00:00+00:00"})  # fmt: skip
    db.close()
    return case_id


def test_hostile_case_titles_are_escaped(client: TestClient, site: Config) -> None:
    case_id = _hostile_case(site)
    login(client, "ana")
    for path in ("/cases", f"/cases/{case_id}", "/review", "/", "/registry/link/evil-match"):
        text = client.get(path).text
        assert "<script>alert" not in text and "<img src=x" not in text and "<i>Huizhou" not in text
        assert "javascript:" not in text and "data:text" not in text
    page = client.get(f"/cases/{case_id}").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&lt;b&gt;Complaint&lt;/b&gt;" in page


def _group_ids(page: str, company: str) -> list[str]:
    rows = re.findall(r'name="group" value="([^"]+)" aria-label="选择 ([^ "]+)', page)
    return [ids for ids, target in rows if target == company]


def test_dismiss_a_group_with_reason_then_undo(client: TestClient, site: Config) -> None:
    token = login(client, "ana")
    page = client.get("/review").text
    [samsung] = _group_ids(page, "HZ034")
    assert len(samsung.split(",")) == 15
    done = client.post("/review/decide", data={"csrf": token, "group": samsung,
                       "action": "dismiss", "reason_code": "foreign_parent",
                       "reason_text": "韩国三星，非惠州三星"})  # fmt: skip
    assert "已排除 15 条匹配：该名称今后不再与该企业匹配" in done.text
    assert _pending(site, "HZ034") == []
    assert query(site, "select distinct reason, reason_code, decided_by from decisions") == [
        ("外国母公司 韩国三星，非惠州三星", "foreign_parent", "ana")
    ]
    [(actor, action, reason)] = query(
        site, "select actor, action, reason from audit_log where action like 'review.%'"
    )
    assert (actor, action, reason) == ("ana", "review.dismiss", "外国母公司 韩国三星，非惠州三星")
    db = open_db(site.path(site.database))
    matcher = build_matcher(effective_config(site, db), db)
    assert matcher.match(Party("Samsung Electronics Co., Ltd.")).company_id != "HZ034"
    [batch] = [r[0] for r in query(site, "select distinct batch from decisions")]
    undone = client.post("/review/undo", data={"csrf": token, "batch": batch})
    assert "已撤销，15 条匹配回到待复核队列" in undone.text
    assert len(_pending(site, "HZ034")) == 15
    assert query(site, "select count(*) from decisions") == [(0,)]


def test_dismiss_needs_a_reason(client: TestClient, site: Config) -> None:
    token = login(client, "ana")
    [samsung] = _group_ids(client.get("/review").text, "HZ034")
    done = client.post(
        "/review/decide", data={"csrf": token, "group": samsung, "action": "dismiss"}
    )
    assert "排除时须选择原因" in done.text and len(_pending(site, "HZ034")) == 15


def _sign_tcl(client: TestClient, site: Config) -> str:
    token = login(client, "ana")
    [tcl] = _group_ids(client.get("/review").text, "HZ001")
    done = client.post("/review/decide", data={"csrf": token, "group": tcl, "action": "confirm"})
    assert "生成预警提示草稿，待分析员提交、审核人签发" in done.text
    notice_id = f"{TCL_CASE}|HZ001"
    assert f"已创建预警提示草稿 {notice_id}" in done.text
    url = f"/notices/{notice_id}"
    edited = client.post(f"{url}/edit", data={"csrf": token, "risk_text": "风险一\n风险二",
                                              "advice_text": "建议一"})  # fmt: skip
    assert "已保存草稿" in edited.text and "风险二" in edited.text
    assert "已提交" in client.post(f"{url}/submit", data={"csrf": token}).text
    client.post("/logout", data={"csrf": token})
    token = login(client, "boss")
    signed = client.post(f"{url}/approve", data={"csrf": token})
    return signed.text


def test_confirm_submit_and_sign_off_tcl(client: TestClient, site: Config) -> None:
    text = _sign_tcl(client, site)
    year = query(site, "select year from notices where case_id = ?", (TCL_CASE,))[0][0]
    assert f"已签发，编号 〔{year}〕第1号" in text
    assert query(site, "select status, signed_by, risk_text from notices") == [
        ("sent", "boss", "风险一\n风险二")
    ]
    assert query(site, "select recipients, state from outbox where kind = 'warning'") == [
        ('{"bcc": [], "cc": [], "to": ["legal@tcl.example.org"]}', "sent")
    ]
    actions = [r[0] for r in query(site, "select action from audit_log order by id")]
    assert actions[-5:] == [
        "review.confirm", "notice.draft", "notice.edit", "notice.submit", "notice.approve"
    ]  # fmt: skip
    printed = client.get(f"/notices/{TCL_CASE}|HZ001/print").text
    # The test config has no notice_rules: every notice is 三级(黄), printed as text.
    assert f"〔{year}〕第1号" in printed and "三级(黄)" in printed


def test_return_withdraw_and_correct(client: TestClient, site: Config) -> None:
    _sign_tcl(client, site)
    token = csrf_of(client.get("/notices").text)
    url = f"/notices/{TCL_CASE}|HZ001"
    refused = client.post(f"{url}/withdraw", data={"csrf": token, "reason": ""})
    assert "撤回时必须说明理由" in refused.text
    corrected = client.post(f"{url}/correct", data={"csrf": token, "note": "更正等级",
                                                    "level": "red"})  # fmt: skip
    assert "更正通知已拟好" in corrected.text
    withdrawn = client.post(f"{url}/withdraw", data={"csrf": token, "reason": "企业非被告"})
    assert "撤回通知已拟好，签发后生效" in withdrawn.text
    # One withdrawal at a time, and nothing more to correct in a notice being withdrawn.
    follow_id = f"{TCL_CASE}|HZ001|withdrawal|2"
    for step, form in (("withdraw", {"reason": "再撤一次"}), ("correct", {"note": "再更正"})):
        again = client.post(f"{url}/{step}", data={"csrf": token, **form})
        assert f"已有撤回通知 {follow_id}（待签发）" in again.text, step
    kinds = query(site, "select kind, status from notices order by created_at, id")
    assert sorted(kinds) == [("correction", "submitted"), ("notice", "sent"),
                             ("withdrawal", "submitted")]  # fmt: skip
    [(follow,)] = query(site, "select id from notices where kind = 'correction'")
    returned = client.post(f"/notices/{follow}/return", data={"csrf": token, "comment": "请补充"})
    assert "已退回分析员修改" in returned.text and "请补充" in returned.text


def _settings_form(token: str, **changes: str) -> dict[str, str]:
    form = {"csrf": token, "t_entity": "0.9", "t_group": "0.75", "t_review": "0.5",
            "aliases": "TCL: TTE\nTCL: Manufacturas Avanzadas", "exclusions": "",
            "stop_words": ""}  # fmt: skip
    return {**form, **changes}


def test_settings_preview_save_revert_export(client: TestClient, site: Config) -> None:
    token = login(client, "ana")
    form = _settings_form(token, exclusions="HZ001: tcl technology group*")
    preview = client.post("/settings/preview", data=form).text
    assert "变更效果" in preview and "准确率 变更前" in preview
    assert "新增错误" in preview
    refused = client.post("/settings/save", data={**form, "reason": ""}).text
    assert "未保存：reason" in refused
    assert query(site, "select count(*) from match_settings") == [(0,)]
    saved = client.post("/settings/save", data={**form, "reason": "测试排除"}).text
    assert "已保存为第 1 版" in saved
    db = open_db(site.path(site.database))
    effective = effective_config(site, db)
    assert effective.matching.exclusions == {"HZ001": ["tcl technology group*"]}
    matcher = build_matcher(effective, db)
    assert matcher.match(Party("TCL Technology Group Corp.")).company_id != "HZ001"
    exported = client.get("/settings/export")
    assert "tcl technology group*" in exported.text and exported.text.startswith("matching:")
    client.post("/settings/save", data={**_settings_form(token), "reason": "撤销排除"})
    reverted = client.post("/settings/revert", data={"csrf": token, "version": "1",
                                                     "reason": "再次排除"}).text  # fmt: skip
    assert "已保存为第 3 版" in reverted
    assert effective_config(site, db).matching.exclusions == {"HZ001": ["tcl technology group*"]}
    rows = query(site, "select actor, action, reason from audit_log where action like 'settings%'")
    assert rows == [("ana", "settings.save", "测试排除"), ("ana", "settings.save", "撤销排除"),
                    ("ana", "settings.revert", "恢复到第 1 版：再次排除")]  # fmt: skip


def test_registry_import_preview_and_apply(client: TestClient, site: Config) -> None:
    token = login(client, "ana")
    original = site.path(site.registry).read_text(encoding="utf-8")
    changed = original.replace("TCL科技集团股份有限公司", "TCL科技集团股份有限公司（新）", 1)
    changed += "HZ999,惠州测试电子有限公司,Huizhou Test Electronics Co. Ltd.,,惠城区,,,,,\n"
    files = {"file": ("exporters.csv", changed.encode("utf-8"), "text/csv")}
    preview = client.post("/registry/import", data={"csrf": token}, files=files).text
    assert "新增企业（1）" in preview and "HZ999 惠州测试电子有限公司" in preview
    assert "TCL科技集团股份有限公司（新）" in preview
    assert site.path(site.registry).read_text(encoding="utf-8") == original
    applied = client.post("/registry/import", data={"csrf": token, "apply": "1",
                          "content": changed, "reason": "季度更新"}).text  # fmt: skip
    assert "已导入：新增 1，删除 0" in applied
    # The registry lives in the database (#12): the import writes there, as `registry import
    # --apply` does, and leaves the configured file as it was.
    assert site.path(site.registry).read_text(encoding="utf-8") == original
    assert query(site, "select name_zh from companies where id = 'HZ999'") == [
        ("惠州测试电子有限公司",)
    ]
    bad = client.post("/registry/import", data={"csrf": token},
                      files={"file": ("x.csv", b"id,name_zh\n,\n", "text/csv")}).text  # fmt: skip
    assert "名录文件有误" in bad


def test_link_an_unregistered_huizhou_party(client: TestClient, site: Config) -> None:
    _hostile_case(site)
    token = login(client, "ana")
    assert "关联到名录企业" in client.get("/").text
    form = {"csrf": token, "company_id": "HZ002", "reason": "同一企业"}
    done = client.post("/registry/link/evil-match/apply", data=form)
    assert "已关联到 HZ002" in done.text
    assert query(site, "select level, status, company_id from matches where id = 'evil-match'") == [
        ("entity", "confirmed", "HZ002")
    ]
    assert query(site, "select variant, company_id from decisions") == [
        ("<i>Huizhou Evil</i>", "HZ002")
    ]
