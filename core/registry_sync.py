"""Importing a registry sheet: compare checked rows with the database, apply in one transaction.

Rows are checked in core/registry_checks.py; a bad row is named by line and reason and left out.
Names an analyst added (source other than an import) survive every re-import.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlite_utils import Database

from core.registry_checks import nfkc
from core.registry_store import (
    COMPANY_FIELDS,
    Contact,
    StoredCompany,
    StoredName,
    companies,
    contacts,
    names,
)
from core.store import now_iso

IMPORT_SOURCE = "import:"  # names and companies brought by a file carry "import:<file>"


@dataclass(frozen=True)
class CompanyRecord:
    """The state of one company as a file describes it."""

    line: int
    id: str
    values: tuple[tuple[str, str], ...]  # (field, value) for COMPANY_FIELDS
    names: tuple[tuple[str, str], ...]  # (text, kind)
    contacts: tuple[Contact, ...] = ()

    def get(self, name: str) -> str:
        """One field's value ('' when absent)."""
        return dict(self.values).get(name, "")


@dataclass
class Plan:
    """What an import would do: the diff shown before `--apply`."""

    added: list[CompanyRecord] = field(default_factory=list)
    changed: list[tuple[CompanyRecord, list[str]]] = field(default_factory=list)
    removed: list[StoredCompany] = field(default_factory=list)
    kept: list[StoredCompany] = field(default_factory=list)  # not listed, kept for a bad row
    unchanged: int = 0


def new_id(record: CompanyRecord) -> str:
    """An id for a row that has none: its credit code, else a stable hash of its name.

    The name is NFKC-normalised first, so （惠州） and (惠州) give the same company.
    """
    if record.get("uscc"):
        return record.get("uscc")
    name = nfkc(record.get("name_zh") or record.get("name_en"))
    return f"ZH{hashlib.sha1(name.encode()).hexdigest()[:8].upper()}"


def key_index(known: list[StoredCompany]) -> dict[tuple[str, str], str]:
    """Existing company ids by credit code and by NFKC-normalised name, for `stable_match`."""
    index: dict[tuple[str, str], str] = {}
    # Active companies first: a name reused after a removal means the active one.
    for c in sorted(known, key=lambda c: bool(c.removed_at)):
        for key, value in (("uscc", c.uscc), ("name_zh", c.name_zh), ("name_en", c.name_en)):
            if value:
                index.setdefault((key, nfkc(value)), c.id)
    return index


def stable_match(record: CompanyRecord, index: dict[tuple[str, str], str]) -> str:
    """The existing company a row describes by its stable keys: credit code, then exact name."""
    keys = ("uscc", "name_zh") if record.get("name_zh") else ("uscc", "name_en")
    return next((index[(k, v)] for k in keys if (k, v := nfkc(record.get(k))) in index), "")


def resolve_id(
    record: CompanyRecord,
    index: dict[tuple[str, str], str],
    known: dict[str, StoredCompany],
    claimed: set[str],
) -> tuple[str, str]:
    """The id a row's company has, and a note when the row's own 编号 is not used.

    The credit code (or, without one, the exact name) is the stable key: a 编号 column that is a
    running serial must never move a company's names and contacts to another company. `claimed`
    holds the ids other rows of the file reach by their stable keys.
    """
    hit = stable_match(record, index)
    if hit:
        if record.id and record.id != hit:
            return (
                hit,
                f"编号变更 id changed {hit} → {record.id}（保留原编号 the company keeps {hit})",
            )
        return hit, ""
    if not record.id:
        return new_id(record), ""
    old = known.get(record.id)
    other_code = (
        old is not None and old.uscc and record.get("uscc") and old.uscc != record.get("uscc")
    )
    if record.id not in claimed and not other_code:
        return record.id, ""
    fresh = new_id(record)
    taken = old.name_zh or old.name_en if old else record.id
    return (
        fresh,
        f"编号 {record.id} 已属于另一家企业 id {record.id} is {taken}; 新编号 new id {fresh}",
    )


def _names_diff(current: set[tuple[str, str]], wanted: set[tuple[str, str]]) -> list[str]:
    out = [f"+名称 name {t!r} ({k})" for t, k in sorted(wanted - current)]
    return out + [f"-名称 name {t!r} ({k})" for t, k in sorted(current - wanted)]


