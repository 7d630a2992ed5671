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

from core.registry_checks import CheckedRow, check_row, nfkc
from core.registry_file import RegistryFileError, Sheet, SheetRow, read_sheet
from core.registry_store import COMPANY_FIELDS, companies
from core.registry_sync import (
    IMPORT_SOURCE,
    CompanyRecord,
    Plan,
    apply_plan,
    key_index,
    plan_import,
    resolve_id,
    stable_match,
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
    notes: list[str] = field(default_factory=list)  # rows read with something to say


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


def _record(row: SheetRow, checked: CheckedRow) -> CompanyRecord:
    values = checked.values
    return CompanyRecord(
        line=row.line,
        id=values.get("id", ""),
        values=tuple((f, values.get(f, "")) for f in FIELDS),
        names=tuple(typed_names(values)),
        contacts=checked.contacts,
    )


def _described(record: CompanyRecord, index: dict[tuple[str, str], str], ids: set[str]) -> set[str]:
    """Every existing company a row names by its id, its credit code or its exact name."""
    found = {record.id} & ids
    for key in ("uscc", "name_zh", "name_en"):
        hit = index.get((key, nfkc(record.get(key))))
        if hit:
            found.add(hit)
    return found


def _records(
    sheet: Sheet, db: Database
) -> tuple[list[CompanyRecord], list[str], set[str], list[str]]:
    """Good rows as records; bad rows as messages; ids bad rows name; notes on read rows."""
    known = {c.id: c for c in companies(db, include_removed=True)}
    index = key_index(list(known.values()))
    checked = [(row, check_row(row)) for row in sheet.rows]
    drafts = [(row, c, _record(row, c)) for row, c in checked]
    # Ids rows reach by credit code or name come first: a serial 编号 must not take them.
    claimed = {hit for _, c, r in drafts if not c.problems and (hit := stable_match(r, index))}
    records: list[CompanyRecord] = []
    errors: list[str] = []
    notes: list[str] = []
    keep: set[str] = set()
    first: dict[tuple[str, str], int] = {}
    for row, check, draft in drafts:
        problems = list(check.problems)
        cid, note = resolve_id(draft, index, known, claimed)
        record = CompanyRecord(draft.line, cid, draft.values, draft.names, draft.contacts)
        keys = [("id", cid), ("uscc", record.get("uscc")), ("name", nfkc(record.get("name_zh")))]
        dup = next(((k, v) for k, v in keys if v and (k, v) in first), None)
        if dup:
            problems.append(f"重复 duplicate of line {first[dup]} (same {dup[0]} {dup[1]})")
        where = f"{sheet.label} {row.place}"
        if problems:
            errors += [f"{where}: {p}" for p in problems]
            # A typo in a row must not remove the company it describes.
            keep |= _described(draft, index, set(known))
            continue
        first.update({(k, v): row.line for k, v in keys if v})
        notes += [f"{where}: {n}" for n in (*check.notes, note) if n]
        records.append(record)
    return records, errors, keep, notes


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
    records, errors, keep, notes = _records(sheet, db)
    source = f"{IMPORT_SOURCE}{Path(path).name}"
    if sheet.partial and not keep_missing:
        keep_missing = True
        notes.append(
            f"{sheet.label}: 有表头不同的工作表未读取，本次不移除名录中未列出的企业 "
            "a sheet with other columns was not read: no company is removed this time"
        )
    plan = plan_import(db, records, keep, keep_missing, source if own_only else "")
    report = ImportReport(sheet, plan, errors, False, digest, notes)
    if apply:
        apply_plan(db, plan, by=by, source=source)
        report.applied = True
    return report
