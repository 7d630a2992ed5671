"""The console's 企业名录 and review desk on the database registry: the functions of the CLI."""

from __future__ import annotations

import io
import re
from html import unescape

from starlette.testclient import TestClient
from web_support import TCL_CASE, login, query

from core.config import Config
from core.match_settings import effective_config
from core.store import open_db
from matcher.match import build_matcher
from matcher.types import Party


def _audit(cfg: Config, like: str) -> list[tuple[str, str, str]]:
    sql = "select actor, action, target from audit_log where action like ? order by id"
    return query(cfg, sql, (like,))  # type: ignore[return-value]


def test_company_page_shows_names_with_kind_source_and_who(client: TestClient) -> None:
    login(client, "ana")
    page = client.get("/registry/HZ001").text
    # The configured exporters.csv was imported into the database by the demo cycle.
    row = re.search(r"<tr><td>#\d+</td><td>英文正式名称</td>.*?</tr>", page, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    assert cells[1:5] == [
        "英文正式名称",
        "TCL Technology Group Corporation",
        "import:exporters.csv",
        "ipwatch (config registry file)",
    ]
    assert "legal@tcl.example.org" in page  # contacts from company_contacts
    found = client.get("/registry", params={"q": "TCL TECH."}).text  # an alias, not a legal name
    assert '<a href="/registry/HZ001">HZ001</a>' in found


def test_add_refuse_and_remove_a_name_as_the_cli_does(client: TestClient, site: Config) -> None:
    token = login(client, "ana")
    form = {"csrf": token, "name": "TCL Industries Hldgs Ltd.", "kind": "en_variant",
            "reason": "企业来函"}  # fmt: skip
    added = client.post("/registry/HZ002/names", data=form).text
    assert "已添加名称" in added and "TCL Industries Hldgs Ltd." in added
    [(name_id, kind, source, by, reason)] = query(
        site,
        "select id, kind, source, added_by, reason from company_names where text = ?",
        ("TCL Industries Hldgs Ltd.",),
    )
    assert (kind, source, by, reason) == ("en_variant", "analyst", "ana", "企业来函")
    refused = client.post(
        "/registry/HZ002/names", data={**form, "name": "Shenzhen TCL Industries Co., Ltd."}
    )
    assert "拒绝添加名称" in unescape(refused.text) and "names another place" in refused.text
    assert query(site, "select count(*) from company_names where text like 'Shenzhen%'") == [(0,)]
    removed = client.post(
        "/registry/HZ002/names/remove",
        data={"csrf": token, "name_id": str(name_id), "reason": "拼写错误"},
    ).text
    assert f"已撤销名称 #{name_id}" in removed and "已撤销的名称" in removed
    assert query(
        site, "select removed_by, removed_reason from company_names where id = ?", (name_id,)
    ) == [("ana", "拼写错误")]
    assert _audit(site, "registry.%") == [
        ("ana", "registry.add_name", "company:HZ002"),
        ("ana", "registry.remove_name", "company:HZ002"),
    ]


def test_workbook_upload_preview_then_apply(client: TestClient, site: Config) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["企业名称", "英文名称", "所属区县", "邮箱"])
    sheet.append(["惠州测试电子有限公司", "Huizhou Test Electronics Co., Ltd.", "惠城区", "a@b.cn"])
    sheet.append(["惠州坏行电子有限公司", "", "惠城区", "not-an-email"])
    data = io.BytesIO()
    book.save(data)
    token = login(client, "ana")
    files = {"file": ("出口企业名录.xlsx", data.getvalue(), "application/octet-stream")}
    preview = client.post(
        "/registry/import", data={"csrf": token, "keep_missing": "1"}, files=files
    ).text
    assert "新增企业（1）" in preview and "惠州测试电子有限公司" in preview
    assert "删除企业（0）" in preview  # keep_missing: a partial sheet removes nothing
    assert (
        "出口企业名录.xlsx 工作表Sheet第3行 line 3: 邮箱无效 bad email" in preview
        and "ipwatch-registry-" not in preview
    )
    assert query(site, "select count(*) from companies where name_zh = '惠州测试电子有限公司'") == [
        (0,)
    ]
    carried = dict(
        re.findall(r'name="(filename|content_b64|keep_missing)" value="([^"]*)"', preview)
    )
    applied = client.post(
        "/registry/import", data={"csrf": token, "apply": "1", "reason": "季度更新", **carried}
    ).text
    assert "已导入：新增 1，删除 0，修改 0 项" in applied and "1 行有错误未导入" in applied
    [(company_id, source)] = query(
        site, "select id, source from companies where name_zh = '惠州测试电子有限公司'"
    )
    assert source == "import:出口企业名录.xlsx"
    assert query(
        site, "select actor from registry_history where company_id = ? and action = 'added'",
        (company_id,),
    ) == [("ana",)]  # fmt: skip
    assert query(
        site, "select email from company_contacts where company_id = ?", (company_id,)
    ) == [("a@b.cn",)]
    assert _audit(site, "registry.import") == [("ana", "registry.import", "出口企业名录.xlsx")]


