"""The PACER ledger: what each docket report cost (from PACER's receipt), spend and refusals."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from core.store import rows

# PACER bills $0.10 a page and at most $3.00 for one docket report; it waives a quarter's fees
# only while they stay at $30 or less (past that, everything in the quarter is owed).
REPORT_CAP_USD = 3.0
WAIVER_USD = 30.0


@dataclass(frozen=True)
class Spend:
    """Month-to-date and quarter-to-date PACER spend, as the ledger records it."""

    month: str
    quarter: str
    month_usd: float  # receipts of the month
    quarter_usd: float
    unreceipted: int  # reports fetched whose receipt could not be read (counted at the cap)
    bought: int
    refused: int

    @property
    def month_committed(self) -> float:
        """Month spend with every unreceipted report counted at the $3.00 cap."""
        return round(self.month_usd + self.unreceipted * REPORT_CAP_USD, 2)


def month_of(now: datetime) -> str:
    """YYYY-MM of a moment."""
    return now.strftime("%Y-%m")


def quarter_of(now: datetime) -> str:
    """YYYY-Qn of a moment (PACER's billing quarters are calendar quarters)."""
    return f"{now.year}-Q{(now.month - 1) // 3 + 1}"


def spend(db: Database, now: datetime) -> Spend:
    """What the ledger says was spent this month and this quarter."""
    month, quarter = month_of(now), quarter_of(now)
    sql = """select coalesce(sum(case when month = ? then cost end), 0) as month_usd,
             coalesce(sum(cost), 0) as quarter_usd,
             sum(case when month = ? and outcome = 'bought' and cost is null then 1 else 0 end)
               as unreceipted,
             sum(case when month = ? and outcome = 'bought' then 1 else 0 end) as bought,
             sum(case when month = ? and outcome = 'refused' then 1 else 0 end) as refused
             from pacer_purchases where quarter = ?"""
    r = next(rows(db, sql, (month, month, month, month, quarter)))
    return Spend(
        month,
        quarter,
        round(float(r["month_usd"] or 0), 2),
        round(float(r["quarter_usd"] or 0), 2),
        int(r["unreceipted"] or 0),
        int(r["bought"] or 0),
        int(r["refused"] or 0),
    )


def refusal(budget_usd: float, allow_over_waiver: bool, s: Spend) -> str:
    """Why no report may be bought now ("" when one may): budget left or the fee waiver."""
    if budget_usd <= 0:
        return "未设置PACER月度预算 (pacer.monthly_budget_usd is 0: never buy)"
    left = round(budget_usd - s.month_committed, 2)
    if left < REPORT_CAP_USD:
        return (
            f"本月预算余额 ${left:.2f} 不足一份案卷的最高费用 ${REPORT_CAP_USD:.2f} "
            f"(budget ${budget_usd:.2f}, spent ${s.month_committed:.2f} in {s.month})"
        )
    quarter = round(s.quarter_usd + s.unreceipted * REPORT_CAP_USD, 2)
    if not allow_over_waiver and quarter + REPORT_CAP_USD > WAIVER_USD:
        return (
            f"本季度费用将超过PACER免收门槛 ${WAIVER_USD:.0f} "
            f"(quarter {s.quarter} at ${quarter:.2f}; set pacer.allow_over_waiver to buy anyway)"
        )
    return ""


def record(db: Database, now: datetime, **fields: Any) -> None:
    """Add one ledger row (purchase, refusal or error) stamped with its month and quarter."""
    receipt = fields.pop("receipt", None)
    row = {
        "at": now.replace(microsecond=0).isoformat(),
        "month": month_of(now),
        "quarter": quarter_of(now),
        "receipt": json.dumps(receipt, ensure_ascii=False, sort_keys=True) if receipt else "",
        **fields,
    }
    with db.atomic():
        db.table("pacer_purchases").insert(row)


def refused_this_month(db: Database, case_id: str, now: datetime) -> bool:
    """True when this case was already refused this month (one ledger line per case a month)."""
    sql = """select 1 from pacer_purchases where case_id = ? and month = ?
             and outcome = 'refused' limit 1"""
    return bool(list(rows(db, sql, (case_id, month_of(now)))))


def bought(db: Database, case_id: str) -> bool:
    """True when a report of this case was ever bought (a case is bought once)."""
    sql = "select 1 from pacer_purchases where case_id = ? and outcome = 'bought' limit 1"
    return bool(list(rows(db, sql, (case_id,))))


def entries(db: Database, month: str = "") -> list[dict[str, Any]]:
    """Ledger rows, newest first; only one month's when `month` (YYYY-MM) is given."""
    where, params = ("where month = ?", (month,)) if month else ("", ())
    sql = f"""select id, at, court, docket_number, case_id, outcome, pages, cost, reason
              from pacer_purchases {where} order by at desc, id desc"""
    return list(rows(db, sql, params))
