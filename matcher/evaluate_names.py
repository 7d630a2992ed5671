"""Score matching from Chinese legal names alone on real Chinese–English name pairs.

A throw-away registry is built from the file's Chinese names only (place from
`province_or_city`); every English name is matched as a defendant against it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.config import Matching
from matcher.match import Matcher
from matcher.registry import Registry
from matcher.types import Company, CompanyName, MatchResult, Party

COLUMNS = ("name_zh", "name_en", "province_or_city", "kind")
KINDS = ("pinyin", "translated", "brand", "mixed")
RATES = ("right_entity", "right_entity_or_review", "wrong_entity", "wrong_review")


class PairsError(Exception):
    """The pairs file is missing, unreadable or lacks the expected columns."""


@dataclass(frozen=True)
class Pair:
    """One Chinese legal name with the English name the same company uses."""

    line: int
    name_zh: str
    name_en: str
    place: str
    kind: str


@dataclass
class Tally:
    """Counts for one kind of pair."""

    n: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RATES, 0))

    def to_json(self) -> dict[str, Any]:
        """n and every rate in 0–1."""
        rates = {k: round(v / self.n, 4) if self.n else 0.0 for k, v in self.counts.items()}
        return {"n": self.n, **rates}


def read_pairs(path: Path) -> list[Pair]:
    """Rows of a pairs CSV, or PairsError naming the file and what is wrong."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise PairsError(f"{path}: missing columns {', '.join(missing)}")
            rows = list(reader)
    except FileNotFoundError:
        raise PairsError(f"{path}: pairs file not found") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PairsError(f"{path}: cannot read: {exc}") from None
    pairs = []
    for line, row in enumerate(rows, start=2):
        name_zh, name_en = (row["name_zh"] or "").strip(), (row["name_en"] or "").strip()
        if not name_zh or not name_en:
            raise PairsError(f"{path} line {line}: name_zh and name_en are both required")
        kind = (row["kind"] or "").strip()
        pairs.append(Pair(line, name_zh, name_en, (row["province_or_city"] or "").strip(), kind))
    return pairs


def chinese_only_registry(pairs: list[Pair]) -> Registry:
    """A registry with one company per pair, knowing only its Chinese legal name and place."""
    return Registry(
        tuple(
            Company(
                id=f"L{p.line}",
                name_zh=p.name_zh,
                name_en="",
                names=(CompanyName(p.name_zh, "legal_zh"),),
                address=p.place,
            )
            for p in pairs
        )
    )


def _outcome(result: MatchResult, right: str) -> dict[str, bool]:
    reached = {result.company_id, *result.tied} - {""}
    review_or_entity = result.level in ("entity", "review")
    return {
        "right_entity": result.level == "entity" and result.company_id == right,
        "right_entity_or_review": review_or_entity and right in reached,
        "wrong_entity": result.level == "entity" and result.company_id != right,
        # The review item points at other companies only (a tie that includes the right
        # company shows the analyst the right one).
        "wrong_review": result.level == "review" and bool(reached) and right not in reached,
    }


def evaluate_names(path: Path, matching: Matching | None = None) -> dict[str, Any]:
    """Per kind and overall: n, right at entity, right at entity-or-review, wrong at each level."""
    pairs = read_pairs(Path(path))
    matcher = Matcher(chinese_only_registry(pairs), matching or Matching())
    kinds: dict[str, Tally] = {}
    overall = Tally()
    for pair in pairs:
        result = matcher.match(Party(pair.name_en, "defendant"))
        outcome = _outcome(result, f"L{pair.line}")
        for tally in (kinds.setdefault(pair.kind or "unknown", Tally()), overall):
            tally.n += 1
            for key, hit in outcome.items():
                tally.counts[key] += hit
    order = [k for k in KINDS if k in kinds] + sorted(k for k in kinds if k not in KINDS)
    return {"kinds": {k: kinds[k].to_json() for k in order}, "overall": overall.to_json()}


def errors(path: Path, matching: Matching | None = None) -> list[dict[str, Any]]:
    """Each pair whose right company was missed or whose party reached a wrong one."""
    pairs = read_pairs(Path(path))
    matcher = Matcher(chinese_only_registry(pairs), matching or Matching())
    out = []
    for pair in pairs:
        result = matcher.match(Party(pair.name_en, "defendant"))
        outcome = _outcome(result, f"L{pair.line}")
        if outcome["wrong_entity"] or outcome["wrong_review"] or not outcome["right_entity"]:
            got = matcher.companies.get(result.company_id)
            out.append(
                {
                    "line": pair.line,
                    "kind": pair.kind,
                    "name_en": pair.name_en,
                    "name_zh": pair.name_zh,
                    "level": result.level,
                    "got": got.name_zh if got else "",
                    **outcome,
                    "evidence": {k: e.detail for k, e in result.explanations.items()},
                }
            )
    return out
