"""The matcher index is built once per registry version and settings, stored privately, reused."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from core.config import Config, Matching
from matcher import index_store
from matcher.match import build_matcher
from matcher.registry import load_registry
from matcher.types import Party

TCL = Party("TCL Technology Group Corp.")


def index_files(cfg: Config) -> list[Path]:
    """The stored index files beside the test database."""
    return sorted((Path(cfg.path(cfg.database)).parent / "matcher-index").glob("index-*.bin"))


def forbid_building(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any new index build fail, to prove a stored one was loaded."""

    def refuse(*args: object) -> None:
        raise AssertionError("the index was built again")

    monkeypatch.setattr(index_store.Index, "__init__", refuse)


def test_built_once_then_loaded(cfg: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second matcher loads the stored index and matches exactly like the first."""
    first = build_matcher(cfg)
    [path] = index_files(cfg)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    forbid_building(monkeypatch)
    second = build_matcher(cfg)
    assert second.match(TCL) == first.match(TCL)
    assert (second.match(TCL).level, second.match(TCL).company_id) == ("entity", "HZ001")
    assert index_files(cfg) == [path]


def test_registry_or_settings_change_builds_a_new_index(cfg: Config, tmp_path: Path) -> None:
    """A changed registry row or new stop words give a new version; the old file goes."""
    build_matcher(cfg)
    [before] = index_files(cfg)
    registry = tmp_path / "exporters.csv"
    shutil.copy(cfg.path(cfg.registry), registry)
    text = registry.read_text(encoding="utf-8").replace("TCL Technology Group", "TCL Tech Group")
    registry.write_text(text, encoding="utf-8")
    changed = cfg.model_copy(update={"registry": str(registry)})
    build_matcher(changed)
    [after] = index_files(cfg)
    assert after != before
    stop = cfg.model_copy(update={"matching": Matching(stop_words=["group"])})
    build_matcher(stop)
    [third] = index_files(cfg)
    assert third not in (before, after)


def test_fingerprint_follows_content_not_identity(cfg: Config) -> None:
    """Two loads of one file have one fingerprint; another alias changes it."""
    one = load_registry(cfg.path(cfg.registry), cfg.matching)
    two = load_registry(cfg.path(cfg.registry), cfg.matching)
    digest = index_store.registry_digest
    assert digest(one) == digest(two) and len(digest(one)) == 64
    other = load_registry(cfg.path(cfg.registry), Matching(aliases={"HZ001": ["TCL Extra Ltd."]}))
    assert digest(other) != digest(one)


def test_unreadable_index_is_built_again(cfg: Config, caplog: pytest.LogCaptureFixture) -> None:
    """A damaged file is replaced by a fresh build, with a warning naming it."""
    build_matcher(cfg)
    [path] = index_files(cfg)
    path.write_bytes(b"not an index")
    matcher = build_matcher(cfg)
    assert matcher.match(TCL).company_id == "HZ001"
    assert f"matcher index {path} unreadable" in caplog.text
    assert path.read_bytes() != b"not an index"


def test_cut_or_foreign_index_files_are_built_again(
    cfg: Config, caplog: pytest.LogCaptureFixture
) -> None:
    """A file cut short, emptied, or with a header of another shape is rebuilt, not a crash."""
    build_matcher(cfg)
    [path] = index_files(cfg)
    whole = path.read_bytes()
    for damaged in (whole[: len(whole) // 2], b"", whole[:8] + (5).to_bytes(8, "little") + b"{}"):
        path.write_bytes(damaged)
        assert build_matcher(cfg).match(TCL).company_id == "HZ001"
        assert path.read_bytes() == whole  # the same registry builds the same file
    assert caplog.text.count("unreadable") == 3
