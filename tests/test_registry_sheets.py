"""Registry files as bureaus send them: damaged, stale, several sheets, notes, footers (#13)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from registry_support import BOLUO, HUAYU, JUNENG, book, companies_by_id, make_config, run

HEADER = ["序号", "企业名称", "统一社会信用代码", "所属区县", "邮箱"]
ROWS = [
    [1, "惠州市聚能电池有限公司", JUNENG, "惠城区", "legal@juneng-battery.cn"],
    [2, "惠州市华宇照明科技有限公司", HUAYU, "惠阳区", "ip@huayu-light.cn"],
    [3, "惠州市博罗塑胶制品有限公司", BOLUO, "博罗县", "wq@boluo-plastic.cn"],
]
NOT_XLSX = "不是有效的 Excel 文件（可能已损坏、加密或实为 CSV）"


@pytest.fixture
def config_path(tmp_path: Path) -> str:
    return make_config(tmp_path)


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "文件为空 the file is empty"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 512, "加密的工作簿或旧版 .xls"),
        ("企业名称,邮箱\r\n惠州市甲公司,a@b.cn\r\n".encode("gb18030"), "可能是 CSV 或文本"),
        (None, "压缩包已损坏 the zip container is damaged"),  # the first half of a real workbook
    ],
)
def test_a_damaged_or_disguised_workbook_is_one_clear_error(
    config_path: str, tmp_path: Path, content: bytes | None, why: str
) -> None:
    path = tmp_path / "名录.xlsx"
    if content is None:
        whole = book(tmp_path / "good.xlsx", {"名录": [HEADER, *ROWS]}).read_bytes()
        content = whole[: len(whole) // 2]
    path.write_bytes(content)
    result = run(config_path, "import", str(path), "--apply")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "名录.xlsx: " + NOT_XLSX in result.output
    assert why in result.output and "Traceback" not in result.output


def test_a_stale_dimension_tag_loses_no_row(config_path: str, tmp_path: Path) -> None:
    good = book(tmp_path / "good.xlsx", {"名录": [HEADER, *ROWS]})
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(stale, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data, n = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:E2"', data)
                assert n == 1
            out.writestr(item, data)
    result = run(config_path, "import", str(stale), "--apply")
    assert result.exit_code == 0, result.output
    assert "新增 added 3," in result.output
    assert {JUNENG, HUAYU, BOLUO} <= set(companies_by_id(config_path))


def test_every_visible_sheet_is_read_and_the_others_are_named(
    config_path: str, tmp_path: Path
) -> None:
    path = book(
        tmp_path / "分区名录.xlsx",
        {
            "2023年(旧)": [HEADER, [9, "惠州市旧表电子有限公司", "", "惠城区", ""]],
            "填表说明": [["填表说明：企业名称请填写营业执照上的全称"]],
            "惠城区": [HEADER, ROWS[0]],
            "惠阳区": [HEADER, ROWS[1], [4, "惠州市坏邮箱有限公司", "", "惠阳区", "x@@y"]],
            "汇总": [["企业名称", "备注"], ["惠州市博罗塑胶制品有限公司", "重复"]],
        },
        hidden=("2023年(旧)",),
    )
    result = run(config_path, "import", str(path), "--apply")
    assert "已读取工作表 sheets read: 惠城区, 惠阳区" in result.output
    assert (
        "未读取的工作表 sheets skipped: 2023年(旧)（隐藏 hidden）, 填表说明（找不到表头）, "
        "汇总（表头与工作表惠城区不同 header differs)"
    ) in result.output
    assert (
        "/分区名录.xlsx 工作表惠阳区第3行 line 3: 邮箱无效 bad email 'x@@y': "
        "@ 后面有不允许的字符 The part after the @-sign contains invalid characters: '@'."
        "（列 column「邮箱」）"
    ) in result.output
    found = companies_by_id(config_path)
    assert found[JUNENG]["district"] == "惠城区" and found[HUAYU]["district"] == "惠阳区"
    assert not [c for c in found.values() if c["name_zh"] == "惠州市旧表电子有限公司"]


def test_header_notes_say_english_and_common_headers_are_known(
    config_path: str, tmp_path: Path
) -> None:
    header = [
        "企业名称（中文）",
        "企业名称(英文)",
        "统一社会信用代码/注册号",
        "地址（英文）",
        "所属县区",
        "主要出口产品",
        "E-mail",
    ]
    row = [
        "惠州市聚能电池有限公司",
        "Huizhou Juneng Battery Co., Ltd.",
        JUNENG,
        "Shuikou, Huicheng",
        "惠城区",
        "锂离子电池",
        "legal@juneng-battery.cn",
    ]
    result = run(config_path, "import", str(book(tmp_path / "a.xlsx", {"名录": [header, row]})))
    assert "未识别的列 ignored columns: 地址（英文）（没有对应的英文字段 no English field" in (
        result.output
    )
    run(config_path, "import", str(tmp_path / "a.xlsx"), "--apply")
    company = companies_by_id(config_path)[JUNENG]
    assert (company["name_zh"], company["name_en"]) == (
        "惠州市聚能电池有限公司",
        "Huizhou Juneng Battery Co., Ltd.",
    )
    assert (company["district"], company["products"], company["address"]) == (
        "惠城区",
        "锂离子电池",
        "",
    )
    assert company["contact_email"] == "legal@juneng-battery.cn"


def test_two_columns_for_one_field_are_an_error_naming_both(
    config_path: str, tmp_path: Path
) -> None:
    path = book(tmp_path / "b.xlsx", {"名录": [["企业名称", "单位名称"], ["惠州甲", "惠州乙"]]})
    result = run(config_path, "import", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "两列对应同一字段 columns 「企业名称」 and 「单位名称」 both mean name_zh" in (
        result.output
    )


def test_footer_lines_are_skipped_and_said(config_path: str, tmp_path: Path) -> None:
    rows = [HEADER, *ROWS, [], ["合计：共3家企业"], ["制表人：李四　审核人：王五"]]
    rows += [[None, "备注：本表由各县区汇总"], ["注：邮箱多个用；分隔"]]
    result = run(config_path, "import", str(book(tmp_path / "c.xlsx", {"名录": rows})), "--apply")
    assert result.exit_code == 0, result.output
    for line, text in [(6, "合计：共3家企业"), (7, "制表人：李四 审核人：王五"), (9, "注：")]:
        assert (
            f"c.xlsx 工作表名录第{line}行 line {line}: 表尾说明行，已跳过 footer line skipped: "
            f"{text}" in result.output
        )
    assert "工作表名录第8行 line 8: 表尾说明行" in result.output
    assert "新增 added 3," in result.output and "错误行 bad rows 0" in result.output


def test_full_width_ids_codes_and_emails_and_no_email_placeholders(
    config_path: str, tmp_path: Path
) -> None:
    header = ["编号", "企业名称", "统一社会信用代码", "电子邮件"]
    wide_code = JUNENG.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    rows = [
        header,
        ["ＨＺ００１", "惠州市聚能电池有限公司", wide_code, "ｚｈａｎｇ８@test8.cn"],
        ["HZ002", "惠州市华宇照明科技有限公司", HUAYU, "zhang1＠test1.cn"],
        ["HZ003", "惠州市博罗塑胶制品有限公司", BOLUO, "暂无"],
        ["HZ004", "惠州市龙门五金有限公司", "", "N/A"],
    ]
    result = run(config_path, "import", str(book(tmp_path / "d.xlsx", {"名录": rows})), "--apply")
    assert result.exit_code == 0, result.output
    assert "d.xlsx 工作表名录第4行 line 4: 无邮箱 no email ('暂无')（列 column「电子邮件」）" in (
        result.output
    )
    found = companies_by_id(config_path)
    assert (found["HZ001"]["uscc"], found["HZ001"]["contact_email"]) == (JUNENG, "zhang8@test8.cn")
    assert found["HZ002"]["contact_email"] == "zhang1@test1.cn"
    assert found["HZ003"]["contact_email"] == found["HZ004"]["contact_email"] == ""


def test_a_comma_csv_with_semicolon_lists_is_read_as_comma_separated(
    config_path: str, tmp_path: Path
) -> None:
    path = tmp_path / "e.csv"
    path.write_text(
        "企业名称,统一社会信用代码,主营产品\n"
        f"惠州市聚能电池有限公司,{JUNENG},电池;电芯;模组;充电器;电源;储能柜;线材\n",
        encoding="utf-8",
    )
    result = run(config_path, "import", str(path), "--apply")
    assert "编码 encoding: UTF-8  逗号 ," in result.output and result.exit_code == 0
    assert (
        companies_by_id(config_path)[JUNENG]["products"] == "电池;电芯;模组;充电器;电源;储能柜;线材"
    )


def test_a_sheet_left_unread_for_its_header_removes_none_of_its_companies(
    config_path: str, tmp_path: Path
) -> None:
    both = {"惠城区": [HEADER, ROWS[0]], "惠阳区": [HEADER, ROWS[1]]}
    assert (
        run(config_path, "import", str(book(tmp_path / "v1.xlsx", both)), "--apply").exit_code == 0
    )
    assert {JUNENG, HUAYU} <= set(companies_by_id(config_path))
    # Next month 惠阳区's sheet gains a column: it is no longer read, yet its company stays.
    other = [*HEADER, "备注"], [*ROWS[1], "新增一列"]
    changed = {"惠城区": [HEADER, ROWS[0]], "惠阳区": list(other)}
    result = run(config_path, "import", str(book(tmp_path / "v2.xlsx", changed)), "--apply")
    assert result.exit_code == 0, result.output
    assert "惠阳区（表头与工作表惠城区不同 header differs)" in result.output
    assert "本次不移除名录中未列出的企业 a sheet with other columns was not read" in result.output
    assert "移除 removed 0, 未变 unchanged 1" in result.output
    assert {JUNENG, HUAYU} <= set(companies_by_id(config_path))


def test_formulas_saved_without_their_results_are_named(config_path: str, tmp_path: Path) -> None:
    # A program wrote the workbook: openpyxl, like many, saves formulas without their results.
    formula = [1, '="惠州市聚能"&"电池有限公司"', JUNENG, "惠城区", "legal@juneng-battery.cn"]
    path = book(tmp_path / "导出.xlsx", {"名录": [HEADER, formula, ROWS[1]]})
    result = run(config_path, "import", str(path))
    assert (
        "导出.xlsx: 1 个公式单元格没有保存计算结果，读作空白：请用 Excel 或 WPS 打开并保存后再导入"
    ) in result.output
    # A workbook saved with its values says nothing.
    plain = run(config_path, "import", str(book(tmp_path / "名录.xlsx", {"名录": [HEADER, *ROWS]})))
    assert "公式单元格" not in plain.output
