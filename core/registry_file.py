"""Reading the bureau's registry sheets: .xlsx workbooks and CSV files as Chinese Excel saves them.

The encoding of a CSV is detected, never guessed silently: UTF-8 (with or without BOM) or GB18030,
named in the result; anything else is an error that says what the file is and how to re-save it.
Every visible worksheet with a registry header is read; hidden ones and others are named as skipped.
Column headers are mapped in core/registry_headers.py.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError

from core.registry_headers import (
    HEADER_SCAN_ROWS,
    HeaderConflict,
    RegistryFileError,
    SheetRow,
    Table,
    cell,
    find_table,
    header_field,
)

__all__ = ["RegistryFileError", "Sheet", "SheetRow", "display", "read_sheet"]
_NOT_XLSX = (
    "不是有效的 Excel 文件（可能已损坏、加密或实为 CSV）not a valid .xlsx workbook (damaged, "
    "password-protected or a CSV renamed); 请用 Excel/WPS 打开后另存为 .xlsx / open it in Excel "
    "or WPS and save it as .xlsx"
)


@dataclass(frozen=True)
class Sheet:
    """A registry file read into rows, with what was detected about it."""

    label: str
    encoding: str  # "UTF-8", "UTF-8 with BOM", "GB18030" or "xlsx"
    delimiter: str
    rows: tuple[SheetRow, ...]
    ignored_columns: tuple[str, ...] = ()
    sheets: tuple[str, ...] = ()  # the worksheets read, in order
    skipped_sheets: tuple[str, ...] = ()  # "名称（why）"
    skipped_rows: tuple[str, ...] = ()  # footer lines, with their place
    warnings: tuple[str, ...] = ()
    # A visible sheet with a registry header of other columns was not read: its companies are
    # not in `rows`, so the file must not remove what it does not list (see import_file).
    partial: bool = False


def display(path: Path) -> str:
    """A short name for messages: relative to the working directory when possible."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


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
    """The separator under which a header row is recognised, else the one the top uses most.

    Counting alone fails when a products cell lists many items with ";" in a comma file.
    """
    top = text.splitlines()[:HEADER_SCAN_ROWS]
    counts = {d: max((line.count(d) for line in top), default=0) for d in (",", ";", "\t")}
    ranked = sorted((d for d in counts if counts[d]), key=lambda d: -counts[d])
    for d in ranked:
        rows = csv.reader(io.StringIO("\n".join(top)), delimiter=d)
        if any({"name_zh", "name_en"} & {header_field(cell(c))[0] for c in r} for r in rows):
            return d
    return ranked[0] if ranked else ","


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
        table = find_table(label, grid)
    except RegistryFileError as exc:
        raise RegistryFileError(
            f"{exc} (read as {encoding}; a file in Big5 or another encoding must be re-saved as "
            "“CSV UTF-8” / 请另存为 “CSV UTF-8”)"
        ) from None
    return Sheet(label, encoding, delimiter, table.rows, table.ignored, skipped_rows=table.footers)


def _why_not_xlsx(path: Path) -> str:
    """What the bytes of a file named .xlsx really are, for the error message."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        return "文件为空 the file is empty"
    if head.startswith(bytes.fromhex("D0CF11E0A1B11AE1")):
        return "加密的工作簿或旧版 .xls password-protected workbook or old .xls"
    if head.startswith(b"PK"):
        return "压缩包已损坏 the zip container is damaged or truncated"
    return "内容不是 .xlsx（可能是 CSV 或文本）the content is not a workbook (a CSV or text?)"


HEADER_DIFFERS = "表头与工作表"
# What openpyxl raises on a damaged, encrypted or renamed file, while opening or reading rows.
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, ParseError)


def _sheets(book: object, label: str) -> tuple[list[tuple[str, Table]], list[str], list[str]]:
    """Every visible worksheet with a registry header; the others named with why they were not."""
    read: list[tuple[str, Table]] = []
    skipped, problems = [], []
    for ws in book.worksheets:  # type: ignore[attr-defined]
        if ws.sheet_state != "visible":
            skipped.append(f"{ws.title}（隐藏 hidden）")
            continue
        ws.reset_dimensions()  # read-only mode trusts the stored <dimension>, which may be stale
        grid = [(n, list(c)) for n, c in enumerate(ws.iter_rows(values_only=True), start=1)]
        try:
            table = find_table(f"{label} 工作表{ws.title}", grid, ws.title)
        except HeaderConflict:
            raise
        except RegistryFileError as exc:
            reason = str(exc).split(": ", 1)[-1].split(" ", 1)[0]
            skipped.append(f"{ws.title}（{reason}）")
            problems.append(str(exc))
            continue
        if read and table.fields != read[0][1].fields:
            skipped.append(f"{ws.title}（{HEADER_DIFFERS}{read[0][0]}不同 header differs)")
            continue
        read.append((ws.title, table))
    return read, skipped, problems


def read_xlsx(path: Path) -> Sheet:
    """Every visible worksheet of an .xlsx workbook that has the registry header."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    label = display(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise RegistryFileError(f"{label}: 文件不存在 file not found") from None
    except (InvalidFileException, OSError, KeyError, ValueError, *_BROKEN) as exc:
        raise RegistryFileError(f"{label}: {_NOT_XLSX}: {_why_not_xlsx(path)} ({exc})") from None
    try:
        read, skipped, problems = _sheets(book, label)
    except (OSError, *_BROKEN) as exc:
        raise RegistryFileError(f"{label}: {_NOT_XLSX}: {exc}") from None
    finally:
        book.close()
    if not read:
        raise RegistryFileError("; ".join(problems) or f"{label}: 工作簿没有可读的工作表 no sheet")
    first = read[0][1]
    blank = _formulas_without_values(path)
    return Sheet(
        label,
        "xlsx",
        "",
        tuple(r for _, t in read for r in t.rows),
        first.ignored,
        tuple(name for name, _ in read),
        tuple(skipped),
        tuple(f for _, t in read for f in t.footers),
        (f"{label}: {blank} {_NO_VALUE}",) if blank else (),
        partial=any(HEADER_DIFFERS in s for s in skipped),
    )


# A formula cell saved without its result (files written by programs, not by Excel or WPS):
# openpyxl reads only saved results, so such a cell reads as empty.
_FORMULA_ONLY = re.compile(
    rb"<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
_NO_VALUE = (
    "个公式单元格没有保存计算结果，读作空白：请用 Excel 或 WPS 打开并保存后再导入 "
    "formula cells have no saved value and read as empty: open and save the file in Excel or "
    "WPS, then import again"
)


def _formulas_without_values(path: Path) -> int:
    """How many formula cells of the workbook's sheets carry no saved result."""
    with zipfile.ZipFile(path) as book:
        return sum(
            len(_FORMULA_ONLY.findall(book.read(name)))
            for name in book.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


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
