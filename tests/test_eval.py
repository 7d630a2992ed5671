"""Evaluation on the real labelled parties, and the effect of a config change on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Matching, load_config
from matcher.evaluate import LabelsError, evaluate
from matcher.match import Matcher
from matcher.registry import load_registry

TESTS = Path(__file__).parent
LABELS = TESTS / "examples" / "matcher" / "party_labels.csv"
REGISTRY = TESTS.parent / "data" / "exporters.csv"


def matcher_with(matching: Matching) -> Matcher:
    return Matcher(load_registry(REGISTRY, matching), matching)


@pytest.fixture(scope="module")
def shipped() -> Matching:
    """The matching section of the config.yaml that `ipwatch run` uses."""
    return load_config(TESTS.parent / "config.yaml").matching


def test_shipped_config_meets_the_targets_on_the_real_labels(shipped: Matching) -> None:
    report = evaluate(matcher_with(shipped), LABELS).to_json()
    entity, group = report["levels"]["entity"], report["levels"]["group"]
    assert report["rows"] == 202
    assert entity["support"] == 25 and group["support"] == 71
    assert entity["precision"] >= 0.98 and entity["recall"] >= 0.98
    assert group["recall"] >= 0.90
    assert report["false_entity_alarms"] == 0
    assert not [e for e in report["errors"] if e["got"].startswith("entity")]


def test_eval_shows_the_effect_of_a_config_change(shipped: Matching) -> None:
    without = shipped.model_copy(update={"aliases": {}})
    before = evaluate(matcher_with(without), LABELS).to_json()
    after = evaluate(matcher_with(shipped), LABELS).to_json()
    assert before["levels"]["group"]["recall"] < after["levels"]["group"]["recall"]
    missed = {e["party"] for e in before["errors"]}
    assert {"TTE Corporation", "Manufacturas Avanzadas SA de CV"} <= missed
    error = next(e for e in before["errors"] if e["party"] == "TTE Corporation")
    assert (error["expected"], error["got"], error["score"]) == ("group TCL", "none", 0.0)


def test_precision_recall_and_false_alarms_are_counted_per_level(tmp_path: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text(
        "case_id,source,party,expected_level,expected_id\n"
        "c1,test,TCL Technology Group Corp.,entity,HZ001\n"
        "c1,test,TCL Corp.,entity,HZ002\n"  # wrong id on purpose: counts as a false entity alarm
        "c1,test,TCL Moka International Limited,group,TCL\n"
        "c1,test,Samsung Electronics Co. Ltd.,none,\n",
        encoding="utf-8",
    )
    report = evaluate(matcher_with(Matching()), labels).to_json()
    assert report["levels"]["entity"] == {"precision": 0.5, "recall": 0.5, "support": 2}
    assert report["levels"]["group"] == {"precision": 1.0, "recall": 1.0, "support": 1}
    assert report["false_entity_alarms"] == 1
    (error,) = report["errors"]
    assert (error["line"], error["expected"], error["got"]) == (3, "entity HZ002", "entity HZ001")
    assert "registered_name" in error["explanation"]


def test_bad_labels_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("party,level\nx,none\n", encoding="utf-8")
    with pytest.raises(LabelsError, match="missing columns case_id, source, expected_level"):
        evaluate(matcher_with(Matching()), bad)
    with pytest.raises(LabelsError, match="labels file not found"):
        evaluate(matcher_with(Matching()), tmp_path / "none.csv")
