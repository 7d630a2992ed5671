"""The match-stage commands: eval, explain, review and features."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from core.config import load_config
from core.store import open_db
from ipwatch.cli import cli
from matcher.match import build_matcher
from matcher.types import Party

TESTS = Path(__file__).parent
LABELS = TESTS / "examples" / "matcher" / "party_labels.csv"


@pytest.fixture
def config_path(tmp_path: Path) -> str:
    """The test config with the shipped matching section, registry and a fresh database."""
    raw = yaml.safe_load((TESTS / "config.test.yaml").read_text(encoding="utf-8"))
    shipped = yaml.safe_load((TESTS.parent / "config.yaml").read_text(encoding="utf-8"))
    raw.update(
        registry=str(TESTS.parent / "data" / "exporters.csv"),
        database=str(tmp_path / "ipwatch.db"),
        matching=shipped["matching"],
    )
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return str(path)


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_eval_json_has_the_documented_shape(config_path: str) -> None:
    result = run("eval", str(LABELS), "--json", "--config", config_path)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {"levels", "false_entity_alarms", "rows", "errors"}
    assert set(report["levels"]["entity"]) == {"precision", "recall", "support"}
    assert report["levels"]["entity"]["recall"] >= 0.98
    assert report["false_entity_alarms"] == 0


def test_eval_text_and_bad_labels(config_path: str, tmp_path: Path) -> None:
    result = run("eval", str(LABELS), "--config", config_path)
    assert result.exit_code == 0
    assert result.output.startswith("entity  precision 1.000  recall 1.000  support 25")
    bad = tmp_path / "bad.csv"
    bad.write_text("x\n1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(bad), "--config", config_path])
    assert result.exit_code == 1
    assert "Error: " in result.output and "missing columns" in result.output


def test_explain_json_shows_name_kind_tokens_places_and_runner_up(config_path: str) -> None:
    result = run(
        "explain", "TCL Industries Holdings (H.K.) Limited", "--json", "--config", config_path
    )
    record = json.loads(result.output)
    assert record["level"] == "group" and record["score"] == 0.8
    assert (record["company_id"], record["company"]) == ("HZ002", "TCL实业控股股份有限公司")
    assert (record["matched_name"], record["matched_kind"]) == (
        "TCL Industries Holdings Co., Ltd.",
        "legal_en",
    )
    assert record["alignment"] == "tcl=tcl industry=industry holding=holding"
    assert record["other_places"] == ["hk"]
    assert record["runner_up"].startswith("HZ001")
    assert "affiliate elsewhere" in record["evidence"]["other_place"]["detail"]


def test_explain_text_with_location(config_path: str) -> None:
    result = run(
        "explain",
        "TCL Technology Group Corporation",
        "--location",
        "Huizhou, Guangdong, China",
        "--config",
        config_path,
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "级别 level: entity  score 1.00"
    assert lines[1] == "企业 company: HZ001 TCL科技集团股份有限公司  group: TCL"
    assert "Huizhou words: huizhou; other places: -" in result.output


def test_features_lists_docstrings_with_weights() -> None:
    result = run("features")
    first = result.output.splitlines()[0]
    assert first.split()[:3] == ["registered_name", "1.00", "main"]
    assert "The party's name equals a registered legal" in first
    assert "huizhou_missing    0.80  cap" in result.output


def _seed_matches(config_path: str) -> None:
    db = open_db(load_config(config_path).path(load_config(config_path).database))
    common = {
        "case_id": "c1",
        "role": "defendant",
        "group_name": "TCL",
        "evidence": "{}",
        "status": "pending",
        "reason": "",
        "reviewed_by": "",
        "reviewed_at": "",
        "created_at": "2025-01-01T00:00:00+00:00",
    }
    db["matches"].insert_all(
        [
            {
                **common,
                "id": "m1",
                "party_id": "p1",
                "party": "TCL Techn. Grp Corp.",
                "company_id": "HZ001",
                "level": "review",
                "score": 0.7,
                "matched_name": "TCL Technology Group Corporation",
            },
            {
                **common,
                "id": "m2",
                "party_id": "p2",
                "party": "TCL Corp.",
                "company_id": "HZ001",
                "level": "entity",
                "score": 1.0,
                "matched_name": "TCL Corp.",
            },
        ],
        pk="id",
    )
    db.close()


def test_review_lists_confirms_and_dismisses_with_who_and_when(config_path: str) -> None:
    _seed_matches(config_path)
    listed = json.loads(run("review", "--config", config_path, "--json").output)
    assert [r["id"] for r in listed] == ["m2", "m1"]

    result = run(
        "review",
        "--config",
        config_path,
        "confirm",
        "m1",
        "--as-variant",
        "--kind",
        "en_variant",
        "--by",
        "alice",
    )
    assert result.exit_code == 0
    result = run(
        "review", "--config", config_path, "dismiss", "m2", "--reason", "wrong TCL", "--by", "bob"
    )
    assert result.exit_code == 0

    cfg = load_config(config_path)
    db = open_db(cfg.path(cfg.database))
    rows = {r["id"]: r for r in db.query("select * from matches")}
    assert (rows["m1"]["status"], rows["m1"]["reviewed_by"]) == ("confirmed", "alice")
    assert (rows["m2"]["status"], rows["m2"]["reason"], rows["m2"]["reviewed_by"]) == (
        "dismissed",
        "wrong TCL",
        "bob",
    )
    assert rows["m2"]["reviewed_at"]
    decisions = list(
        db.query(
            "select action, party_norm, company_id, variant, decided_by from decisions order by id"
        )
    )
    assert decisions == [
        {
            "action": "confirm",
            "party_norm": "tcl techn grp corp",
            "company_id": "HZ001",
            "variant": "TCL Techn. Grp Corp.",
            "decided_by": "alice",
        },
        {
            "action": "dismiss",
            "party_norm": "tcl corp",
            "company_id": "HZ001",
            "variant": "",
            "decided_by": "bob",
        },
    ]
    matcher = build_matcher(cfg, db)
    assert matcher.match(Party("TCL Corp.")).company_id != "HZ001"
    confirmed = matcher.match(Party("TCL TECHN. GRP CORP"))
    assert (confirmed.level, confirmed.company_id, confirmed.matched_kind) == (
        "entity",
        "HZ001",
        "variant",  # #12: a confirmed spelling is a typed registry name (en_variant), not config
    )
    assert json.loads(run("review", "--config", config_path, "--json").output) == []


def test_review_errors(config_path: str) -> None:
    result = CliRunner().invoke(cli, ["review", "--config", config_path, "confirm", "nope"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no match 'nope'")
    result = CliRunner().invoke(cli, ["review", "--config", config_path, "dismiss", "m1"])
    assert result.exit_code == 2
    assert "--reason" in result.output


def test_confirm_as_variant_asks_the_kind_refuses_unsafe_names_and_can_be_undone(
    config_path: str,
) -> None:
    _seed_matches(config_path)
    cfg = load_config(config_path)
    db = open_db(cfg.path(cfg.database))
    db.table("matches").insert(
        {
            **next(db.query("select * from matches where id = 'm1'")),
            "id": "m3",
            "party": "ExxonMobil Medical Plan",
            "company_id": "HZ025",
        }
    )
    refused = CliRunner().invoke(
        cli,
        ["review", "--config", config_path, "confirm", "m3", "--as-variant", "--by", "alice"],
        input="en_variant\n",
    )
    assert refused.exit_code == 1
    assert "Which kind of name" in refused.output  # asked, then refused
    assert "names the group 'ExxonMobil', not the Huizhou company" in refused.output
    assert next(db.query("select status from matches where id = 'm3'"))["status"] == "pending"

    asked = CliRunner().invoke(
        cli,
        ["review", "--config", config_path, "confirm", "m1", "--as-variant", "--by", "alice"],
        input="transliteration\n",
    )
    assert asked.exit_code == 0, asked.output
    name = next(db.query("select * from company_names where text = 'TCL Techn. Grp Corp.'"))
    assert (name["kind"], name["source"], name["added_by"]) == (
        "transliteration",
        "review:m1",
        "alice",
    )
    assert f"ipwatch registry remove-name HZ001 {name['id']}" in asked.output
    assert build_matcher(cfg, db).match(Party("TCL TECHN. GRP CORP")).level == "entity"

    undo = CliRunner().invoke(
        cli,
        [
            "registry",
            "remove-name",
            "HZ001",
            str(name["id"]),
            "--reason",
            "typo",
            "--config",
            config_path,
            "--by",
            "bob",
        ],
    )
    assert undo.exit_code == 0, undo.output
    gone = next(db.query("select * from company_names where id = ?", [name["id"]]))
    assert (gone["removed_by"], gone["removed_reason"]) == ("bob", "typo")
    assert build_matcher(cfg, db).match(Party("TCL TECHN. GRP CORP")).level != "entity"
    actions = [r["action"] for r in db.query("select action from audit_log order by id")]
    assert actions == ["review.confirm", "registry.remove_name"]


def test_review_undo_takes_back_a_decision_and_the_name_it_taught(config_path: str) -> None:
    _seed_matches(config_path)
    args = ["review", "--config", config_path, "confirm", "m1", "--as-variant", "--kind"]
    done = run(*args, "en_variant", "--by", "alice")
    assert done.exit_code == 0, done.output
    [batch] = re.findall(r"ipwatch review undo ([0-9a-f]{16})", done.output)
    undone = run("review", "--config", config_path, "undo", batch, "--by", "bob")
    assert undone.exit_code == 0, undone.output
    assert "已撤销 undone 1: m1" in undone.output
    cfg = load_config(config_path)
    db = open_db(cfg.path(cfg.database))
    m1 = next(db.query("select status, reviewed_by from matches where id = 'm1'"))
    assert (m1["status"], m1["reviewed_by"]) == ("pending", "")
    name = next(db.query("select * from company_names where text = 'TCL Techn. Grp Corp.'"))
    assert (name["removed_by"], name["source"]) == ("bob", "review:m1")
    assert list(db.query("select * from decisions")) == []
    actions = [r["action"] for r in db.query("select action from audit_log order by id")]
    assert actions == ["review.confirm", "review.undo"]
    again = CliRunner().invoke(cli, ["review", "--config", config_path, "undo", batch])
    assert again.exit_code == 1 and "没有可撤销的决定" in again.output


def test_review_dismiss_takes_the_consoles_reason_codes(config_path: str) -> None:
    _seed_matches(config_path)
    done = run(
        "review", "--config", config_path, "dismiss", "m2", "--code", "foreign_parent",
        "--reason", "Korean parent", "--by", "bob",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    cfg = load_config(config_path)
    db = open_db(cfg.path(cfg.database))
    row = next(db.query("select reason, reason_code, batch from decisions"))
    assert (row["reason"], row["reason_code"]) == ("外国母公司 Korean parent", "foreign_parent")
    assert row["batch"] and f"ipwatch review undo {row['batch']}" in done.output
