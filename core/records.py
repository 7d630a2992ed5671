"""Typed rows that cross stage borders: what the crawl stores, what extract and the matcher make,
and what the alerts stage reads. Built from store rows with `from_row`, which ignores extra
columns so queries may join."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, TypeVar

T = TypeVar("T")


def _from_row(cls: type[T], row: Mapping[str, Any]) -> T:
    """Build a record from a row, taking only its own fields; NULL text becomes ""."""
    values = {}
    for f in fields(cls):  # type: ignore[arg-type]
        value = row.get(f.name)
        if value is None:
            value = 0.0 if f.type in ("float", float) else 0 if f.type in ("int", int) else ""
        values[f.name] = value
    return cls(**values)


@dataclass(frozen=True)
class EventRecord:
    """One stored source event (a docket entry, a notice, a news item)."""

    id: str
    source: str
    forum: str
    court: str
    docket_number: str
    case_id: str
    case_name: str
    event_types: str  # JSON list of the source's own titles
    published: str
    link: str
    body: str
    parties: str  # JSON list of [role, name, location]

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> EventRecord:
        """The record of an `events` row."""
        return _from_row(cls, row)

    def titles(self) -> list[str]:
        """The source's own event titles."""
        data = json.loads(self.event_types or "[]")
        return [str(t) for t in data] if isinstance(data, list) else [str(data)]


@dataclass(frozen=True)
class CaseRecord:
    """One dispute, shared by every source that reports it."""

    id: str
    forum: str
    court: str
    docket_number: str
    case_name: str
    link: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> CaseRecord:
        """The record of a `cases` row."""
        return _from_row(cls, row)


@dataclass(frozen=True)
class MatchRecord:
    """A party of a case tied to a registry company (or group), with its level and evidence."""

    id: str
    case_id: str
    party_id: str
    party: str
    role: str
    company_id: str
    group_name: str
    level: str
    score: float
    matched_name: str
    evidence: str  # JSON {feature: {score, detail}}
    status: str
    reason: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> MatchRecord:
        """The record of a `matches` row."""
        return _from_row(cls, row)

    def evidence_items(self) -> list[tuple[str, float, str]]:
        """Each feature's (name, score, detail), strongest first; unreadable evidence is empty."""
        try:
            data = json.loads(self.evidence or "{}")
        except json.JSONDecodeError:
            return []
        items = [
            (name, float(v.get("score", 0)), str(v.get("detail", "")))
            for name, v in (data.items() if isinstance(data, dict) else [])
            if isinstance(v, dict)
        ]
        return sorted(items, key=lambda t: -t[1])


@dataclass(frozen=True)
class MessageRecord:
    """One outbox message and its delivery state."""

    id: str
    kind: str
    case_id: str
    company_id: str
    event_id: str
    recipients: str  # JSON {to, cc, bcc}
    subject: str
    message_id: str
    state: str
    attempts: int
    last_error: str
    sent_at: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> MessageRecord:
        """The record of an `outbox` row."""
        return _from_row(cls, row)
