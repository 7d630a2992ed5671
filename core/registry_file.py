"""Reading the bureau's registry sheets: .xlsx workbooks and CSV files as Chinese Excel saves them.

The encoding of a CSV is detected, never guessed silently: UTF-8 (with or without BOM) or GB18030,
named in the result; anything else is an error that says what the file is and how to re-save it.
Chinese and current English column headers map to one set of field names.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

# Field name → the headers that mean it (compared without spaces, case-insensitive).
HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "编号", "企业编号", "登记编号"),
    "name_zh": ("name_zh", "企业名称", "单位名称", "公司名称", "企业中文名称"),
    "uscc": ("uscc", "统一社会信用代码", "社会信用代码", "信用代码"),
    "name_en": ("name_en", "英文名称", "企业英文名称", "英文名"),
    "former": ("former", "former_names", "曾用名"),
    "aliases": ("aliases", "别名", "其他名称"),
    "address": ("address", "注册地址", "地址", "经营地址", "住所"),
    "district": ("district", "所属区县", "区县", "所在区县"),
    "industry": ("industry", "行业", "所属行业"),
    "products": ("products", "主营产品", "主要产品"),
    "parent_group": ("parent_group", "所属集团", "集团", "母公司"),
    "notes": ("notes", "备注"),
    "contact_name": ("contact_name", "联系人"),
    "contact_email": ("contact_email", "邮箱", "电子邮箱", "联系邮箱", "email"),
    "phone": ("phone", "电话", "联系电话", "手机"),
}
_LOOKUP = {h.lower(): field for field, hs in HEADERS.items() for h in hs}
HEADER_SCAN_ROWS = 10  # a title row ("惠州市出口企业名录") may stand above the header


class RegistryFileError(Exception):
    """The file as a whole cannot be read as a registry (its rows are never half-loaded)."""


@dataclass(frozen=True)
class SheetRow:
    """One data row: its line (CSV line or Excel row number) and its values by field name."""

    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Sheet:
    """A registry file read into rows, with what was detected about it."""

    label: str
    encoding: str  # "UTF-8", "UTF-8 with BOM", "GB18030" or "xlsx"
    delimiter: str
    rows: tuple[SheetRow, ...]
    ignored_columns: tuple[str, ...] = ()


def display(path: Path) -> str:
    """A short name for messages: relative to the working directory when possible."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


_NOTE = re.compile(r"[（(][^()（）]*[)）]")  # "企业名称（全称）", "邮箱(必填)"


def _field(header: str) -> str:
    key = "".join(str(header).split()).strip("*＊").lower()
    return _LOOKUP.get(key) or _LOOKUP.get(_NOTE.sub("", key), "")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number or code typed as a number
    if isinstance(value, datetime | date):
        return value.isoformat()
    return " ".join(str(value).split())


def _table(label: str, grid: list[tuple[int, list[object]]]) -> tuple[list[SheetRow], list[str]]:
    """Find the header among the first rows, then map every later row to field names."""
    pos = next(
        (
            i
            for i, (_, cells) in enumerate(grid[:HEADER_SCAN_ROWS])
            if {"name_zh", "name_en"} & {_field(_cell(c)) for c in cells}
        ),
        -1,
    )
    if pos < 0:
        raise RegistryFileError(
            f"{label}: 找不到表头 no header row with 企业名称/单位名称 (or name_zh/name_en) "
            f"in the first {HEADER_SCAN_ROWS} rows"
        )
    cells = grid[pos][1]
    fields = [_field(_cell(c)) for c in cells]
    ignored = [_cell(c) for c, f in zip(cells, fields, strict=True) if not f and _cell(c)]
    out = []
    for line, values in grid[pos + 1 :]:
        record = {f: _cell(v) for f, v in zip(fields, values, strict=False) if f and _cell(v) != ""}
        extra = values[len(fields) :]
        if any(_cell(v) for v in extra):
            record["__overflow__"] = "1"
        if record:
            out.append(SheetRow(line, record))
    if not out:
        raise RegistryFileError(f"{label}: 只有表头没有数据 the file has a header but no rows")
    return out, ignored


