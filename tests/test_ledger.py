"""The PACER budget rules: $3.00 must be left in the month; the $30 quarterly fee waiver holds."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlite_utils import Database

from core import ledger

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)  # 2026-Q4


def _bought(db: Database, when: datetime, cost: float | None, pages: int | None = 3) -> None:
    ledger.record(db, when, court="txwd", case_id=f"c{when.isoformat()}{cost}",
                  docket_number="6:22-cv-01247", outcome="bought", pages=pages, cost=cost,
                  reason="parties-only docket report")  # fmt: skip


def test_month_and_quarter_spend(db: Database) -> None:
    _bought(db, datetime(2026, 10, 5, tzinfo=UTC), 1.7)  # same quarter, earlier month
    _bought(db, NOW, 0.3)
    _bought(db, datetime(2026, 9, 30, tzinfo=UTC), 2.0)  # previous quarter
    s = ledger.spend(db, NOW)
    assert (s.month, s.quarter, s.month_usd, s.quarter_usd, s.bought) == (
        "2026-11",
        "2026-Q4",
        0.3,
        2.0,
        1,
    )


def test_no_purchase_with_less_than_three_dollars_left(db: Database) -> None:
    _bought(db, NOW, 7.5)
    s = ledger.spend(db, NOW)
    # $10.00 - $7.50 = $2.50 left, less than the $3.00 a report may cost.
    assert ledger.refusal(10.0, False, s).startswith(
        "本月预算余额 $2.50 不足一份案卷的最高费用 $3.00"
    )
    assert ledger.refusal(10.5, False, s) == ""  # $3.00 left: may buy
    assert ledger.refusal(0.0, False, s).startswith("未设置PACER月度预算")


def test_unreceipted_reports_count_at_the_cap(db: Database) -> None:
    _bought(db, NOW, None, pages=None)  # fetched, but the page carried no receipt
    s = ledger.spend(db, NOW)
    assert (s.month_usd, s.unreceipted, s.month_committed) == (0.0, 1, 3.0)
    assert ledger.refusal(5.0, False, s).startswith("本月预算余额 $2.00")


def test_the_quarter_stays_inside_the_fee_waiver_unless_allowed(db: Database) -> None:
    _bought(db, datetime(2026, 10, 5, tzinfo=UTC), 27.5)
    s = ledger.spend(db, NOW)
    # $27.50 + up to $3.00 would pass $30: the whole quarter would become payable.
    assert "本季度费用将超过PACER免收门槛 $30" in ledger.refusal(100.0, False, s)
    assert ledger.refusal(100.0, True, s) == ""
