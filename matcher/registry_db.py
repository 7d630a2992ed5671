"""The matcher's Registry built from the database, and the configured file kept imported."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from core.config import Config, Matching
from core.registry_file import display
from core.registry_store import (
    active_names_by_company,
    contacts,
    each_company,
    file_state,
    record_file,
    registry_version,
)
from matcher.registry import Registry, RegistryError, _member_names, _with_config, group_head
from matcher.types import Company, CompanyName, NameKind

# Registry name kinds → the kinds the matcher scores (entity-level names vs weak brand names).
MATCHER_KIND: dict[str, NameKind] = {
    "zh_legal": "legal_zh",
    "en_official": "legal_en",
    "zh_former": "former",
    "en_former": "former",
    "zh_variant": "variant",
    "en_variant": "variant",
    "transliteration": "variant",
    "brand": "brand",
    "licensed": "licensed",
    "storefront": "brand",
}
SYSTEM_ACTOR = "ipwatch (config registry file)"


def registry_from_db(db: Database, matching: Matching, errors: tuple[str, ...] = ()) -> Registry:
    """Every active company with its active names, as the matcher's Registry.

    Companies and their names are read side by side in id order, so a million companies are
    packed as they come instead of being held as objects first.
    """
    people = contacts(db)

    def built() -> Iterator[Company]:
        by_company = active_names_by_company(db)
        pending = next(by_company, None)
        for c in each_company(db):
            while pending is not None and pending[0] < c.id:  # names of removed companies
                pending = next(by_company, None)
            own = pending[1] if pending is not None and pending[0] == c.id else []
            typed = [CompanyName(text, MATCHER_KIND[kind]) for text, kind in own]
            typed += [CompanyName(n, "config") for n in matching.aliases.get(c.id, [])]
            typed += [CompanyName(n, "group") for n in _member_names(c.parent_group)]
            if group_head(c.parent_group):
                typed.append(CompanyName(group_head(c.parent_group), "brand"))
            emails = [p.email for p in people.get(c.id, []) if p.email]
            yield Company(
                id=c.id,
                name_zh=c.name_zh,
                name_en=c.name_en,
                names=tuple(dict.fromkeys(typed)),
                district=c.district,
                industry=c.industry,
                products=c.products,
                parent_group=c.parent_group,
                contact_email=";".join(emails) or c.contact_email,
                address=c.address,
            )

    return _with_config(built(), list(errors), matching)


def refresh_from_config(db: Database, cfg: Config) -> tuple[str, ...]:
    """Import the configured `registry:` file when it is new or changed; its bad rows remain."""
    from matcher.registry_import import import_file

    path = cfg.path(cfg.registry).resolve()
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        raise RegistryError(
            f"{display(path)}: 登记表文件不存在 registry file not found (config.yaml `registry:`)"
        ) from None
    except OSError as exc:
        raise RegistryError(f"{display(path)}: cannot read the registry: {exc.strerror}") from None
    state = file_state(db, str(path))
    if state and state["sha256"] == digest:
        return tuple(json.loads(state["errors"] or "[]"))
    report = import_file(db, path, apply=True, by=SYSTEM_ACTOR, own_only=True)
    record_file(db, str(path), report.sha256, len(report.sheet.rows), report.errors)
    return tuple(report.errors)


def load_db_registry(db: Database, cfg: Config, snapshots: Path | None = None) -> Registry:
    """The registry the cycle, extract and eval match against: the database, fed by config.

    With a `snapshots` folder, a registry unchanged since it was last read is read back as
    packed then (matcher/registry_snapshot.py) instead of from its tables.
    """
    from matcher import registry_snapshot  # here: it imports this module

    errors = refresh_from_config(db, cfg)
    version = registry_version(db)
    if snapshots is None or not version:
        return registry_from_db(db, cfg.matching, errors)
    key = registry_snapshot.snapshot_key(version, cfg.matching, errors)
    return registry_snapshot.cached(
        snapshots, key, lambda: registry_from_db(db, cfg.matching, errors)
    )


def registry_from_file(path: Path, matching: Matching) -> Registry:
    """Any registry file (.xlsx, CSV in UTF-8/GB18030) read the same way, without a database."""
    from core.store import open_db
    from matcher.registry_import import import_file

    if not Path(path).is_file():
        raise RegistryError(
            f"{display(Path(path))}: 登记表文件不存在 registry file not found "
            "(config.yaml `registry:`)"
        )
    db = open_db(":memory:")
    try:
        report = import_file(db, Path(path), apply=True, by=SYSTEM_ACTOR)
        return registry_from_db(db, matching, tuple(report.errors))
    finally:
        db.close()