def detect_encoding(data: bytes, label: str) -> tuple[str, str]:
    """Decode CSV bytes as UTF-8 (BOM or not) or GB18030 and say which, else raise."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError as exc:
            raise RegistryFileError(f"{label}: UTF-8 BOM but invalid UTF-8: {exc}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RegistryFileError(
            f"{label}: 编码为 UTF-16 (Excel “Unicode 文本”), not supported; "
            "请另存为 “CSV UTF-8” 或 .xlsx / save as CSV UTF-8 or .xlsx"
        )
    if data.startswith(b"PK\x03\x04"):
        raise RegistryFileError(f"{label}: 这是 Excel 工作簿 an .xlsx workbook: name it *.xlsx")
    if b"\x00" in data:
        raise RegistryFileError(f"{label}: binary file (NUL bytes), not a CSV or .xlsx")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError:
        line = data[:first_bad].count(b"\n") + 1
        raise RegistryFileError(
            f"{label}: 编码无法识别 encoding is neither UTF-8 (byte 0x{data[first_bad]:02X} on "
            f"line {line}) nor GB18030; 请另存为 “CSV UTF-8” 或 .xlsx"
        ) from None


def _delimiter(text: str) -> str:
    """The separator the header uses most (a title row above it has none)."""
    lines = text.splitlines()[:HEADER_SCAN_ROWS]
    counts = {d: max((line.count(d) for line in lines), default=0) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(path: Path) -> Sheet:
    """A CSV file in UTF-8, UTF-8 with BOM or GB18030, comma-, semicolon- or tab-separated."""
    label = display(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RegistryFileError(f"{label}: 文件不存在 file not found") from None
    except OSError as exc:
        raise RegistryFileError(f"{label}: cannot read: {exc.strerror}") from None
    if not data.strip():
        raise RegistryFileError(f"{label}: 文件为空 the file is empty")
    text, encoding = detect_encoding(data, label)
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid: list[tuple[int, list[object]]] = []
    start = 1
    try:
        for record in reader:
            grid.append((start, list(record)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise RegistryFileError(f"{label} line {reader.line_num}: {exc}") from None
    try:
        found, ignored = _table(label, grid)
    except RegistryFileError as exc:
        raise RegistryFileError(
            f"{exc} (read as {encoding}; a file in Big5 or another encoding must be re-saved as "
            "“CSV UTF-8” / 请另存为 “CSV UTF-8”)"
        ) from None
    return Sheet(label, encoding, delimiter, tuple(found), tuple(ignored))


def read_xlsx(path: Path) -> Sheet:
    """The first worksheet of an .xlsx workbook that has a registry header."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    label = display(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise RegistryFileError(f"{label}: 文件不存在 file not found") from None
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise RegistryFileError(
            f"{label}: 不是有效的 .xlsx 工作簿 not a valid workbook: {exc}"
        ) from None
    try:
        problems = []
        for sheet in book.worksheets:
            grid = [
                (n, list(cells))
                for n, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
            try:
                found, ignored = _table(f"{label} [{sheet.title}]", grid)
            except RegistryFileError as exc:
                problems.append(str(exc))
                continue
            return Sheet(f"{label} [{sheet.title}]", "xlsx", "", tuple(found), tuple(ignored))
    finally:
        book.close()
    raise RegistryFileError("; ".join(problems) or f"{label}: 工作簿没有工作表 no worksheet")


def read_sheet(path: Path) -> Sheet:
    """Read a registry file by its extension: .xlsx, or CSV for anything else."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et"):
        raise RegistryFileError(
            f"{display(path)}: 旧版 Excel (.xls) 不支持 old .xls workbooks are not read; "
            "请另存为 .xlsx / save as .xlsx"
        )
    return read_xlsx(path) if suffix in (".xlsx", ".xlsm") else read_csv(path)
