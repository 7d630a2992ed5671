"""The matcher index on disk: built once per registry version and matching settings, then mapped.

The file is keyed by a digest of the registry's content, the index-relevant matching settings
and the source of the modules that shape the index, so any change there builds a new one. It holds
the index's key table as flat arrays behind a small JSON header; a later cycle maps the file
and reads only the cells its lookups touch, so loading takes milliseconds at any registry
size (no million objects to unpickle). The file is private (0600) in a private folder beside
the database, and only this program writes it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from core.dbfile import write_private
from matcher import (
    cn_places,
    derived_keys,
    gloss,
    index_build,
    index_gloss,
    index_places,
    industry_zh,
    keytable,
    names_zh,
    normalize,
    places,
)
from matcher import index as index_module
from matcher.index import Index
from matcher.index_places import OwnPlaces
from matcher.keytable import ARRAYS, KeyTable
from matcher.registry import Registry

log = logging.getLogger("ipwatch.matcher")
# Beside the key table's arrays: each company row's own-place set (see matcher/index_places.py).
PLACES = "places"
FORMAT = "3"
MAGIC = b"IPWIDX3\n"
_CODE = (
    index_module,
    index_build,
    index_gloss,
    index_places,
    gloss,
    keytable,
    normalize,
    places,
    names_zh,
    derived_keys,
    industry_zh,
    cn_places,
)


class IndexFileError(ValueError):
    """A stored index file is damaged or of another version."""


@lru_cache(maxsize=8)
def _sources(modules: tuple[ModuleType, ...]) -> hashlib._Hash:
    digest = hashlib.sha256()
    for module in modules:
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest


def code_digest(modules: tuple[ModuleType, ...], extra: str = "") -> str:
    """A digest of these modules' source (read once per process: the code a process runs does
    not change under it) and `extra`, so a file stored by other code is never read as ours."""
    digest = _sources(modules).copy()
    digest.update(extra.encode())
    return digest.hexdigest()


def _code_version() -> str:
    # A new CC-CEDICT gives other keys.
    return code_digest(_CODE, gloss.dictionary_version())


def registry_digest(registry: Registry) -> str:
    """A digest of everything the index reads from the registry (see company_table.py)."""
    digest = hashlib.sha256(registry.table.indexed_digest())
    digest.update(repr((registry.group_aliases, sorted(registry.foreign_groups))).encode())
    return digest.hexdigest()


def index_key(registry: Registry, stop_words: frozenset[str]) -> str:
    """The version an index file must carry to be used for this registry and these settings."""
    digest = hashlib.sha256(FORMAT.encode())
    digest.update(registry_digest(registry).encode())
    digest.update("\x1f".join(sorted(stop_words)).encode())
    digest.update(_code_version().encode())
    return digest.hexdigest()[:24]


def index_path(folder: Path, key: str) -> Path:
    """Where the index of version `key` is kept."""
    return folder / f"index-{key}.bin"


def load_or_build(registry: Registry, stop_words: frozenset[str], folder: Path) -> Index:
    """The stored index for this registry version, or a new one built now and stored."""
    key = index_key(registry, stop_words)
    path = index_path(folder, key)
    if path.exists():
        try:
            return load(path, registry, stop_words, key)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("matcher index %s unreadable (%s); building it again", path, exc)
    built = Index(registry, stop_words)
    try:
        save(built, folder, key)
    except OSError as exc:  # a read-only or full disk costs speed, never a cycle
        log.warning("matcher index not stored in %s: %s", folder, exc)
    return built


def _pad(size: int) -> int:
    return -size % 8


def save(index: Index, folder: Path, key: str) -> Path:
    """Write the index privately and atomically; older versions are removed."""
    arrays = index.table.arrays()
    arrays[PLACES] = memoryview(index.places.rows).cast("B")  # type: ignore[arg-type]
    header = {
        "key": key,
        "companies": len(index.registry.companies),
        "shift": index.table.shift,
        "groups": index.groups,
        "place_sets": index.places.header(),
        "sizes": {name: len(data) for name, data in arrays.items()},
    }
    head = json.dumps(header, ensure_ascii=False).encode()
    chunks: list[bytes | memoryview] = [
        MAGIC + len(head).to_bytes(8, "little") + head + bytes(_pad(len(head)))
    ]
    for data in arrays.values():
        chunks += [data, bytes(_pad(len(data)))]
    path = index_path(folder, key)
    write_private(path, chunks)
    for old in [*folder.glob("index-*.bin"), *folder.glob("index-*.pickle")]:
        if old != path:
            old.unlink(missing_ok=True)
    return path


def load(path: Path, registry: Registry, stop_words: frozenset[str], key: str) -> Index:
    """Map a stored index file; its arrays stay on disk until a lookup reads them."""
    with open(path, "rb") as fh:
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(mapped)
    if bytes(view[: len(MAGIC)]) != MAGIC:
        raise IndexFileError("not an index file of this version")
    size = int.from_bytes(view[len(MAGIC) : len(MAGIC) + 8], "little")
    offset = len(MAGIC) + 8
    header = json.loads(bytes(view[offset : offset + size]))
    if header.get("key") != key or header.get("companies") != len(registry.companies):
        raise IndexFileError("the index was built for another registry version")
    offset += size + _pad(size)
    arrays = {}
    for name, fmt in {**ARRAYS, PLACES: "I"}.items():
        length = header["sizes"][name]
        if offset + length > len(view):
            raise IndexFileError("the index file is cut short")
        arrays[name] = view[offset : offset + length].cast(fmt)  # type: ignore[call-overload]
        offset += length + _pad(length)
    table = KeyTable(
        arrays["hashes"], arrays["starts"], arrays["refs"], arrays["buckets"], header["shift"]
    )
    places = OwnPlaces(arrays[PLACES], [frozenset(codes) for codes in header["place_sets"]])
    return Index.stored(registry, stop_words, table, header["groups"], places)
