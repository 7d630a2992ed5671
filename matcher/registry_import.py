"""`registry import`: a bureau sheet (.xlsx or CSV) into typed company names, diffed and applied.

Reading, validation and the database diff live in the foundation (core.registry_file, _sync); the
matcher decides what kind each name is, with the same rules as the CSV loader (matcher.registry).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from core.registry_checks import row_problems
from core.registry_file import RegistryFileError, Sheet, read_sheet
from core.registry_store import COMPANY_FIELDS, companies
from core.registry_sync import (
    IMPORT_SOURCE,
    CompanyRecord,
    Plan,
    apply_plan,
    key_index,
    plan_import,
    resolve_id,
)
from matcher.normalize import canonical
from matcher.registry import _RENAMED, RegistryError, _alias_names

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SPLIT_NAMES = re.compile(r"\s*[;；、]\s*")
FIELDS = COMPANY_FIELDS


@dataclass
class ImportReport:
    """What an import found: the file as detected, the diff, the bad rows, whether applied."""

    sheet: Sheet
    plan: Plan
    errors: list[str] = field(default_factory=list)
    applied: bool = False
    sha256: str = ""


def _script(text: str, zh: str, en: str) -> str:
    return zh if _CJK.search(text) else en


def typed_names(values: dict[str, str]) -> list[tuple[str, str]]:
    """Every name of a row with its registry kind (legal, former, variant, brand, licensed)."""
    out = []
    if values.get("name_zh"):
        out.append((values["name_zh"], "zh_legal"))
    if values.get("name_en"):
        out.append((values["name_en"], "en_official"))
    for text in _SPLIT_NAMES.split(values.get("former", "")):
        if text:
            out.append((text, _script(text, "zh_former", "en_former")))
    renamed = {
        canonical(n)
        for m in _RENAMED.finditer(values.get("notes", ""))
        for n in m.group(1).split("/")
    }
    for name in _alias_names(values.get("aliases", ""), renamed):
        if name.kind == "former":
            kind = _script(name.text, "zh_former", "en_former")
        elif name.kind == "variant":
            kind = _script(name.text, "zh_variant", "en_variant")
        else:
            kind = name.kind  # brand | licensed
        out.append((name.text, kind))
    return list(dict.fromkeys(out))


def _records(sheet: Sheet, db: Database) -> tuple[list[CompanyRecord], list[str], set[str]]:
    """Good rows as records; bad rows as messages; ids of existing companies that bad rows name."""
    known = companies(db, include_removed=True)
    index = key_index(known)
    known_ids = {c.id for c in known}
    records: list[CompanyRecord] = []
    errors: list[str] = []
    keep: set[str] = set()
    first: dict[tuple[str, str], int] = {}
    for row in sheet.rows:
        values, people, problems = row_problems(row)
        record = CompanyRecord(
            line=row.line,
            id=values.get("id", ""),
            values=tuple((f, values.get(f, "")) for f in FIELDS),
            names=tuple(typed_names(values)),
            contacts=people,
        )
        record = CompanyRecord(
            record.line, resolve_id(record, index), record.values, record.names, people
        )
        for key in ("id", "uscc", "name_zh"):
            value = record.id if key == "id" else record.get(key)
            if value and (key, value) in first:
                problems.append(
                    f"重复 duplicate of line {first[(key, value)]} (same {key} {value})"
                )
                break
        if problems:
            errors += [f"{sheet.label} 第{row.line}行 line {row.line}: {p}" for p in problems]
            if record.id in known_ids:
                keep.add(record.id)  # a typo in a row must not remove the company it describes
            continue
        for key in ("id", "uscc", "name_zh"):
            value = record.id if key == "id" else record.get(key)
            if value:
                first[(key, value)] = row.line
        records.append(record)
    return records, errors, keep


def import_file(
    db: Database,
    path: Path,
    *,
    apply: bool,
    by: str,
    keep_missing: bool = False,
    own_only: bool = False,
) -> ImportReport:
    """Read, validate and diff a registry file; write it in one transaction when `apply`.

    `own_only`: remove only companies this file brought earlier (the configured file must not
    remove what an analyst imported from another sheet).
    """
    try:
        sheet = read_sheet(Path(path))
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except (RegistryFileError, OSError) as exc:
        raise RegistryError(str(exc)) from None
    records, errors, keep = _records(sheet, db)
    source = f"{IMPORT_SOURCE}{Path(path).name}"
    plan = plan_import(db, records, keep, keep_missing, source if own_only else "")
    report = ImportReport(sheet, plan, errors, False, digest)
    if apply:
        apply_plan(db, plan, by=by, source=source)
        report.applied = True
    return report
