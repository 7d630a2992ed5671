"""The registry in the database: companies, their typed names with provenance, contacts, history.

Names are never deleted: removing one stamps `removed_at`, so every name keeps its story (who
added it, from which file or review, and who took it back, when and why).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import cache
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlite_utils import Database

from core.store import dumps, now_iso, rows

# The kinds of name the bureau keeps. zh_variant, en_former and licensed complete the list for
# rows that today's CSV already carries (a Chinese short form, an old English name, a licensed
# brand such as "Alcatel" on TCL phones).
NAME_KINDS = (
    "zh_legal", "zh_former", "zh_variant", "en_official", "en_former", "en_variant",
    "transliteration", "brand", "licensed", "storefront",
)  # fmt: skip
NAME_KIND_LABELS = {
    "zh_legal": "中文法定名称",
    "zh_former": "中文曾用名",
    "zh_variant": "中文简称",
    "en_official": "英文正式名称",
    "en_former": "英文曾用名",
    "en_variant": "英文变体",
    "transliteration": "拼音音译",
    "brand": "品牌",
    "licensed": "授权品牌",
    "storefront": "网店名",
}
# An analyst may teach any kind of name except the official ones, which come from the sheet.
VARIANT_KINDS = tuple(k for k in NAME_KINDS if k not in ("zh_legal", "en_official"))
COMPANY_FIELDS = (
    "uscc",
    "name_zh",
    "name_en",
    "district",
    "industry",
    "products",
    "parent_group",
    "address",
    "notes",
)


class RegistryStoreError(Exception):
    """A registry edit that cannot be made (unknown company or name, bad kind, duplicate)."""


@dataclass(frozen=True)
class StoredCompany:
    """One company row as the database holds it."""

    id: str
    uscc: str = ""
    name_zh: str = ""
    name_en: str = ""
    district: str = ""
    industry: str = ""
    products: str = ""
    parent_group: str = ""
    address: str = ""
    notes: str = ""
    contact_email: str = ""
    source: str = ""
    updated_at: str = ""
    removed_at: str = ""


@dataclass(frozen=True)
class StoredName:
    """One typed name of a company with its provenance."""

    id: int
    company_id: str
    text: str
    kind: str
    source: str
    reason: str
    added_by: str
    added_at: str
    removed_at: str = ""
    removed_by: str = ""
    removed_reason: str = ""


@dataclass(frozen=True)
class Contact:
    """A company's contact person for warnings."""

    name: str = ""
    email: str = ""
    phone: str = ""


@cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


def _clean(row: dict[str, Any], cls: type) -> dict[str, Any]:
    keys = _field_names(cls)
    return {k: ("" if v is None and k not in ("id",) else v) for k, v in row.items() if k in keys}


def companies(db: Database, include_removed: bool = False) -> list[StoredCompany]:
    """Every company, ordered by id (removed ones only when asked)."""
    return list(each_company(db, include_removed))


def each_company(db: Database, include_removed: bool = False) -> Iterator[StoredCompany]:
    """Every company, ordered by id, read as it comes (removed ones only when asked)."""
    where = "" if include_removed else "where coalesce(removed_at, '') = ''"
    for r in rows(db, f"select * from companies {where} order by id"):
        yield StoredCompany(**_clean(r, StoredCompany))


def active_names_by_company(db: Database) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Each company id with its active names as (text, kind), in id order (as companies()
    gives them), each company's names in the order added; read as they come."""
    sql = """select company_id, coalesce(text, ''), kind from company_names
             where coalesce(removed_at, '') = '' order by company_id, id"""
    for company_id, found in groupby(db.execute(sql), key=itemgetter(0)):
        yield company_id, [(text, kind) for _, text, kind in found]


def company(db: Database, company_id: str) -> StoredCompany | None:
    """The company with this id (removed or not), or None."""
    found = list(rows(db, "select * from companies where id = ?", (company_id,)))
    return StoredCompany(**_clean(found[0], StoredCompany)) if found else None


def search(db: Database, q: str = "", limit: int = 500) -> list[StoredCompany]:
    """Active companies by id, credit code or any part of any active name, ordered by id."""
    if not q.strip():
        return companies(db)[:limit]
    like = f"%{q.strip()}%"
    sql = """select * from companies where coalesce(removed_at, '') = '' and (id = ? or uscc = ?
             or name_zh like ? or name_en like ? or id in (select company_id from company_names
             where coalesce(removed_at, '') = '' and text like ?)) order by id limit ?"""
    found = rows(db, sql, (q.strip(), q.strip(), like, like, like, limit))
    return [StoredCompany(**_clean(r, StoredCompany)) for r in found]


