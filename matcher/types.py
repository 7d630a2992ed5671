"""Records shared by the matcher: parties, registry companies, evidence and match results."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from core.vocabulary import Level, Role

NameKind = Literal[
    "legal_zh", "legal_en", "former", "variant", "brand", "licensed", "group", "config"
]


@dataclass(frozen=True)
class Party:
    """A party as a case names it, with its role and any location the source gives."""

    raw: str
    role: Role = "defendant"
    location: str = ""


@dataclass(frozen=True, slots=True)
class CompanyName:
    """One typed name of a registry company."""

    text: str
    kind: NameKind


@dataclass(frozen=True, slots=True)
class Company:
    """A registered Huizhou exporter (a row of data/exporters.csv)."""

    id: str
    name_zh: str
    name_en: str
    names: tuple[CompanyName, ...]
    district: str = ""
    industry: str = ""
    products: str = ""
    parent_group: str = ""
    contact_email: str = ""
    address: str = ""  # registered address (注册地址): the company's own place when not in its name


@dataclass(frozen=True)
class Evidence:
    """What one feature found: a score contribution and a sentence an analyst can read."""

    score: float
    detail: str


NO_EVIDENCE = Evidence(0.0, "")


@dataclass(frozen=True)
class MatchResult:
    """The matcher's verdict on one party: level, best company, score and the evidence."""

    party: Party
    level: Level
    score: float
    company_id: str = ""
    group: str = ""  # parent group name for group-level matches (e.g. "TCL")
    matched_name: str = ""
    matched_kind: str = ""
    explanations: dict[str, Evidence] = field(default_factory=dict)
    runner_up: str = ""
    # Matched only through English derived from the Chinese legal name: never sent unconfirmed.
    derived: bool = False
    tied: tuple[str, ...] = ()  # other company ids that scored exactly as high
