"""The registry as packed, kept on disk per registry version: a later cycle reads it back.

Reading a million companies from the database and packing them takes half a minute a cycle;
the packed table is a few flat buffers (see company_table.py), so a cycle whose registry is
unchanged reads them back in a fraction of a second. The snapshot is keyed by the database's
registry version (a random token every write to the companies, their names or contacts
replaces: see core/registry_store.py), the matching settings that shape the registry and the
source of the modules that build it. The file is private (0600) beside the matcher index, and
only this program writes it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

from core import registry_store
from core.config import Matching
from core.dbfile import write_private
from matcher import company_table, registry, registry_db
from matcher.company_table import ARRAYS, CompanyTable
from matcher.index_store import code_digest
from matcher.registry import Registry
from matcher.types import Company, CompanyName

log = logging.getLogger("ipwatch.matcher")
MAGIC = b"IPWREG1\n"
_CODE = (registry_store, registry, registry_db, company_table)


class SnapshotError(ValueError):
    """A stored snapshot that cannot be read back (it is then made again)."""


def snapshot_key(version: str, matching: Matching, errors: tuple[str, ...]) -> str:
    """The version of the registry a cycle would read: the database's registry version, the
    settings that add names or report errors, the file import's errors and the code."""
    digest = hashlib.sha256(MAGIC + version.encode())
    shaping = (sorted(matching.aliases.items()), sorted(matching.exclusions), errors)
    digest.update(json.dumps(shaping, ensure_ascii=False).encode())
    digest.update(code_digest(_CODE).encode())
    return digest.hexdigest()[:24]


def snapshot_path(folder: Path, key: str) -> Path:
    """Where the registry of version `key` is kept."""
    return folder / f"registry-{key}.bin"


def cached(folder: Path, key: str, make: Callable[[], Registry]) -> Registry:
    """The stored registry of version `key`, or `make()`'s, stored now for later cycles."""
    path = snapshot_path(folder, key)
    if path.exists():
        try:
            return load(path, key)
        except (OSError, SnapshotError, KeyError, TypeError, ValueError) as exc:
            log.warning("registry snapshot %s unreadable (%s); reading the registry", path, exc)
    made = make()
    try:
        save(made, folder, key)
    except OSError as exc:  # a read-only or full disk costs time, never a cycle
        log.warning("registry snapshot not stored in %s: %s", folder, exc)
    return made


def save(reg: Registry, folder: Path, key: str) -> Path:
    """Write the registry privately and atomically; older snapshots are removed."""
    arrays = reg.table.arrays()
    header = {
        "key": key,
        "digest": reg.table.digest().hex(),
        "errors": list(reg.errors),
        "group_aliases": [list(pair) for pair in reg.group_aliases],
        "foreign_groups": sorted(reg.foreign_groups),
        "odd": [[row, dataclasses.asdict(c)] for row, c in reg.table.odd_rows().items()],
        "sizes": {name: len(data) for name, data in arrays.items()},
    }
    head = json.dumps(header, ensure_ascii=False).encode()
    path = snapshot_path(folder, key)
    write_private(path, [MAGIC + len(head).to_bytes(8, "little") + head, *arrays.values()])
    for old in folder.glob("registry-*.bin"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


def load(path: Path, key: str) -> Registry:
    """Read a stored registry back: each buffer in one read, checked against its digest."""
    with open(path, "rb") as fh:
        if fh.read(len(MAGIC)) != MAGIC:
            raise SnapshotError("not a registry snapshot of this version")
        header = json.loads(fh.read(int.from_bytes(fh.read(8), "little")))
        if header["key"] != key:
            raise SnapshotError("the snapshot holds another registry version")
        arrays = {}
        for name in ARRAYS:
            data = fh.read(header["sizes"][name])
            if len(data) != header["sizes"][name]:
                raise SnapshotError("the snapshot is cut short")
            arrays[name] = data
    odd = {row: _company(fields) for row, fields in header["odd"]}
    table = CompanyTable.restored(arrays, odd)
    # Read back whole, or not at all: the digest the index key and the mirror ask for anyway.
    if table.digest().hex() != header["digest"]:
        raise SnapshotError("the snapshot's companies do not match its digest")
    return Registry(
        table,
        tuple(header["errors"]),
        tuple((group, name) for group, name in header["group_aliases"]),
        frozenset(header["foreign_groups"]),
    )


def _company(fields: dict) -> Company:  # type: ignore[type-arg]
    names = tuple(CompanyName(n["text"], n["kind"]) for n in fields.pop("names"))
    return Company(**fields, names=names)
