"""The registry read from the database: same as the CSV, the configured file kept imported, and
English names learnt safely from unregistered "Huizhou …" parties (#12)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from core.config import load_config
from core.store import open_db
from ipwatch.cli import cli
from matcher.match import build_matcher
from matcher.registry import RegistryError, load_registry
from matcher.types import Party

TESTS = Path(__file__).parent
DEMO = TESTS.parent / "data" / "exporters.csv"
HEADER = "id,name_zh,name_en,aliases,district,industry,products,parent_group,notes,contact_email\n"


def make_config(tmp_path: Path, registry: Path, matching: bool = False) -> str:
    raw = yaml.safe_load((TESTS / "config.test.yaml").read_text(encoding="utf-8"))
    raw.update(registry=str(registry), database=str(tmp_path / "ipwatch.db"))
    if matching:
        shipped = yaml.safe_load((TESTS.parent / "config.yaml").read_text(encoding="utf-8"))
        raw["matching"] = shipped["matching"]
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_the_database_registry_is_the_csv_registry(tmp_path: Path) -> None:
    cfg = load_config(make_config(tmp_path, DEMO, matching=True))
    db = open_db(cfg.path(cfg.database))
    from_file = load_registry(DEMO, cfg.matching)
    from_db = build_matcher(cfg, db).registry
    # Same companies, same typed names in the same order: matching cannot change.
    assert from_db == from_file
    assert len(from_db.companies) == 43
    kinds = {
        r["text"]: r["kind"]
        for r in db.query("select * from company_names where company_id='HZ001'")
    }
    assert kinds["TCL Technology Group Corporation"] == "en_official"
    assert kinds["TCL Corporation"] == "en_former"  # "Renamed from … TCL Corporation" in notes
    assert kinds["TCL集团股份有限公司"] == "zh_former"
    assert kinds["TCL Corp."] == "en_variant" and kinds["TCL"] == "brand"


def test_the_configured_file_is_imported_first_and_again_only_when_it_changes(tmp_path: Path):
    registry = tmp_path / "exporters.csv"
    registry.write_text(
        HEADER
        + "HZ900,惠州市好好电子有限公司,Huizhou Haohao Electronics Co. Ltd.,,,,,,,a@haohao.cn\n"
        + "HZ901,惠州市旧旧塑胶有限公司,Huizhou Jiujiu Plastic Co. Ltd.,,,,,,,\n"
        + "HZ902,惠州市坏坏有限公司,,,,,,,,not-an-email\n",
        encoding="utf-8",
    )
    cfg = load_config(make_config(tmp_path, registry))
    db = open_db(cfg.path(cfg.database))
    first = build_matcher(cfg, db)
    assert [c.id for c in first.registry.companies] == ["HZ900", "HZ901"]
    assert first.registry.company("HZ900").contact_email == "a@haohao.cn"
    assert len(first.registry.errors) == 1
    assert (
        "exporters.csv 第4行 line 4: 邮箱无效 bad email 'not-an-email'"
        in (first.registry.errors[0])
    )
    changes = db.execute("select count(*) from registry_history").fetchone()[0]

    again = build_matcher(cfg, db)  # unchanged file: nothing imported, bad rows still reported
    assert db.execute("select count(*) from registry_history").fetchone()[0] == changes
    assert again.registry.errors == first.registry.errors

    registry.write_text(
        HEADER
        + "HZ900,惠州市好好电子有限公司,Huizhou Haohao Electronic Co. Ltd.,,,,,,,a@haohao.cn\n"
        + "HZ903,惠州市新新电池有限公司,Huizhou Xinxin Battery Co. Ltd.,,,,,,,\n",
        encoding="utf-8",
    )
    changed = build_matcher(cfg, db)
    assert [c.id for c in changed.registry.companies] == ["HZ900", "HZ903"]
    assert changed.registry.company("HZ900").name_en == "Huizhou Haohao Electronic Co. Ltd."
    assert changed.registry.errors == ()
    assert changed.match(Party("Huizhou Jiujiu Plastic Co., Ltd.")).company_id != "HZ901"
    history = [
        (r["company_id"], r["action"])
        for r in db.query("select * from registry_history where id > ? order by id", [changes])
    ]
    assert ("HZ903", "added") in history and ("HZ901", "removed") in history
    old_name = next(
        db.query("select * from company_names where text = 'Huizhou Haohao Electronics Co. Ltd.'")
    )
    assert old_name["removed_at"] and old_name["removed_reason"] == "not in import:exporters.csv"

    registry.write_bytes("id,name_zh\r\n".encode("utf-16"))
    with pytest.raises(RegistryError, match="编码为 UTF-16"):
        build_matcher(cfg, db)


def run(config_path: str, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, [*args, "--config", config_path])


def chinese_only(tmp_path: Path, ids: set[str]) -> Path:
    """The demo registry with the English names, aliases and notes of `ids` removed."""
    rows = list(csv.DictReader(DEMO.open(encoding="utf-8")))
    for row in rows:
        if row["id"] in ids:
            row.update(name_en="", aliases="", notes="")
    path = tmp_path / "chinese_only.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_local_party_gets_candidates_and_an_analyst_links_it(tmp_path: Path) -> None:
    # A trading arm's name: the trade name spells 亿纬 but the industry disagrees, so from the
    # Chinese name alone the matcher says only "local"; the analyst gets EVE as a candidate.
    config_path = make_config(tmp_path, chinese_only(tmp_path, {"HZ015"}), matching=True)
    party = "Huizhou Zhongkai Yiwei Trading Co., Ltd."
    explained = json.loads(run(config_path, "explain", party, "--json").output)
    assert explained["level"] == "local"
    assert explained["candidates"] == [
        {
            "company_id": "HZ015",
            "name_zh": "惠州亿纬锂能股份有限公司",
            "score": 0.8,
            "why": ["yiwei = 亿纬 (yi wei)", "zhongkai = 仲恺高新区"],
        }
    ]
    found = json.loads(run(config_path, "registry", "candidates", party, "--json").output)
    assert [c["id"] for c in found] == ["HZ015"]
    cfg = load_config(config_path)
    db = open_db(cfg.path(cfg.database))
    db.table("matches").insert(
        {"id": "m9", "party": party, "level": "local", "created_at": "2026-03-02T08:00:00+00:00"}
    )
    stored = json.loads(run(config_path, "registry", "candidates", "--json").output)
    assert [(c["party"], c["id"], c["score"]) for c in stored] == [(party, "HZ015", 0.8)]

    linked = run(
        config_path,
        "registry",
        "link",
        party,
        "HZ015",
        "--reason",
        "same address as 亿纬锂能",
        "--by",
        "alice",
    )
    assert linked.exit_code == 0, linked.output
    names = json.loads(run(config_path, "registry", "names", "HZ015", "--json").output)
    assert (names[-1]["name"], names[-1]["kind"], names[-1]["source"]) == (
        party,
        "en_variant",
        "link",
    )
    assert (names[-1]["added_by"], names[-1]["reason"]) == ("alice", "same address as 亿纬锂能")
    after = json.loads(run(config_path, "explain", party, "--json").output)
    assert (after["level"], after["company_id"]) == ("entity", "HZ015")


@pytest.mark.parametrize(
    ("party", "company_id", "why"),
    [
        ("Zhongwei Wu", "HZ012", "像是人名 looks like a person's name"),
        ("Shenzhen Juneng Battery Co., Ltd.", "HZ012", "含其他地名 names another place: shenzhen"),
        ("ExxonMobil Medical Plan", "HZ025", "names the group 'ExxonMobil'"),
        ("Samsung Electronics Co., Ltd.", "HZ034", "names the group 'Samsung'"),
        ("Juneng Battery GmbH", "HZ012", "外国法律形式 foreign legal form: gmbh"),
    ],
)
def test_link_refuses_other_places_people_and_groups(
    tmp_path: Path, party: str, company_id: str, why: str
) -> None:
    config_path = make_config(tmp_path, DEMO, matching=True)
    result = run(config_path, "registry", "link", party, company_id, "--reason", "test")
    assert result.exit_code == 1
    assert result.output.startswith("Error: 拒绝添加名称 refused to add") and why in result.output


def test_a_gb18030_registry_as_chinese_excel_saves_it_is_read_whole(tmp_path: Path) -> None:
    saved = tmp_path / "exporters_gb18030.csv"
    saved.write_bytes(DEMO.read_text(encoding="utf-8").encode("gb18030"))
    config_path = make_config(tmp_path, saved, matching=True)
    result = CliRunner().invoke(cli, ["check-config", "--config", config_path])
    assert result.exit_code == 0, result.output
    assert "43 companies, 0 bad registry rows" in result.output
    cfg = load_config(config_path)
    assert build_matcher(cfg).registry == load_registry(DEMO, cfg.matching)


def test_add_name_is_guarded_and_an_override_is_recorded(tmp_path: Path) -> None:
    config_path = make_config(tmp_path, DEMO, matching=True)
    args = ["registry", "add-name", "HZ012", "Zhongwei Wu", "--kind", "en_variant"]
    refused = run(config_path, *args, "--reason", "from a docket")
    assert refused.exit_code == 1 and "像是人名 looks like a person's name" in refused.output
    forced = run(config_path, *args, "--reason", "the firm trades under its founder's name",
                 "--force", "--by", "carol")  # fmt: skip
    assert forced.exit_code == 0, forced.output
    cfg = load_config(config_path)
    db = open_db(cfg.path(cfg.database))
    entry = next(db.query("select * from audit_log"))
    assert (entry["actor"], entry["action"], entry["target"]) == (
        "carol",
        "registry.add_name",
        "company:HZ012",
    )
    detail = json.loads(entry["detail"])
    assert detail["name"] == "Zhongwei Wu" and detail["overridden"].startswith("像是人名")


def test_removed_names_and_companies_are_left_out_and_the_rest_kept_in_order(tmp_path: Path):
    from core.registry_store import remove_name
    from matcher.registry_db import registry_from_db

    cfg = load_config(make_config(tmp_path, DEMO))
    db = open_db(cfg.path(cfg.database))
    before = build_matcher(cfg, db).registry  # imports the bundled registry
    remove_name(db, "HZ001", "TCL Corp.", by="analyst", reason="not a name it uses")
    db["companies"].update("HZ002", {"removed_at": "2026-12-02T09:00:00+08:00"})
    after = registry_from_db(db, cfg.matching)
    ids = [c.id for c in after.companies]
    assert ids == [c.id for c in before.companies if c.id != "HZ002"] and ids == sorted(ids)
    tcl, tcl_before = after.company("HZ001"), before.company("HZ001")
    assert tcl is not None and tcl_before is not None
    assert [n.text for n in tcl.names] == [
        n.text for n in tcl_before.names if n.text != "TCL Corp."
    ]
    assert after.company("HZ002") is None
    assert after.company("HZ003") == before.company("HZ003")


def test_an_unchanged_registry_is_not_mirrored_again(tmp_path: Path):
    from matcher.extract import sync_registry

    cfg = load_config(make_config(tmp_path, DEMO))
    db = open_db(cfg.path(cfg.database))
    registry = build_matcher(cfg, db).registry
    sync_registry(db, registry)
    mirrored = db.conn.total_changes
    sync_registry(db, build_matcher(cfg, db).registry)  # a later cycle, nothing changed
    assert db.conn.total_changes == mirrored
    # A new contact changes what the mirror holds: it is written again.
    db["company_contacts"].insert({"company_id": "HZ003", "email": "legal@example.cn"}, alter=True)
    sync_registry(db, build_matcher(cfg, db).registry)
    assert db.conn.total_changes > mirrored
    row = db["companies"].get("HZ003")
    assert "legal@example.cn" in row["contact_email"]
