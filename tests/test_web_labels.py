"""The console shows stored English codes in Chinese: roles, levels, states, outbox kinds,
registry history, audit actions and details, correction fields; CLI hints read as console text."""

from __future__ import annotations

import re
from html import unescape

from starlette.testclient import TestClient
from web_support import login, query

from core.audit import record
from core.config import Config
from core.store import open_db
from ipwatch.web.app import make_env
from ipwatch.web.labels import console_wording, detail_lines


def _cells(html: str, heading: str) -> list[list[str]]:
    """The body rows of the table under a heading, cell texts unescaped."""
    table = html.split(f"<h2>{heading}</h2>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    cell = re.compile(r"<td[^>]*>(.*?)</td>", re.S)
    return [[unescape(re.sub(r"<[^>]+>", "", c)) for c in cell.findall(r)] for r in rows]


def test_company_page_cases_and_history_are_chinese(client: TestClient) -> None:
    login(client, "ana")
    page = client.get("/registry/HZ001").text
    cases = _cells(page, "涉及案件")
    assert cases and {row[3] for row in cases} <= {"被告", "原告", "其他当事人"}
    assert {row[4] for row in cases} <= {
        "企业本身",
        "集团关联",
        "待核实",
        "未登记惠州企业",
        "同类产品",
    }
    assert {row[5] for row in cases} <= {
        "待复核",
        "已确认",
        "已排除",
        "自动确认",
        "企业维权（原告）",
    }
    history = _cells(page, "变更历史")
    assert history[-1][1:3] == ["ipwatch (config registry file)", "新增企业"]
    for english in (">defendant<", ">entity<", ">pending<", ">added<"):
        assert english not in page


def test_audit_actions_and_details_are_chinese(client: TestClient, site: Config) -> None:
    db = open_db(site.path(site.database))
    record(
        db, "boss", "notice.approve", "N-1", "", {"number": "惠市监预〔2022〕1号", "match": "m1"}
    )
    record(db, "cli", "users.disable", "li", "离职", {})
    db.close()
    login(client, "ana")
    page = client.get("/audit").text
    rows = {r[3]: r for r in _cells(page.replace("<h1>操作日志</h1>", "<h2>操作日志</h2>"),
                                    "操作日志")}  # fmt: skip
    assert rows["N-1"][1:] == [
        "boss",
        "签发预警提示",
        "N-1",
        "",
        "匹配：m1编号：惠市监预〔2022〕1号",
    ]
    assert "匹配：m1<br>编号：惠市监预〔2022〕1号" in page
    assert rows["li"][1:5] == ["cli", "停用账户", "li", "离职"]
    assert 'title="notice.approve"' in page  # the code stays at hand for the operator


def test_outbox_kinds_and_states_are_chinese(client: TestClient, site: Config) -> None:
    kinds = {k for (k,) in query(site, "select distinct kind from outbox")}
    login(client, "ana")
    page = client.get("/deliveries").text
    table = page.split("</table>")[0]
    for kind in kinds:
        assert f"<td>{kind}</td>" not in table
    assert "<td>已发送</td>" in table or "<td>待发送</td>" in table or not kinds


def test_correction_fields_and_levels_are_chinese() -> None:
    env = make_env()
    html = env.from_string(
        '{% for k, v in changes.items() %}{{ k|zh("notice_field") }}={{ v|zh("notice_level") '
        'if k == "level" else v }};{% endfor %}'
    ).render(changes={"level": "red", "note": "更正案号", "risk_text": "见下"})
    assert html == "预警等级=一级(红);更正说明=更正案号;风险研判=见下;"


def test_details_that_are_not_json_objects() -> None:
    assert detail_lines('{"before": {"a": 1}, "file": "x.csv"}') == [
        '修改前：{"a": 1}',
        "文件：x.csv",
    ]
    assert detail_lines("not json") == ["not json"]
    assert detail_lines("[1, 2]") == ["[1, 2]"]
    assert detail_lines("") == []


def test_cli_hints_read_as_console_text(client: TestClient) -> None:
    assert (
        console_wording("请说明理由 --reason is required") == "请填写原因（与名称一并保存，必填）"
    )
    assert console_wording(
        "已创建预警提示草稿 X：分析员修改并提交（ipwatch notices submit），"
        "审批人签发后才编号、发出（ipwatch notices approve）。"
    ) == ("已创建预警提示草稿 X：分析员修改并提交（在“预警提示”页提交），"
          "审批人签发后才编号、发出（在“预警提示”页签发）。")  # fmt: skip
    token = login(client, "ana")
    form = {"csrf": token, "name": "TCL Widgets Ltd.", "kind": "en_variant", "reason": ""}
    no_reason = unescape(client.post("/registry/HZ002/names", data=form).text)
    assert "请填写原因（与名称一并保存，必填）" in no_reason and "--reason" not in no_reason
    form = {**form, "name": "Shenzhen TCL Industries Co., Ltd.", "reason": "测试"}
    refused = unescape(client.post("/registry/HZ002/names", data=form).text)
    assert "（控制台不能强行添加；确有必要请联系管理员）" in refused and "--force" not in refused