def names(db: Database, company_id: str | None = None, history: bool = False) -> list[StoredName]:
    """Names in the order they were added; removed names too when `history` is set."""
    where, params = [], []
    if company_id is not None:
        where.append("company_id = ?")
        params.append(company_id)
    if not history:
        where.append("coalesce(removed_at, '') = ''")
    clause = f"where {' and '.join(where)}" if where else ""
    sql = f"select * from company_names {clause} order by id"
    return [StoredName(**_clean(r, StoredName)) for r in rows(db, sql, tuple(params))]


def contacts(db: Database, company_id: str | None = None) -> dict[str, list[Contact]]:
    """Active contacts per company id."""
    sql = "select * from company_contacts where coalesce(removed_at, '') = ''"
    params: tuple[str, ...] = ()
    if company_id is not None:
        sql += " and company_id = ?"
        params = (company_id,)
    out: dict[str, list[Contact]] = {}
    for r in rows(db, sql + " order by id", params):
        out.setdefault(r["company_id"], []).append(Contact(r["name"], r["email"], r["phone"]))
    return out


def log_change(
    db: Database,
    actor: str,
    company_id: str,
    action: str,
    field: str = "",
    old: str = "",
    new: str = "",
    source: str = "",
    at: str | None = None,
) -> None:
    """Append one line to the registry's change history."""
    db.table("registry_history").insert(
        {
            "at": at or now_iso(),
            "actor": actor,
            "company_id": company_id,
            "action": action,
            "field": field,
            "old": old,
            "new": new,
            "source": source,
        }
    )


def history(db: Database, company_id: str) -> list[dict[str, Any]]:
    """Every recorded change of one company, oldest first."""
    return list(
        rows(db, "select * from registry_history where company_id = ? order by id", (company_id,))
    )


def add_name(
    db: Database,
    company_id: str,
    text: str,
    kind: str,
    *,
    by: str,
    reason: str,
    source: str = "analyst",
    at: str | None = None,
) -> StoredName:
    """Add a typed name to a company, with who, why and where it came from."""
    text = " ".join(text.split())
    if kind not in NAME_KINDS:
        raise RegistryStoreError(f"未知的名称类型 unknown kind {kind!r}: {', '.join(NAME_KINDS)}")
    found = company(db, company_id)
    if found is None or found.removed_at:
        raise RegistryStoreError(f"登记表中没有企业 {company_id} / no such company")
    if not text:
        raise RegistryStoreError("名称为空 / the name is empty")
    for existing in names(db, company_id):
        if existing.text.casefold() == text.casefold():
            raise RegistryStoreError(
                f"{company_id} 已有名称 '{existing.text}' ({existing.kind}, #{existing.id})"
            )
    when = at or now_iso()
    table = db.table("company_names")
    table.insert(
        {
            "company_id": company_id,
            "text": text,
            "kind": kind,
            "source": source,
            "reason": reason,
            "added_by": by,
            "added_at": when,
            "removed_at": "",
            "removed_by": "",
            "removed_reason": "",
        }
    )
    name_id = int(table.last_pk or 0)
    log_change(db, by, company_id, "name_added", kind, "", text, source, when)
    return StoredName(name_id, company_id, text, kind, source, reason, by, when)


def remove_name(
    db: Database, company_id: str, name: str, *, by: str, reason: str, source: str = "analyst"
) -> StoredName:
    """Soft-delete a name (by its #id or its text); the row stays as history."""
    active = names(db, company_id)
    key = name.lstrip("#")
    hit = next((n for n in active if key.isdigit() and n.id == int(key)), None)
    hit = hit or next((n for n in active if n.text.casefold() == name.casefold()), None)
    if hit is None:
        raise RegistryStoreError(
            f"{company_id} 没有有效名称 '{name}' / no active name (see `ipwatch registry names`)"
        )
    when = now_iso()
    db.table("company_names").update(
        hit.id, {"removed_at": when, "removed_by": by, "removed_reason": reason}
    )
    log_change(db, by, company_id, "name_removed", hit.kind, hit.text, "", source, when)
    return StoredName(
        **{**hit.__dict__, "removed_at": when, "removed_by": by, "removed_reason": reason}
    )


def registry_version(db: Database) -> str:
    """The registry's current version: a token every write to it replaces (migration m192)."""
    found = list(rows(db, "select token from registry_version where id = 1"))
    return str(found[0]["token"]) if found else ""


def file_state(db: Database, path: str) -> dict[str, Any] | None:
    """What was imported last from a configured registry file (hash, time, bad rows)."""
    found = list(rows(db, "select * from registry_files where path = ?", (path,)))
    return found[0] if found else None


def record_file(db: Database, path: str, sha256: str, count: int, errors: list[str]) -> None:
    """Remember a configured file's hash, so it is imported again only when it changes."""
    db.table("registry_files").upsert(
        {
            "path": path,
            "sha256": sha256,
            "imported_at": now_iso(),
            "companies": count,
            "errors": dumps(errors),
        },
        pk="path",
    )
