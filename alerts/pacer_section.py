"""The digest's PACER lines: month-to-date spend and the cases skipped for budget."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from core import ledger
from core.config import Config
from core.party_lists import status_counts
from core.store import rows


@dataclass(frozen=True)
class PacerSection:
    """What the digest says about paid party lists this month."""

    enabled: bool  # an account and a budget are configured
    budget_usd: float
    spend: ledger.Spend
    refused: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    waiting: int = 0  # cases whose party list is still wanted

    @property
    def shown(self) -> bool:
        """The digest shows the section once PACER is configured or anything happened."""
        return bool(
            self.enabled or self.spend.bought or self.refused or self.errors or self.waiting
        )


def pacer_section(db: Database, cfg: Config, now: datetime) -> PacerSection:
    """Spend, refusals and errors of the month, and how many party lists still wait."""
    month = ledger.month_of(now)
    sql = """select p.at, p.court, p.docket_number, p.reason, p.outcome, l.caption
             from pacer_purchases p left join party_lists l on l.case_id = p.case_id
             where p.month = ? and p.outcome = ? order by p.at, p.id"""
    # A wrong password fails every run until someone fixes it: one line per distinct error.
    errors = """select reason, count(*) as times, max(at) as last, max(court) as court,
                max(docket_number) as docket_number from pacer_purchases
                where month = ? and outcome = 'error' group by reason order by last desc"""
    return PacerSection(
        enabled=cfg.pacer.can_buy,
        budget_usd=cfg.pacer.monthly_budget_usd,
        spend=ledger.spend(db, now),
        refused=list(rows(db, sql, (month, "refused"))),
        errors=list(rows(db, errors, (month,))),
        waiting=status_counts(db).get("wanted", 0),
    )
