"""`ipwatch registry import`: a real-shaped bureau workbook and its GB18030 CSV twin (#12)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from registry_support import db_of, make_config, run

from ipwatch.cli import cli

TESTS = Path(__file__).parent
TITLE = ["惠州市重点出口企业名录（2026年3月）"]  # a title row above the header, as bureaus write
HEADER = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "英文名称",
    "曾用名",
    "注册地址",
    "所属区县",
    "行业",
    "主营产品",
    "联系人",
    "邮箱（必填）",  # a note in the header, as sheets carry
    "电话",
]
# Credit codes with a correct GB 32100-2015 check character (the last one).
JUNENG, HUAYU, BOLUO = "91441300MA4W5X6Y7X", "91441302MA53AB0C1X", "91441303MA4WQ8K2P3"
ROWS = [
    [
        1,
        "惠州市聚能电池有限公司",
        JUNENG,
        "",
        "惠州市聚能电子有限公司",
        "惠州市惠城区水口街道",
        "惠城区",
        "电池制造",
        "锂离子电池",
        "张伟",
        "legal@juneng-battery.cn",
        "0752-2345678",
    ],
    [
        2,
        "惠州市华宇照明科技有限公司",
        HUAYU,
        "Huizhou Huayu Lighting Technology Co., Ltd.",
        "",
        "惠州市惠阳区淡水街道",
        "惠阳区",
        "照明",
        "LED灯具",
        "李娜",
        "ip@huayu-light.cn；export@huayu-light.cn",
        "0752-3456789",
    ],
    # the check character is wrong (…0C1X is right)
    [
        3,
        "惠州市博罗塑胶制品有限公司",
        "91441302MA53AB0C11",
        "",
        "",
        "博罗县罗阳街道",
        "博罗县",
        "塑胶",
        "塑料件",
        "王强",
        "wq@boluo-plastic.cn",
        "",
    ],
    [
        4,
        "惠州市龙门五金有限公司",
        BOLUO,
        "",
        "",
        "龙门县",
        "龙门县",
        "五金",
        "五金件",
        "陈静",
        "chenjing@@longmen-hw",
        "",
    ],  # a mistyped email
    [5, "惠州市聚能电池有限公司", JUNENG, "", "", "", "惠城区", "", "", "", "", ""],  # duplicate
]


def workbook(path: Path, rows: list[list[object]] = ROWS) -> Path:
    """The bureau's sheet: a title row, Chinese headers, then the companies."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "出口企业"
    for row in [TITLE, HEADER, *rows]:
        sheet.append(row)
    book.save(path)
    return path