def _insert_match(cfg: Config, match_id: str, party: str, level: str, company: str) -> None:
    db = open_db(cfg.path(cfg.database))
    db["matches"].insert({"id": match_id, "case_id": TCL_CASE, "party": party,
                          "role": "defendant", "company_id": company, "group_name": "",
                          "level": level, "score": 0.6, "matched_name": "TCL Technology",
                          "evidence": "{}", "status": "pending",
                          "created_at": "2022-12-06T00:00:00+00:00"})  # fmt: skip
    db.close()


def test_console_confirm_teaches_the_name_and_undo_withdraws_it(
    client: TestClient, site: Config
) -> None:
    _insert_match(site, "m-variant", "TCL Techn. Grp Corp.", "review", "HZ001")
    token = login(client, "ana")
    done = client.post(
        "/review/decide", data={"csrf": token, "match": "m-variant", "action": "confirm"}
    ).text
    assert "已确认 1 条匹配：将该名称关联为该企业的名称" in done
    [(name_id, kind, source, by)] = query(
        site,
        "select id, kind, source, added_by from company_names where text = 'TCL Techn. Grp Corp.'",
    )
    assert (kind, source, by) == ("en_variant", "review:m-variant", "ana")
    assert query(site, "select level, status from matches where id = 'm-variant'") == [
        ("entity", "confirmed")
    ]
    db = open_db(site.path(site.database))
    matched = build_matcher(effective_config(site, db), db).match(Party("TCL TECHN. GRP CORP"))
    assert (matched.level, matched.company_id, matched.matched_kind) == (
        "entity",
        "HZ001",
        "variant",
    )
    [batch] = [
        r[0] for r in query(site, "select batch from decisions where match_id = 'm-variant'")
    ]
    [(notice_id, status)] = query(
        site, "select id, status from notices where match_id = ?", ("m-variant",)
    )
    assert status == "draft", "the confirmation drafted the notice"
    undone = unescape(client.post("/review/undo", data={"csrf": token, "batch": batch}).text)
    assert "已撤销，1 条匹配回到待复核队列" in undone
    assert f"已删除这批确认起草的预警提示草稿：{notice_id}。" in undone
    assert query(site, "select id from notices where id = ?", (notice_id,)) == []
    assert query(site, "select removed_by from company_names where id = ?", (name_id,)) == [
        ("ana",)
    ]
    assert query(site, "select level, status from matches where id = 'm-variant'") == [
        ("review", "pending")
    ]
    assert [a[1] for a in _audit(site, "review.%")] == ["review.confirm", "review.undo"]


def test_console_confirm_does_not_teach_a_refused_name(client: TestClient, site: Config) -> None:
    _insert_match(site, "m-person", "Zhongwei Wu", "review", "HZ001")
    token = login(client, "ana")
    done = unescape(
        client.post(
            "/review/decide", data={"csrf": token, "match": "m-person", "action": "confirm"}
        ).text
    )
    assert "“Zhongwei Wu”未加入名录（像是人名 looks like a person's name" in done
    assert query(site, "select count(*) from company_names where text = 'Zhongwei Wu'") == [(0,)]
    assert query(site, "select status, level from matches where id = 'm-person'") == [
        ("confirmed", "review")
    ]


def test_link_teaches_the_spelling_like_registry_link(client: TestClient, site: Config) -> None:
    _insert_match(site, "m-local", "Huizhou Tcl Mobile Devices Co., Ltd.", "local", "")
    token = login(client, "ana")
    assert "HZ002" in client.get("/registry/link/m-local").text
    form = {"csrf": token, "company_id": "HZ002", "kind": "en_variant", "reason": "同一地址"}
    done = client.post("/registry/link/m-local/apply", data=form).text
    assert "已关联到 HZ002" in done and "英文变体" in done
    assert query(
        site, "select kind, source, added_by, reason from company_names where text = ?",
        ("Huizhou Tcl Mobile Devices Co., Ltd.",),
    ) == [("en_variant", "link", "ana", "同一地址")]  # fmt: skip
    assert query(site, "select level, status, company_id from matches where id = 'm-local'") == [
        ("entity", "confirmed", "HZ002")
    ]
    assert [a[1:] for a in _audit(site, "re%")] == [
        ("registry.link", "company:HZ002"),
        ("review.confirm", "match:m-local"),
    ]
    refused = client.post(
        "/registry/link/m-local/apply", data={**form, "reason": ""}, follow_redirects=True
    ).text
    assert "没有待关联的未登记惠州企业记录" in unescape(refused)  # already linked
    assert query(site, "select count(*) from company_names where source = 'link'") == [(1,)]
