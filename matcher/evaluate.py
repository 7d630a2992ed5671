"""Score the matcher against labelled parties: precision, recall and every error explained."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matcher.match import Matcher
from matcher.types import MatchResult, Party

COLUMNS = ("case_id", "source", "party", "expected_level", "expected_id")
SCORED_LEVELS = ("entity", "group")


class LabelsError(Exception):
    """The labels file is missing or lacks the expected columns."""


@dataclass
class LevelStats:
    """Counts for one level: predictions, labels and agreements."""

    predicted: int = 0
    support: int = 0
    correct: int = 0

    def to_json(self) -> dict[str, Any]:
        """Precision, recall and support, rounded for reading."""
        precision = self.correct / self.predicted if self.predicted else 1.0
        recall = self.correct / self.support if self.support else 1.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "support": self.support,
        }


@dataclass
class EvalReport:
    """The outcome of one evaluation run."""

    levels: dict[str, LevelStats] = field(
        default_factory=lambda: {lvl: LevelStats() for lvl in SCORED_LEVELS}
    )
    false_entity_alarms: int = 0
    rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The report as {"levels": …, "false_entity_alarms": N, "errors": […]}."""
        return {
            "levels": {name: s.to_json() for name, s in self.levels.items()},
            "false_entity_alarms": self.false_entity_alarms,
            "rows": self.rows,
            "errors": self.errors,
        }


def _got(result: MatchResult) -> tuple[str, str]:
    """The scored level and id of a result: entity → company id, group → group name."""
    if result.level == "entity":
        return "entity", result.company_id
    if result.level == "group":
        return "group", result.group
    return "none", ""


def read_labels(path: Path) -> list[dict[str, str]]:
    """Rows of a labels CSV, or LabelsError naming the file and what is missing."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise LabelsError(f"{path}: missing columns {', '.join(missing)}")
            return list(reader)
    except FileNotFoundError:
        raise LabelsError(f"{path}: labels file not found") from None


def evaluate(matcher: Matcher, labels_path: Path) -> EvalReport:
    """Run every labelled party through the matcher as a defendant and score the levels."""
    report = EvalReport()
    for line, row in enumerate(read_labels(Path(labels_path)), start=2):
        want_level = (row["expected_level"] or "none").strip().lower()
        want_id = (row["expected_id"] or "").strip()
        result = matcher.match(Party(row["party"], "defendant"))
        got_level, got_id = _got(result)
        report.rows += 1
        if want_level in report.levels:
            report.levels[want_level].support += 1
        if got_level in report.levels:
            report.levels[got_level].predicted += 1
        right = got_level == want_level and got_id.lower() == want_id.lower()
        if right and got_level in report.levels:
            report.levels[got_level].correct += 1
        if got_level == "entity" and not right:
            report.false_entity_alarms += 1
        if not right:
            report.errors.append(
                {
                    "line": line,
                    "case_id": row["case_id"],
                    "party": row["party"],
                    "expected": f"{want_level} {want_id}".strip(),
                    "got": f"{result.level} {result.company_id or result.group}".strip(),
                    "score": result.score,
                    "matched_name": result.matched_name,
                    "explanation": {k: e.detail for k, e in result.explanations.items()},
                }
            )
    return report
