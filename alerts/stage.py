"""The case's real stage: was it first seen at its start, and what the docket already shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from alerts.events import name_zh

# A case first seen through one of these was seen at its start; anything else is mid-case.
OPENING_KINDS: frozenset[str] = frozenset({"complaint", "institution", "receipt_of_complaint"})
# What the docket shows that changes a defendant's position, in the order a notice lists it.
STAGE_KINDS: tuple[str, ...] = (
    "service_executed",
    "waiver_executed",
    "answer",
    "motion_to_dismiss",
    "answer_extension_motion",
    "answer_extension",
    "tro_motion",
    "tro",
    "preliminary_injunction",
    "default_motion",
    "default",
    "default_judgment",
    "dismissal",
    "transfer",
    "final_determination",
    "exclusion_order",
    "termination",
)
UNDER_WAY_ZH = (
    "案件已在进行中：本系统首次发现本案时见到的是案件中途的记录，而非起诉或立案，"
    "无法据此推算最早期限；请立即向律师核实贵单位是否已被送达及各项期限"
)


class StageEvent(Protocol):
    """What the stage needs from an event: its court-local day, kinds and verbatim titles."""

    @property
    def day(self) -> date: ...
    @property
    def kinds(self) -> list[str]: ...
    @property
    def titles(self) -> list[str]: ...


@dataclass(frozen=True)
class StageFact:
    """One thing the docket shows: when, what (in Chinese) and the verbatim title."""

    day: date
    kind: str
    title: str

    @property
    def text_zh(self) -> str:
        """E.g. "2022-12-06 已提交答辩（Answer to Complaint）"."""
        return f"{self.day.isoformat()} {name_zh(self.kind)}（{self.title}）"


@dataclass(frozen=True)
class Stage:
    """Whether the case was already under way when first seen, and the docket's key facts."""

    under_way: bool
    first_day: date | None
    first_seen_zh: str  # how the case was first seen, e.g. "已提交答辩（Answer to Complaint）"
    facts: tuple[StageFact, ...]

    @property
    def summary_zh(self) -> str:
        """One paragraph for the notice, or "" when the case was seen at its start."""
        if not self.under_way:
            return ""
        first = self.first_day.isoformat() if self.first_day else ""
        return f"{UNDER_WAY_ZH}。首次发现的记录：{first} {self.first_seen_zh}"


def case_stage(events: Sequence[StageEvent]) -> Stage:
    """The stage of a case from its events (oldest first): mid-case when first seen mid-case."""
    if not events:
        return Stage(False, None, "", ())
    first_day = min(e.day for e in events)
    opening = [e for e in events if e.day == first_day]
    under_way = not any(OPENING_KINDS.intersection(e.kinds) for e in opening)
    seen = "；".join(
        f"{'、'.join(name_zh(k) for k in e.kinds) or '案件记录'}（{'; '.join(e.titles)}）"
        for e in opening
    )
    facts = [
        StageFact(e.day, kind, "; ".join(e.titles))
        for e in events
        for kind in e.kinds
        if kind in STAGE_KINDS
    ]
    order = {k: i for i, k in enumerate(STAGE_KINDS)}
    facts.sort(key=lambda f: (f.day, order[f.kind]))
    return Stage(under_way, first_day, seen, tuple(facts))
