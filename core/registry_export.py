"""`registry export`: the registry as an .xlsx workbook the bureau can edit and import again."""

from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database

from core.registry_store import NAME_KIND_LABELS, companies, contacts, names

COLUMNS = (
    ("编号", "id"),
    ("企业名称", "name_zh"),
    ("统一社会信用代码", "uscc"),
    ("英文名称", "name_en"),
    ("曾用名", "former"),
    ("别名", "aliases"),
    ("注册地址", "address"),
    ("所属区县", "district"),
    ("行业", "industry"),
    ("主营产品", "products"),
    ("所属集团", "parent_group"),
    ("联系人", "contact_name"),
    ("邮箱", "contact_email"),
    ("电话", "phone"),
    ("备注", "notes"),
)
NAME_COLUMNS = ("编号", "名称", "类型", "类型说明", "来源", "添加人", "添加时间", "理由")


def export_xlsx(db: Database, path: Path) -> int:
    """Write every active company (sheet 登记表) and every name with provenance (sheet 名称)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "登记表"
    sheet.append([h for h, _ in COLUMNS])
    people = contacts(db)
    by_company: dict[str, list] = {}
    for n in names(db):
        by_company.setdefault(n.company_id, []).append(n)
    rows = companies(db)
    for c in rows:
        own = [n for n in by_company.get(c.id, []) if n.source.startswith("import:")]
        former = [n.text for n in own if n.kind in ("zh_former", "en_former")]
        aliases = [
            f"{n.text} (licensed brand)" if n.kind == "licensed" else n.text
            for n in own
            if n.kind not in ("zh_legal", "en_official", "zh_former", "en_former")
        ]
        listed = people.get(c.id) or []
        first = listed[0] if listed else None
        values = {
            **c.__dict__,
            "former": ";".join(former),
            "aliases": ";".join(aliases),
            "contact_name": first.name if first else "",
            "contact_email": ";".join(p.email for p in people.get(c.id, []) if p.email),
            "phone": first.phone if first else "",
        }
        sheet.append([values.get(key, "") for _, key in COLUMNS])
    listing = book.create_sheet("名称")
    listing.append(list(NAME_COLUMNS))
    for c in rows:
        for n in by_company.get(c.id, []):
            label = NAME_KIND_LABELS.get(n.kind, n.kind)
            listing.append(
                [c.id, n.text, n.kind, label, n.source, n.added_by, n.added_at, n.reason]
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    os.chmod(path, 0o600)  # contacts are personal data: private to the operator
    return len(rows)
