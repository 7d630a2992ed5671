"""Score the matcher on labelled parties (precision, recall, errors) and explain one party."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matcher.features import alignment
from matcher.learn import rank_candidates
from matcher.match import Matcher
from matcher.normalize import parse_name
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


def explain_record(matcher: Matcher, party: str, location: str) -> dict[str, Any]:
    """The matcher's verdict on one party as a plain record."""
    result = matcher.match(Party(party, "defendant", location))
    scored, _ = matcher.candidates(Party(party, "defendant", location), prune=False)
    company = matcher.companies.get(result.company_id)
    best = scored[0][1] if scored and result.level not in ("none", "local") else None
    name, where = parse_name(party), parse_name(location)
    return {
        "party": party,
        "location": location,
        "level": result.level,
        "score": result.score,
        "company_id": result.company_id,
        "company": (company.name_zh or company.name_en) if company else "",
        "group": result.group,
        "matched_name": result.matched_name,
        "matched_kind": result.matched_kind,
        "alignment": alignment(best) if best else "",
        "huizhou_places": list(name.hz_places + where.hz_places),
        "other_places": list(name.other_places + where.other_places),
        "evidence": {
            k: {"score": e.score, "detail": e.detail} for k, e in result.explanations.items()
        },
        "runner_up": result.runner_up,
        "candidates": [
            {"company_id": c.company_id, "name_zh": c.name_zh, "score": c.score, "why": c.reasons}
            for c in (rank_candidates(matcher.registry, party) if result.level == "local" else [])
        ],
    }