def csv_twin(path: Path, encoding: str = "gb18030", delimiter: str = ",") -> Path:
    """The same sheet saved by Chinese Excel as CSV (GB18030 by default)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in [TITLE, HEADER, *ROWS]:
        writer.writerow(row)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


@pytest.fixture
def config_path(tmp_path: Path) -> str:
    return make_config(tmp_path)


EXPECTED_ERRORS = [
    "第5行 line 5: 统一社会信用代码校验位错误 credit code 91441302MA53AB0C11: "
    "check character is wrong",
    "第6行 line 6: 邮箱无效 bad email 'chenjing@@longmen-hw'",
    f"第7行 line 7: 重复 duplicate of line 3 (same id {JUNENG})",
]


def test_workbook_preview_names_bad_rows_and_writes_nothing(config_path: str, tmp_path: Path):
    result = run(config_path, "import", str(workbook(tmp_path / "名录.xlsx")))
    assert result.exit_code == 1  # bad rows: the analyst must see them
    assert "编码 encoding: xlsx" in result.output
    assert "未识别的列 ignored columns: 序号" in result.output
    assert f"+ 新增 added    {JUNENG}  惠州市聚能电池有限公司" in result.output
    assert f"+ 新增 added    {HUAYU}  惠州市华宇照明科技有限公司" in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("! ")]
    assert len(errors) == 3
    for line, expected in zip(errors, EXPECTED_ERRORS, strict=True):
        assert expected in line
    assert "新增 added 2, 变更 changed 0, 移除 removed 0, 未变 unchanged 0, 错误行 bad rows 3" in (
        result.output
    )
    assert "Error: 3 行有错误 bad rows" in result.output and "good rows would load" in result.output
    assert "Traceback" not in result.output
    assert db_of(config_path).execute("select count(*) from companies").fetchone()[0] == 0


def test_apply_loads_the_good_rows_with_names_contacts_and_history(
    config_path: str, tmp_path: Path
) -> None:
    result = run(config_path, "import", str(workbook(tmp_path / "名录.xlsx")), "--apply")
    assert "已写入数据库 applied" in result.output and "good rows loaded" in result.output
    db = db_of(config_path)
    companies = {r["id"]: r for r in db.query("select * from companies")}
    assert set(companies) == {JUNENG, HUAYU}  # the credit code is the key when no id is given
    assert companies[JUNENG]["district"] == "惠城区"
    assert companies[JUNENG]["address"] == "惠州市惠城区水口街道"
    assert companies[HUAYU]["contact_email"] == "ip@huayu-light.cn;export@huayu-light.cn"
    names = [
        (r["text"], r["kind"], r["source"], r["added_by"])
        for r in db.query("select * from company_names where company_id = ? order by id", [JUNENG])
    ]
    assert names == [
        ("惠州市聚能电池有限公司", "zh_legal", "import:名录.xlsx", "analyst"),
        ("惠州市聚能电子有限公司", "zh_former", "import:名录.xlsx", "analyst"),
    ]
    contact = next(db.query("select * from company_contacts where company_id = ?", [JUNENG]))
    assert (contact["name"], contact["email"], contact["phone"]) == (
        "张伟",
        "legal@juneng-battery.cn",
        "0752-2345678",
    )
    history = [r["action"] for r in db.query("select action from registry_history")]
    assert history.count("added") == 2

    again = run(config_path, "import", str(workbook(tmp_path / "名录.xlsx")))
    assert "新增 added 0, 变更 changed 0, 移除 removed 0, 未变 unchanged 2" in again.output


def test_gb18030_csv_twin_gives_the_same_diff_and_errors(config_path: str, tmp_path: Path):
    book = run(config_path, "import", str(workbook(tmp_path / "名录.xlsx")))
    twin = run(config_path, "import", str(csv_twin(tmp_path / "名录.csv")))
    assert "编码 encoding: GB18030  逗号 ," in twin.output
    lines = [ln for ln in book.output.splitlines() if ln.startswith(("+", "!", "新增"))]
    twin_lines = [ln for ln in twin.output.splitlines() if ln.startswith(("+", "!", "新增"))]
    assert [ln.replace("名录.xlsx 工作表出口企业", "名录.csv ") for ln in lines] == twin_lines
    semi = run(config_path, "import", str(csv_twin(tmp_path / "b.csv", "utf-8-sig", ";")))
    assert "编码 encoding: UTF-8 with BOM  分号 ;" in semi.output
    assert "新增 added 2," in semi.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("企业名称,邮箱\r\n".encode("utf-16"), "编码为 UTF-16"),
        ("企业名称,邮箱\n".encode(), "只有表头没有数据 the file has a header but no rows"),
        ("name_zh\nCafé Société\n".encode("latin-1"), "encoding is neither UTF-8 (byte 0xE9"),
        (b"", "文件为空 the file is empty"),
        (b"name,email\nx,y\n", "找不到表头 no header row with 企业名称"),
    ],
)
def test_unreadable_files_are_one_clear_error(
    config_path: str, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = run(config_path, "import", str(path), "--apply")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert "Traceback" not in result.output


def test_reimport_shows_changes_and_removals_and_keeps_analyst_names(
    config_path: str, tmp_path: Path
) -> None:
    run(config_path, "import", str(workbook(tmp_path / "名录.xlsx")), "--apply")
    added = run(
        config_path,
        "add-name",
        HUAYU,
        "Huayu Lighting",
        "--kind",
        "brand",
        "--reason",
        "company website",
    )
    assert added.exit_code == 0, added.output
    changed = [ROWS[1][:6] + ["惠阳区", "照明", "LED灯具；路灯", "李娜", "ip@huayu-light.cn", ""]]
    result = run(config_path, "import", str(workbook(tmp_path / "v2.xlsx", changed)), "--apply")
    assert f"~ 变更 changed  {HUAYU}" in result.output
    assert "products: 'LED灯具' → 'LED灯具；路灯'" in result.output
    assert f"- 将移除 would be removed  {JUNENG}  惠州市聚能电池有限公司" in result.output
    db = db_of(config_path)
    removed = next(db.query("select removed_at from companies where id = ?", [JUNENG]))
    assert removed["removed_at"]  # soft-removed: history kept, restorable by a later import
    kept = [r["text"] for r in db.query("select text from company_names where source = 'analyst'")]
    assert kept == ["Huayu Lighting"]
    shown = CliRunner().invoke(cli, ["registry", "names", HUAYU, "--json", "--config", config_path])
    listed = json.loads(shown.output)
    assert [(n["name"], n["kind"], n["source"], n["reason"]) for n in listed][-1] == (
        "Huayu Lighting",
        "brand",
        "analyst",
        "company website",
    )


def test_export_round_trips_and_show_lists_contacts_and_history(
    config_path: str, tmp_path: Path
) -> None:
    run(config_path, "import", str(workbook(tmp_path / "名录.xlsx")), "--apply")
    out = tmp_path / "out" / "登记表.xlsx"
    result = CliRunner().invoke(cli, ["registry", "export", str(out), "--config", config_path])
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o600  # contacts are personal data
    from openpyxl import load_workbook

    book = load_workbook(out, read_only=True)
    rows = list(book["登记表"].iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "企业名称", "统一社会信用代码", "英文名称")
    juneng = next(r for r in rows if r[0] == JUNENG)
    assert (juneng[1], juneng[4], juneng[12]) == (
        "惠州市聚能电池有限公司",
        "惠州市聚能电子有限公司",
        "legal@juneng-battery.cn",
    )
    listed = list(book["名称"].iter_rows(values_only=True))
    assert ("HZ900", "Haohao", "brand", "品牌") in [r[:4] for r in listed]
    book.close()
    # The export is an import: nothing changes (the configured file's HZ900 is in it too).
    again = run(config_path, "import", str(out))
    assert "新增 added 0, 变更 changed 0, 移除 removed 0, 未变 unchanged 3, 错误行 bad rows 0" in (
        again.output
    )
    shown = CliRunner().invoke(cli, ["registry", "show", JUNENG, "--config", config_path])
    assert "district       惠城区" in shown.output
    assert "联系人 contact 张伟 legal@juneng-battery.cn 0752-2345678" in shown.output
    assert "analyst added 惠州市聚能电池有限公司" in shown.output
