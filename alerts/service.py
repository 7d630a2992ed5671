"""What the docket says about service, and which docket events may be another defendant's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from alerts.events import name_zh

# Docket events that concern one defendant, which PACER RSS never names: with co-defendants
# they may be another defendant's, so they must neither close nor replace our company's deadlines.
PARTY_SPECIFIC: tuple[str, ...] = (
    "answer",
    "waiver_executed",
    "service_executed",
    "motion_to_dismiss",
    "answer_extension_motion",
    "answer_extension",
)
UNATTRIBUTED_ZH = "可能已由其他被告完成/送达（无法确定当事人）"


@dataclass(frozen=True)
class CaseEvent:
    """What the deadline rules need from one event: its kinds and its court-local date."""

    kinds: tuple[str, ...]
    day: date
    instituted: date | None = None  # ITC: the institution day the notice body states
    undated: bool = False  # dated by the case filing day: the entry's own day is unknown


@dataclass(frozen=True)
class Service:
    """Service status: unknown (the usual case), served on a day, or a waiver requested on a day."""

    status: Literal["unknown", "served", "proof_filed", "waiver"] = "unknown"
    day: date | None = None
    note: str = ""  # e.g. a proof or waiver on file that may be a co-defendant's


def first(events: Sequence[CaseEvent], kind: str) -> date | None:
    """The first day on which an event of this kind appears, or None."""
    days = [e.day for e in events if kind in e.kinds]
    return min(days) if days else None


def unattributed(events: Sequence[CaseEvent], co_defendants: bool) -> list[tuple[str, date]]:
    """Party-specific events that cannot be tied to our defendant: (kind, first day)."""
    if not co_defendants:
        return []
    found = [(k, first(events, k)) for k in PARTY_SPECIFIC[:3]]
    return [(k, d) for k, d in found if d is not None]


def attributable(events: Sequence[CaseEvent], co_defendants: bool) -> list[CaseEvent]:
    """The events with every kind that may be a co-defendant's removed when there are several."""
    if not co_defendants:
        return list(events)
    return [
        CaseEvent(
            tuple(k for k in e.kinds if k not in PARTY_SPECIFIC), e.day, e.instituted, e.undated
        )
        for e in events
    ]


def _unattributed_zh(found: list[tuple[str, date]]) -> str:
    seen = "、".join(f"「{name_zh(k)}」（{d.isoformat()}）" for k, d in found)
    return f"案卷有{seen}记录，但本案有多名被告，{UNATTRIBUTED_ZH}"


def service_from_events(events: Sequence[CaseEvent], co_defendants: bool = False) -> Service:
    """Infer the service status from docket events: executed waivers/proofs, or unknown."""
    found = unattributed(events, co_defendants)
    note = _unattributed_zh(found) if found else ""
    events = attributable(events, co_defendants)
    for kind, status in (("service_executed", "proof_filed"), ("waiver_executed", "waiver")):
        days = [e.day for e in events if kind in e.kinds and not e.undated]
        if days:
            return Service(status, min(days), note)  # type: ignore[arg-type]
    # An entry without its own date only shows the proof was filed some day after the case was:
    # the deadline stays the earliest possible one, never a firm date from the filing day.
    undated = [k for k in ("service_executed", "waiver_executed") if first(events, k)]
    if undated:
        seen = "、".join(f"「{name_zh(k)}」" for k in undated)
        note = "；".join(x for x in (note, f"案卷有{seen}记录，但来源未载明其日期") if x)
    return Service(note=note)
