"""The header row of a registry sheet: which column means which field, and which rows are data.

Chinese and current English column headers map to one set of field names; a bracketed note that
says 英文/English makes a name column the English one. Rows below the header become SheetRows,
except footer lines (合计, 制表人, 填表说明 …), which are skipped and said.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

# Field name → the headers that mean it (compared NFKC-normalised, without spaces, ignoring case).
HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "企业编号", "登记编号"),
    "name_zh": ("name_zh", "企业名称", "单位名称", "公司名称", "企业中文名称"),
    "uscc": (
        "uscc",
        "统一社会信用代码",
        "社会信用代码",
        "信用代码",
        "统一社会信用代码/注册号",
    ),
    "name_en": ("name_en", "英文名称", "企业英文名称", "英文名"),
    "former": ("former", "former_names", "曾用名"),
    "aliases": ("aliases", "别名", "其他名称"),
    "address": ("address", "注册地址", "地址", "经营地址", "住所"),
    "district": ("district", "所属区县", "所属县区", "区县", "县区", "所在区县"),
    "industry": ("industry", "行业", "所属行业"),
    "products": ("products", "主营产品", "主要产品", "主要出口产品", "出口产品"),
    "parent_group": ("parent_group", "所属集团", "集团", "母公司"),
    "notes": ("notes", "备注"),
    "contact_name": ("contact_name", "联系人"),
    "contact_email": (
        "contact_email",
        "邮箱",
        "电子邮箱",
        "电子邮件",
        "联系邮箱",
        "联系人邮箱",
        "邮箱地址",
        "email",
        "e-mail",
    ),
    "phone": ("phone", "电话", "联系电话", "手机"),
}
_LOOKUP = {h.lower(): f for f, hs in HEADERS.items() for h in hs}
# A column whose note says English is the English counterpart of its field, where one exists.
ENGLISH_OF = {"name_zh": "name_en", "name_en": "name_en", "former": "former", "aliases": "aliases"}
HEADER_SCAN_ROWS = 10  # a title row ("惠州市出口企业名录") may stand above the header
_NOTE = re.compile(r"\(([^()]*)\)")  # "企业名称(全称)", "邮箱(必填)" after NFKC
_ENGLISH_NOTE = re.compile(r"英文|english|^en$")
# Lines under the table that say who made it or how many rows it has; 注 only as "注：…", since
# a legal name may start with 注塑.
FOOTER = re.compile(
    r"^(合计|总计|小计|制表|填表|审核|负责人|备注|说明|注(?=$|[\s:：0-9一二三、.]))"
)


class RegistryFileError(Exception):
    """The file as a whole cannot be read as a registry (its rows are never half-loaded)."""


class HeaderConflict(RegistryFileError):
    """Two columns of a recognised header mean the same field: no sheet may be read past it."""


@dataclass(frozen=True)
class SheetRow:
    """One data row: its line (CSV line or Excel row number), sheet and values by field name."""

    line: int
    values: dict[str, str]
    sheet: str = ""  # the worksheet of a workbook; "" for a CSV
    headers: Mapping[str, str] = field(default_factory=dict)  # field → the column's header

    @property
    def place(self) -> str:
        """Where the row is, as messages say it: "工作表名录第5行 line 5" or "第5行 line 5"."""
        sheet = f"工作表{self.sheet}" if self.sheet else ""
        return f"{sheet}第{self.line}行 line {self.line}"

    def column(self, name: str) -> str:
        """The header of the column a field came from, for messages about one cell."""
        return f"（列 column「{self.headers.get(name, name)}」）"


@dataclass(frozen=True)
class Table:
    """The rows under a recognised header, and what was left out with why."""

    rows: tuple[SheetRow, ...]
    fields: frozenset[str]
    ignored: tuple[str, ...]
    footers: tuple[str, ...]


def cell(value: object) -> str:
    """A cell's text: numbers typed for codes lose their ".0", dates are ISO, spaces collapse."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number or code typed as a number
    if isinstance(value, datetime | date):
        return value.isoformat()
    return " ".join(str(value).split())


def header_field(header: str) -> tuple[str, str]:
    """The field a header means ('' when none), and why a known column is ignored ('' if not)."""
    key = unicodedata.normalize("NFKC", "".join(str(header).split())).strip("*").lower()
    if key in _LOOKUP:
        return _LOOKUP[key], ""
    base = _NOTE.sub("", key)
    found = _LOOKUP.get(base, "")
    if found and any(_ENGLISH_NOTE.search(note) for note in _NOTE.findall(key)):
        if found not in ENGLISH_OF:
            return "", f"{header}（没有对应的英文字段 no English field for {found}）"
        return ENGLISH_OF[found], ""
    return found, ""


def _columns(cells: list[object], where: str) -> tuple[list[str], dict[str, str], list[str]]:
    fields: list[str] = []
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for raw in cells:
        text = cell(raw)
        name, why = header_field(text)
        if name in headers:
            raise HeaderConflict(
                f"{where}: 两列对应同一字段 columns 「{headers[name]}」 and 「{text}」 both mean "
                f"{name}; 请删除或改名其中一列 delete or rename one of them"
            )
        if name:
            headers[name] = text
        elif text:
            ignored.append(why or text)
        fields.append(name)
    return fields, headers, ignored


def find_table(where: str, grid: list[tuple[int, list[object]]], sheet: str = "") -> Table:
    """Find the header among the first rows, then map every later row to field names."""
    pos = next(
        (
            i
            for i, (_, cells) in enumerate(grid[:HEADER_SCAN_ROWS])
            if {"name_zh", "name_en"} & {header_field(cell(c))[0] for c in cells}
        ),
        -1,
    )
    if pos < 0:
        raise RegistryFileError(
            f"{where}: 找不到表头 no header row with 企业名称/单位名称 (or name_zh/name_en) "
            f"in the first {HEADER_SCAN_ROWS} rows"
        )
    fields, headers, ignored = _columns(grid[pos][1], where)
    rows, footers = [], []
    for line, values in grid[pos + 1 :]:
        record = {f: cell(v) for f, v in zip(fields, values, strict=False) if f and cell(v)}
        if any(cell(v) for v in values[len(fields) :]):
            record["__overflow__"] = "1"
        first = next((cell(v) for v in values if cell(v)), "")
        if not first:
            continue  # an empty line
        row = SheetRow(line, record, sheet, headers)
        if FOOTER.match(first) and not record.get("uscc") and not record.get("id"):
            footers.append(f"{row.place}: 表尾说明行，已跳过 footer line skipped: {first[:40]}")
        elif not record:
            footers.append(f"{row.place}: 只有未识别的列有内容，已跳过 only ignored columns filled")
        else:
            rows.append(row)
    if not rows:
        raise RegistryFileError(f"{where}: 只有表头没有数据 the file has a header but no rows")
    return Table(tuple(rows), frozenset(headers), tuple(ignored), tuple(footers))
