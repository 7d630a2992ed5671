"""The matcher index on disk: built once per registry version and matching settings, then loaded.

The file is keyed by `Registry.fingerprint()`, the index-relevant matching settings and the
source of the modules that shape the index, so any change there builds a new one; whatever the
Index holds is stored as it is (pickle), so names other modules add to it flow in unchanged.
The file is private (0600) in a private folder beside the database, and only this program
writes it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

from matcher import index as index_module
from matcher import normalize, places
from matcher.index import Index
from matcher.registry import Registry

log = logging.getLogger("ipwatch.matcher")
FORMAT = "1"
_CODE = (index_module, normalize, places)


def _code_version() -> str:
    digest = hashlib.sha256()
    for module in _CODE:
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def index_key(registry: Registry, stop_words: frozenset[str]) -> str:
    """The version an index file must carry to be used for this registry and these settings."""
    digest = hashlib.sha256(FORMAT.encode())
    digest.update(registry.fingerprint().encode())
    digest.update("\x1f".join(sorted(stop_words)).encode())
    digest.update(_code_version().encode())
    return digest.hexdigest()[:24]


def index_path(folder: Path, key: str) -> Path:
    """Where the index of version `key` is kept."""
    return folder / f"index-{key}.pickle"


def load_or_build(registry: Registry, stop_words: frozenset[str], folder: Path) -> Index:
    """The stored index for this registry version, or a new one built now and stored."""
    key = index_key(registry, stop_words)
    path = index_path(folder, key)
    if path.exists():
        try:
            with open(path, "rb") as fh:
                loaded = pickle.load(fh)
            if isinstance(loaded, Index):
                return loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError) as exc:
            log.warning("matcher index %s unreadable (%s); building it again", path, exc)
    built = Index(registry, stop_words)
    try:
        save(built, folder, key)
    except OSError as exc:  # a read-only or full disk costs speed, never a cycle
        log.warning("matcher index not stored in %s: %s", folder, exc)
    return built


def save(index: Index, folder: Path, key: str) -> Path:
    """Write the index privately and atomically; older versions are removed."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".index-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, 0o600)
        path = index_path(folder, key)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    for old in folder.glob("index-*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
    return path