def plan_import(
    db: Database,
    records: list[CompanyRecord],
    keep: set[str],
    keep_missing: bool = False,
    remove_only: str = "",
) -> Plan:
    """Compare the file's companies with the database; `keep` ids are never removed (bad rows).

    With `remove_only`, only companies that source brought are candidates for removal.
    """
    known = companies(db, include_removed=True)
    by_id = {c.id: c for c in known}
    imported: dict[str, set[tuple[str, str]]] = {}
    taught: dict[str, set[str]] = {}
    for n in names(db):
        if n.source.startswith(IMPORT_SOURCE):
            imported.setdefault(n.company_id, set()).add((n.text, n.kind))
        else:
            taught.setdefault(n.company_id, set()).add(n.text.casefold())
    people = contacts(db)
    plan = Plan()
    seen = set()
    for record in records:
        seen.add(record.id)
        old = by_id.get(record.id)
        if old is None:
            plan.added.append(record)
            continue
        changes = [] if not old.removed_at else ["恢复 restored (was removed)"]
        for name in COMPANY_FIELDS:
            before, after = getattr(old, name) or "", record.get(name)
            if before != after:
                changes.append(f"{name}: {before!r} → {after!r}")
        wanted = {n for n in record.names if n[0].casefold() not in taught.get(record.id, set())}
        changes += _names_diff(imported.get(record.id, set()), wanted)
        if set(people.get(record.id, [])) != set(record.contacts):
            changes.append(
                "联系人 contacts: " + ", ".join(c.email or c.name for c in record.contacts)
            )
        if changes:
            plan.changed.append((record, changes))
        else:
            plan.unchanged += 1
    if not keep_missing:
        missing = [
            c
            for c in known
            if not c.removed_at
            and c.id not in seen
            # rows mirrored from the CSV before the registry moved here have no source yet
            and (not remove_only or c.source in (remove_only, ""))
        ]
        plan.removed = [c for c in missing if c.id not in keep]
        plan.kept = [c for c in missing if c.id in keep]
    return plan


@dataclass
class _Batch:
    """Rows of one import, written with one statement per table (thousands of companies)."""

    companies: list[dict[str, object]] = field(default_factory=list)
    names: list[dict[str, object]] = field(default_factory=list)
    retired: list[tuple[str, str, str, int]] = field(default_factory=list)
    contacts: list[dict[str, object]] = field(default_factory=list)
    history: list[dict[str, object]] = field(default_factory=list)

    def log(self, by: str, cid: str, action: str, kind: str, old: str, new: str, src: str, at: str):
        """One registry_history row."""
        self.history.append(
            {
                "at": at,
                "actor": by,
                "company_id": cid,
                "action": action,
                "field": kind,
                "old": old,
                "new": new,
                "source": src,
            }
        )


def _write(
    batch: _Batch, current: list[StoredName], record: CompanyRecord, by: str, src: str, at: str
) -> None:
    emails = ";".join(c.email for c in record.contacts if c.email)
    batch.companies.append(
        {
            "id": record.id,
            **dict(record.values),
            "aliases": ";".join(t for t, k in record.names if k not in ("zh_legal", "en_official")),
            "contact_email": emails,
            "source": src,
            "updated_at": at,
            "removed_at": "",
        }
    )
    have = {(n.text, n.kind): n for n in current}
    wanted = set(record.names)
    for key, old in have.items():
        if old.source.startswith(IMPORT_SOURCE) and key not in wanted:
            batch.retired.append((at, by, f"not in {src}", old.id))
            batch.log(by, record.id, "name_removed", old.kind, old.text, "", src, at)
    taught = {t.casefold() for (t, _), n in have.items() if not n.source.startswith(IMPORT_SOURCE)}
    for text, kind in record.names:
        if (text, kind) in have or text.casefold() in taught:
            continue  # an analyst's name already says it, with its own provenance
        batch.names.append(
            {
                "company_id": record.id,
                "text": text,
                "kind": kind,
                "source": src,
                "reason": f"line {record.line}",
                "added_by": by,
                "added_at": at,
                "removed_at": "",
                "removed_by": "",
                "removed_reason": "",
            }
        )
    batch.contacts += [
        {"company_id": record.id, **c.__dict__, "source": src, "added_at": at, "removed_at": ""}
        for c in record.contacts
    ]


def apply_plan(db: Database, plan: Plan, *, by: str, source: str) -> None:
    """Write a plan in one transaction, every change in the registry history."""
    when = now_iso()
    current: dict[str, list[StoredName]] = {}
    for n in names(db):
        current.setdefault(n.company_id, []).append(n)
    batch = _Batch()
    for record in plan.added:
        _write(batch, current.get(record.id, []), record, by, source, when)
        batch.log(by, record.id, "added", "", "", record.get("name_zh"), source, when)
    for record, changes in plan.changed:
        _write(batch, current.get(record.id, []), record, by, source, when)
        for change in changes:
            batch.log(by, record.id, "changed", "", "", change, source, when)
    for gone in plan.removed:
        batch.log(by, gone.id, "removed", "", gone.name_zh, "", source, when)
    rewritten = [(when, r["id"]) for r in batch.companies]
    with db.atomic():
        if batch.companies:
            db.table("companies").upsert_all(batch.companies, pk="id", alter=True)
        db.conn.executemany(
            "update company_names set removed_at = ?, removed_by = ?, removed_reason = ? "
            "where id = ?",
            batch.retired,
        )
        db.table("company_names").insert_all(batch.names)
        db.conn.executemany(
            "update company_contacts set removed_at = ? where company_id = ? "
            "and coalesce(removed_at, '') = ''",
            rewritten,
        )
        db.table("company_contacts").insert_all(batch.contacts)
        db.conn.executemany(
            "update companies set removed_at = ?, updated_at = ? where id = ?",
            [(when, when, gone.id) for gone in plan.removed],
        )
        db.table("registry_history").insert_all(batch.history)
