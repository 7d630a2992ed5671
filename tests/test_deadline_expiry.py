"""已届满 is judged at an instant against midnight after the due day in the court's own zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlite_utils import Database
from test_case_stage import _insert_case

from alerts.due import EARLIEST_PASSED_ZH
from alerts.facts import load_case
from alerts.render import render

D = date
BJ = ZoneInfo("Asia/Shanghai")
CASE = "usdc:cacd:1:24-cv-00002"


def _served_cacd(db: Database) -> None:
    # Complaint Fri 1 Mar 2024; proof of service filed Tue 12 Mar, 10:00 PDT in Los Angeles.
    _insert_case(db, CASE, "cacd", "A v. Huizhou Baz Co.", [
        {"title": "Complaint", "published": "2024-03-01T18:00:00+00:00"},
        {"title": "Summons Returned Executed", "published": "2024-03-12T17:00:00+00:00"},
    ])  # fmt: skip


def test_c_d_cal_deadline_is_open_until_midnight_in_los_angeles(db: Database) -> None:
    # Proof of service filed Tue 12 Mar 2024, 10:00 in Los Angeles: 13 Mar = day 1, 31 Mar =
    # day 19, 1 Apr = day 20, Tue 2 Apr = day 21 (a working day; Cesar Chavez Day observed,
    # 1 Apr, is not the last day). The answer is due on or before Tue 2 Apr 2024 (PDT, UTC-7).
    _served_cacd(db)
    # Beijing Wed 3 Apr 14:59 = Los Angeles Tue 2 Apr 23:59: the due day has a minute left.
    case = load_case(db, CASE, today=datetime(2024, 4, 3, 14, 59, tzinfo=BJ))
    answer = next(d for d in case.deadlines if d.key == "usdc_answer")
    assert (answer.due, answer.certainty, answer.zone) == (
        D(2024, 4, 2),
        "latest",
        "America/Los_Angeles",
    )
    assert answer in case.open_deadlines and case.expired_deadlines == []
    assert "[已届满]" not in render("_deadlines.txt", case=case)
    # Beijing 15:00 = Los Angeles Wed 3 Apr 00:00: the period has run out.
    case = load_case(db, CASE, today=datetime(2024, 4, 3, 15, 0, tzinfo=BJ))
    assert [(d.key, d.due) for d in case.expired_deadlines] == [("usdc_answer", D(2024, 4, 2))]
    text = render("_deadlines.txt", case=case)
    assert "  - [已届满] 提交答辩状（Answer）：2024-04-02（不晚于）" in text
    assert "已届满的期限（截至北京时间 2024-04-03 15:00，按法院当地日期的24时判断" in text


def test_a_notice_dated_the_next_beijing_day_shows_the_deadline_open(db: Database) -> None:
    # A notice issued on Beijing 3 Apr is judged from 00:00 Beijing = 2 Apr 09:00 in LA.
    _served_cacd(db)
    case = load_case(db, CASE, today=D(2024, 4, 3))
    assert case.expired_deadlines == []


def test_an_earliest_date_that_passed_is_never_called_expired(db: Database) -> None:
    # Complaint only (service unknown), filed Tue 2 Jan 2024 in Texas (10:00 CST): 3 Jan =
    # day 1 … Tue 23 Jan = day 21, the earliest the answer could be due.
    _insert_case(db, "usdc:txwd:1:24-cv-00003", "txwd", "A v. B", [
        {"title": "Complaint", "published": "2024-01-02T16:00:00+00:00"},
    ])  # fmt: skip
    case = load_case(db, "usdc:txwd:1:24-cv-00003", today=D(2024, 3, 1))
    answer = next(d for d in case.deadlines if d.key == "usdc_answer")
    assert (answer.due, answer.certainty) == (D(2024, 1, 23), "earliest")
    assert case.expired_deadlines == [] and case.earliest_passed == [answer]
    assert answer.passed_zh(case.now) == EARLIEST_PASSED_ZH
    text = render("_deadlines.txt", case=case)
    assert "已届满" not in text.replace("是否已届满", "")
    assert (
        "  - 提交答辩状（Answer）：2024-01-23（星期二）（最早可能届满日）\n"
        "    注意：最早可能日期已过（送达日期未知），实际期限可能尚未届满，请立即核实送达日期"
        "（截至北京时间 2024-03-01 00:00）"
    ) in text
    assert "最早可能日期已过（送达日期未知）" in render("_deadlines.html", case=case)
