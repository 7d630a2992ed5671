"""A cycle whose registry is unchanged reads it back as packed; any write makes a new one (#15)."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from test_registry_db import DEMO, make_config

from core.config import load_config
from core.registry_store import registry_version, remove_name
from core.store import open_db
from matcher import registry_snapshot
from matcher.registry import Registry, load_registry
from matcher.registry_db import load_db_registry, registry_from_db
from matcher.types import Company, CompanyName


def test_a_snapshot_reads_back_the_same_registry(tmp_path: Path) -> None:
    cfg = load_config(make_config(tmp_path, DEMO, matching=True))
    registry = load_registry(DEMO, cfg.matching)
    path = registry_snapshot.save(registry, tmp_path / "snap", "k1")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    back = registry_snapshot.load(path, "k1")
    assert back.table.digest() == registry.table.digest()
    assert list(back.companies) == list(registry.companies)
    assert (back.errors, back.group_aliases, back.foreign_groups) == (
        registry.errors,
        registry.group_aliases,
        registry.foreign_groups,
    )
    tcl = back.company("HZ001")
    assert tcl is not None and tcl.name_zh == "TCL科技集团股份有限公司"
    assert back.company("HZ999") is None


def test_a_row_holding_the_separator_is_stored_whole(tmp_path: Path) -> None:
    odd = Company("HZ7", "惠州市测试有限公司", "Test\x1fCo", (CompanyName("Test", "brand"),))
    plain = Company("HZ8", "惠州市正常有限公司", "Plain Co", ())
    registry = Registry((odd, plain), errors=("line 3: bad id",))
    back = registry_snapshot.load(registry_snapshot.save(registry, tmp_path, "k"), "k")
    assert list(back.companies) == [odd, plain] and back.errors == ("line 3: bad id",)


def test_every_registry_write_gives_a_new_version_and_the_cycle_reads_it(tmp_path: Path):
    cfg = load_config(make_config(tmp_path, DEMO))
    db = open_db(cfg.path(cfg.database))
    folder = tmp_path / "index"
    first = load_db_registry(db, cfg, snapshots=folder)  # imports the file, then packs
    [stored] = folder.glob("registry-*.bin")
    version = registry_version(db)
    again = load_db_registry(db, cfg, snapshots=folder)
    assert registry_version(db) == version and list(folder.glob("registry-*.bin")) == [stored]
    assert again.table.digest() == first.table.digest()

    remove_name(db, "HZ001", "TCL Corp.", by="analyst", reason="not a name it uses")
    assert registry_version(db) != version
    later = load_db_registry(db, cfg, snapshots=folder)
    tcl = later.company("HZ001")
    assert tcl is not None and "TCL Corp." not in [n.text for n in tcl.names]
    assert later.table.digest() == registry_from_db(db, cfg.matching).table.digest()
    assert list(folder.glob("registry-*.bin")) != [stored], "the old version is removed"

    version = registry_version(db)
    db["company_contacts"].insert({"company_id": "HZ003", "email": "legal@example.cn"}, alter=True)
    assert registry_version(db) != version
    hz3 = load_db_registry(db, cfg, snapshots=folder).company("HZ003")
    assert hz3 is not None and "legal@example.cn" in hz3.contact_email


def test_other_matching_settings_read_the_registry_again(tmp_path: Path) -> None:
    cfg = load_config(make_config(tmp_path, DEMO))
    version, errors = "abc", ()
    plain = registry_snapshot.snapshot_key(version, cfg.matching, errors)
    aliased = cfg.matching.model_copy(update={"aliases": {"HZ001": ["TCL Huizhou"]}})
    assert registry_snapshot.snapshot_key(version, aliased, errors) != plain
    assert registry_snapshot.snapshot_key(version, cfg.matching, ("line 2: x",)) != plain
    assert registry_snapshot.snapshot_key("abd", cfg.matching, errors) != plain


def test_a_broken_snapshot_is_read_again_from_the_registry(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = load_config(make_config(tmp_path, DEMO, matching=True))
    registry = load_registry(DEMO, cfg.matching)
    path = registry_snapshot.save(registry, tmp_path, "k")
    path.write_bytes(path.read_bytes()[:-100])  # cut short, as by a full disk
    with caplog.at_level(logging.WARNING, logger="ipwatch.matcher"):
        back = registry_snapshot.cached(tmp_path, "k", lambda: registry)
    assert back is registry
    assert "unreadable (the snapshot is cut short)" in caplog.text
    assert registry_snapshot.load(path, "k").table.digest() == registry.table.digest()


def test_a_snapshot_altered_in_place_is_not_read(tmp_path: Path) -> None:
    cfg = load_config(make_config(tmp_path, DEMO, matching=True))
    registry = load_registry(DEMO, cfg.matching)
    path = registry_snapshot.save(registry, tmp_path, "k")
    data = bytearray(path.read_bytes())
    at = data.rindex("TCL科技".encode())  # a company's name in the packed buffer
    data[at : at + 3] = b"XCL"  # same length: only the digest can tell
    path.write_bytes(bytes(data))
    with pytest.raises(registry_snapshot.SnapshotError, match="do not match its digest"):
        registry_snapshot.load(path, "k")


def test_the_digest_is_taken_once_per_table(tmp_path: Path) -> None:
    cfg = load_config(make_config(tmp_path, DEMO, matching=True))
    registry = load_registry(DEMO, cfg.matching)
    back = registry_snapshot.load(registry_snapshot.save(registry, tmp_path, "k"), "k")
    assert back.table.digest() is back.table.digest()  # checked on reading, then kept
    assert back.table.indexed_digest() == registry.table.indexed_digest()
