"""Every rule × the calendar cases, each due date counted by hand from the rule text.

FRCP 6(a)(1): exclude the trigger day (day 0), count every day, and if the last day is a
Saturday, Sunday or legal holiday run on to the next day that is none of these.
19 CFR 201.14(a): the period begins with the first business day after the act (day 1); the last
day rolls forward likewise; under 7 days, intermediate weekends and federal holidays are skipped.
UPC RoP 300: a period in months ends on the same day number (else on the month's last day);
RoP 301.1: a Saturday, Sunday or official holiday of the Member State where the division sits
rolls it to the next working day.
"""

from __future__ import annotations

from datetime import date

import pytest

from alerts import counting
from alerts.deadlines import RULES, deadline_for

D = date
RULE = {r.key: r for r in RULES}

# (rule, case, court, trigger, expected unadjusted last day, expected due, a phrase of the why)
ROWS = [
    # --- usdc_answer: 21 days (FRCP 12(a)(1)(A)(i)) counted under FRCP 6(a)(1) ---
    ("usdc_answer", "plain day", "", D(2024, 3, 5), D(2024, 3, 26), D(2024, 3, 26),
     "无需顺延"),  # 6 Mar = day 1 … 26 Mar (Tue) = day 21
    ("usdc_answer", "Saturday", "", D(2024, 3, 9), D(2024, 3, 30), D(2024, 4, 1),
     "2024-03-30 是星期六"),  # 10 Mar = 1 … 30 Mar (Sat) = 21 → Sun 31 → Mon 1 Apr
    ("usdc_answer", "Sunday", "", D(2024, 3, 10), D(2024, 3, 31), D(2024, 4, 1),
     "2024-03-31 是星期日"),  # 11 Mar = 1 … 31 Mar (Sun) = 21 → Mon 1 Apr
    ("usdc_answer", "federal holiday", "", D(2024, 11, 7), D(2024, 11, 28), D(2024, 11, 29),
     "2024-11-28 是感恩节（美国联邦法定假日），顺延至 2024-11-29"),  # 8 Nov = 1 … 28 Nov = 21
    ("usdc_answer", "federal holiday and weekend", "", D(2025, 6, 13), D(2025, 7, 4),
     D(2025, 7, 7), "2025-07-04 是独立日（美国联邦法定假日）"),  # 14 Jun = 1 … 4 Jul (Fri) = 21
    ("usdc_answer", "observed holiday", "", D(2022, 5, 30), D(2022, 6, 20), D(2022, 6, 21),
     "六月节（Juneteenth）（美国联邦法定假日的补休日）"),  # 31 May = 1 … 20 Jun (Mon) = 21
    ("usdc_answer", "executive-order closure: possible extension only", "", D(2024, 12, 3),
     D(2024, 12, 24), D(2024, 12, 24), "无需顺延"),  # 4 Dec = 1 … Tue 24 Dec (EO closure) = 21
    ("usdc_answer", "state holiday: possible extension only", "txwd", D(2024, 8, 6),
     D(2024, 8, 27), D(2024, 8, 27), "无需顺延"),  # 7 Aug = 1 … Tue 27 Aug (LBJ Day, TX) = 21
    ("usdc_answer", "month end", "", D(2024, 1, 31), D(2024, 2, 21), D(2024, 2, 21),
     "无需顺延"),  # 1 Feb = 1 … 21 Feb (Wed) = 21
    ("usdc_answer", "leap year", "", D(2024, 2, 20), D(2024, 3, 12), D(2024, 3, 12),
     "无需顺延"),  # 21–29 Feb = 9 days, 1–12 Mar = 12 → 21 on Tue 12 Mar
    ("usdc_answer", "common year", "", D(2023, 2, 20), D(2023, 3, 13), D(2023, 3, 13),
     "无需顺延"),  # 21–28 Feb = 8 days, 1–13 Mar = 13 → 21 on Mon 13 Mar
    # --- usdc_answer_waiver: 60 days; usdc_answer_waiver_abroad: 90 days ---
    ("usdc_answer_waiver", "plain day", "", D(2024, 1, 5), D(2024, 3, 5), D(2024, 3, 5),
     "无需顺延"),  # 6–31 Jan = 26, Feb = 29 (55), 1–5 Mar = 5 → 60 on Tue 5 Mar
    ("usdc_answer_waiver", "federal holiday", "", D(2024, 5, 5), D(2024, 7, 4), D(2024, 7, 5),
     "独立日"),  # 6–31 May = 26, Jun = 30 (56), 1–4 Jul = 4 → 60 on Thu 4 Jul → Fri 5 Jul
    ("usdc_answer_waiver_abroad", "plain day", "", D(2024, 1, 5), D(2024, 4, 4), D(2024, 4, 4),
     "无需顺延"),  # 26 + 29 + 31 = 86 to 31 Mar, 1–4 Apr = 4 → 90 on Thu 4 Apr
    ("usdc_answer_waiver_abroad", "Sunday", "", D(2024, 9, 23), D(2024, 12, 22),
     D(2024, 12, 23), "星期日"),  # 24–30 Sep = 7, Oct 31 (38), Nov 30 (68), 1–22 Dec = 90
    ("usdc_answer_waiver_abroad", "executive-order closure: possible extension only", "",
     D(2024, 9, 25), D(2024, 12, 24), D(2024, 12, 24),
     "无需顺延"),  # 26–30 Sep = 5, Oct 31 (36), Nov 30 (66), 1–24 Dec = 90 (Tue, EO closure)
    ("usdc_answer_waiver", "Saturday", "", D(2024, 1, 2), D(2024, 3, 2), D(2024, 3, 4),
     "星期六"),  # 3–31 Jan = 29, Feb = 29 (58), 1–2 Mar → 60 on Sat 2 Mar → Mon 4 Mar
    ("usdc_answer_waiver", "Sunday", "", D(2024, 1, 3), D(2024, 3, 3), D(2024, 3, 4),
     "星期日"),  # 4–31 Jan = 28, Feb = 29 (57), 1–3 Mar → 60 on Sun 3 Mar → Mon 4 Mar
    ("usdc_answer_waiver", "observed holiday", "", D(2022, 4, 21), D(2022, 6, 20),
     D(2022, 6, 21), "补休日"),  # 22–30 Apr = 9, May 31 (40), 1–20 Jun → 60 on Mon 20 Jun
    ("usdc_answer_waiver", "executive-order closure: possible extension only", "",
     D(2024, 10, 25), D(2024, 12, 24), D(2024, 12, 24),
     "无需顺延"),  # 26–31 Oct = 6, Nov 30 (36), 1–24 Dec → 60 on Tue 24 Dec (EO closure)
    ("usdc_answer_waiver", "state holiday: possible extension only", "txwd", D(2024, 6, 28),
     D(2024, 8, 27), D(2024, 8, 27), "无需顺延"),  # 29–30 Jun = 2, Jul 31 (33), 1–27 Aug → 60
    ("usdc_answer_waiver", "leap year", "", D(2024, 1, 15), D(2024, 3, 15), D(2024, 3, 15),
     "无需顺延"),  # 16–31 Jan = 16, Feb = 29 (45), 1–15 Mar → 60 on Fri 15 Mar
    ("usdc_answer_waiver", "common year", "", D(2023, 1, 15), D(2023, 3, 16), D(2023, 3, 16),
     "无需顺延"),  # 16–31 Jan = 16, Feb = 28 (44), 1–16 Mar → 60 on Thu 16 Mar
    ("usdc_answer_waiver_abroad", "federal holiday", "", D(2024, 8, 30), D(2024, 11, 28),
     D(2024, 11, 29), "感恩节"),  # 31 Aug = 1, Sep 30 (31), Oct 31 (62), 1–28 Nov → 90
    ("usdc_answer_waiver_abroad", "Saturday", "", D(2024, 9, 22), D(2024, 12, 21),
     D(2024, 12, 23), "星期六"),  # 23–30 Sep = 8, Oct 31 (39), Nov 30 (69), 1–21 Dec → 90
    ("usdc_answer_waiver_abroad", "observed holiday", "", D(2022, 3, 22), D(2022, 6, 20),
     D(2022, 6, 21), "补休日"),  # 23–31 Mar = 9, Apr 30 (39), May 31 (70), 1–20 Jun → 90
    ("usdc_answer_waiver_abroad", "leap year, month end", "", D(2023, 12, 1), D(2024, 2, 29),
     D(2024, 2, 29), "无需顺延"),  # 2–31 Dec = 30, Jan 31 (61), 1–29 Feb → 90 on Thu 29 Feb
    # --- usdc_tro_expiry: 14 days after the order (FRCP 65(b)(2)) ---
    ("usdc_tro_expiry", "plain day", "", D(2024, 3, 5), D(2024, 3, 19), D(2024, 3, 19),
     "无需顺延"),  # 6 Mar = 1 … 19 Mar (Tue) = 14
    ("usdc_tro_expiry", "Saturday", "", D(2024, 3, 2), D(2024, 3, 16), D(2024, 3, 18),
     "星期六"),  # 3 Mar = 1 … 16 Mar (Sat) = 14 → Mon 18 Mar
    ("usdc_tro_expiry", "federal holiday", "", D(2024, 5, 13), D(2024, 5, 27), D(2024, 5, 28),
     "阵亡将士纪念日"),  # 14 May = 1 … 27 May (Memorial Day) = 14 → Tue 28 May
    ("usdc_tro_expiry", "executive-order closure: possible extension only", "", D(2018, 11, 21),
     D(2018, 12, 5), D(2018, 12, 5), "无需顺延"),  # 22 Nov = 1 … Wed 5 Dec (mourning day) = 14
    ("usdc_tro_expiry", "observed holiday", "", D(2021, 6, 4), D(2021, 6, 18), D(2021, 6, 21),
     "补休日"),  # 5 Jun = 1 … 18 Jun (Fri, Juneteenth observed) = 14 → Sat, Sun → Mon 21 Jun
    ("usdc_tro_expiry", "Sunday", "", D(2024, 3, 3), D(2024, 3, 17), D(2024, 3, 18),
     "星期日"),  # 4 Mar = 1 … Sun 17 Mar = 14 → Mon 18 Mar
    ("usdc_tro_expiry", "state holiday: possible extension only", "txwd", D(2024, 8, 13),
     D(2024, 8, 27), D(2024, 8, 27), "无需顺延"),  # 14 Aug = 1 … Tue 27 Aug (LBJ Day, TX) = 14
    ("usdc_tro_expiry", "leap year, month end", "", D(2024, 2, 20), D(2024, 3, 5), D(2024, 3, 5),
     "无需顺延"),  # 21–29 Feb = 9, 1–5 Mar → 14 on Tue 5 Mar
    # --- itc_response: 20 days (19 CFR 210.13(a)) counted under 19 CFR 201.14(a) ---
    ("itc_response", "plain day", "", D(2024, 3, 5), D(2024, 3, 25), D(2024, 3, 25),
     "无需顺延"),  # act Tue 5 Mar; Wed 6 Mar = day 1 … Mon 25 Mar = day 20
    ("itc_response", "trigger on a Friday", "", D(2024, 6, 14), D(2024, 7, 6), D(2024, 7, 8),
     "第一个工作日 2024-06-17"),  # Mon 17 Jun = 1 … 30 Jun = 14, 6 Jul (Sat) = 20 → Mon 8 Jul
    ("itc_response", "trigger before a holiday", "", D(2024, 7, 3), D(2024, 7, 24),
     D(2024, 7, 24), "第一个工作日 2024-07-05"),  # 4 Jul closed; Fri 5 Jul = 1 … Wed 24 Jul = 20
    ("itc_response", "federal holiday", "", D(2024, 12, 5), D(2024, 12, 25), D(2024, 12, 26),
     "圣诞节"),  # act Thu 5 Dec; Fri 6 Dec = 1 … Wed 25 Dec = 20 → Thu 26 Dec
    ("itc_response", "executive-order closure", "", D(2024, 12, 4), D(2024, 12, 24),
     D(2024, 12, 26), "平安夜"),  # Thu 5 Dec = 1 … Tue 24 Dec = 20; 24 and 25 closed
    ("itc_response", "observed holiday", "", D(2022, 5, 31), D(2022, 6, 20), D(2022, 6, 21),
     "补休日"),  # act Tue 31 May; Wed 1 Jun = 1 … Mon 20 Jun (Juneteenth observed) = 20
    ("itc_response", "month end and Sunday", "", D(2024, 3, 28), D(2024, 4, 17), D(2024, 4, 17),
     "无需顺延"),  # act Thu 28 Mar; Fri 29 Mar = 1, 31 Mar = 3, 17 Apr (Wed) = 20
    ("itc_response", "leap year", "", D(2024, 2, 8), D(2024, 2, 28), D(2024, 2, 28),
     "无需顺延"),  # act Thu 8 Feb; Fri 9 Feb = 1 … Wed 28 Feb = 20 (19 Feb holiday counts)
    ("itc_response", "Sunday", "", D(2024, 3, 4), D(2024, 3, 24), D(2024, 3, 25),
     "星期日"),  # act Mon 4 Mar; Tue 5 Mar = 1 … Sun 24 Mar = 20 → Mon 25 Mar
    # --- itc_response_tr: 10 days when temporary relief is sought ---
    ("itc_response_tr", "Inauguration Day, a holiday where the Commission sits", "",
     D(2021, 1, 8), D(2021, 1, 20), D(2021, 1, 21),
     "总统就职日（华盛顿特区联邦机关的法定假日"),  # Fri 8 → Mon 11 Jan = 1 … Wed 20 = 10 → Thu 21
    ("itc_response_tr", "trigger on a Friday", "", D(2024, 6, 14), D(2024, 6, 26),
     D(2024, 6, 26), "无需顺延"),  # Mon 17 Jun = 1 … Wed 26 Jun = 10 (Juneteenth counts: ≥ 7)
    ("itc_response_tr", "trigger before a holiday, Sunday", "", D(2024, 7, 3), D(2024, 7, 14),
     D(2024, 7, 15), "星期日"),  # Fri 5 Jul = 1 … Sun 14 Jul = 10 → Mon 15 Jul
    ("itc_response_tr", "leap year", "", D(2024, 2, 22), D(2024, 3, 3), D(2024, 3, 4),
     "2024-03-03 是星期日"),  # act Thu 22 Feb; Fri 23 Feb = 1, 29 Feb = 7, Sun 3 Mar = 10
    ("itc_response_tr", "federal holiday", "", D(2024, 11, 18), D(2024, 11, 28),
     D(2024, 11, 29), "感恩节"),  # act Mon 18 Nov; Tue 19 = 1 … Thu 28 Nov = 10 → Fri 29
    ("itc_response_tr", "executive-order closures", "", D(2025, 12, 12), D(2025, 12, 24),
     D(2025, 12, 29), "圣诞节次日"),  # Mon 15 Dec = 1 … Wed 24 = 10; 24, 25, 26 closed, 27–28
    ("itc_response_tr", "observed holiday", "", D(2021, 6, 8), D(2021, 6, 18), D(2021, 6, 21),
     "补休日"),  # act Tue 8 Jun; Wed 9 = 1 … Fri 18 Jun (Juneteenth observed) = 10 → Mon 21
    # --- upc_preliminary_objection: 1 month (RoP 19) under RoP 300 ---
    ("upc_preliminary_objection", "plain day", "", D(2024, 3, 12), D(2024, 4, 12),
     D(2024, 4, 12), "无需顺延"),  # 12 Mar + 1 month = Fri 12 Apr
    ("upc_preliminary_objection", "month end, Sunday", "", D(2024, 5, 31), D(2024, 6, 30),
     D(2024, 7, 1), "该月无 31 日"),  # June has no 31st → Sun 30 Jun → Mon 1 Jul
    ("upc_preliminary_objection", "leap year", "", D(2024, 1, 31), D(2024, 2, 29),
     D(2024, 2, 29), "该月无 31 日"),  # February 2024 ends on Thu 29th
    ("upc_preliminary_objection", "common year", "", D(2023, 1, 31), D(2023, 2, 28),
     D(2023, 2, 28), "该月无 31 日"),  # February 2023 ends on Tue 28th
    ("upc_preliminary_objection", "Saturday", "", D(2024, 7, 31), D(2024, 8, 31), D(2024, 9, 2),
     "星期六"),  # Sat 31 Aug → Sun 1 Sep → Mon 2 Sep
    # Christmas is common to all; 26 Dec is a German (not a French) holiday: for a German
    # division it rolls too (RoP 301.1), for a French one it is a working day.
    ("upc_preliminary_objection", "common holiday, then the division state's", "DE",
     D(2024, 11, 25), D(2024, 12, 25), D(2024, 12, 27),
     "Second Day of Christmas（DE）"),  # Wed 25 Dec (all) → Thu 26 (DE) → Fri 27 Dec
    ("upc_preliminary_objection", "common holiday only", "FR", D(2024, 11, 25), D(2024, 12, 25),
     D(2024, 12, 26), "UPC全体成员国共同的法定假日"),  # Wed 25 Dec (all) → Thu 26 Dec
    ("upc_preliminary_objection", "Member State holiday", "DE", D(2024, 9, 3), D(2024, 10, 3),
     D(2024, 10, 4), "German Unity Day（DE）"),  # Thu 3 Oct, German Unity Day → Fri 4 Oct
    # --- upc_defence: 3 months (RoP 23) ---
    ("upc_defence", "Saturday", "", D(2024, 5, 31), D(2024, 8, 31), D(2024, 9, 2),
     "2024-08-31 是星期六"),  # 31 May + 3 months = Sat 31 Aug → Mon 2 Sep
    ("upc_defence", "Sunday", "", D(2024, 3, 30), D(2024, 6, 30), D(2024, 7, 1),
     "星期日"),  # 30 Mar + 3 months = Sun 30 Jun → Mon 1 Jul
    ("upc_defence", "Member State holiday", "DE", D(2024, 7, 3), D(2024, 10, 3),
     D(2024, 10, 4), "UPC分庭所在成员国的法定假日"),  # Thu 3 Oct, German Unity Day → Fri 4
    ("upc_defence", "leap year, month end", "", D(2023, 11, 30), D(2024, 2, 29), D(2024, 2, 29),
     "该月无 30 日"),  # February 2024 has no 30th → Thu 29 Feb
    ("upc_defence", "plain day", "", D(2024, 3, 12), D(2024, 6, 12), D(2024, 6, 12),
     "无需顺延"),  # 12 Mar + 3 months = Wed 12 Jun
    ("upc_defence", "holiday common to all Member States", "", D(2024, 10, 1), D(2025, 1, 1),
     D(2025, 1, 2), "元旦"),  # Wed 1 Jan 2025 (New Year's Day everywhere) → Thu 2 Jan
]  # fmt: skip


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r[0]}: {r[1]}")
def test_rule_counts_by_hand(row: tuple) -> None:  # type: ignore[type-arg]
    key, case, court, trigger, unadjusted, due, why = row
    court = f"Düsseldorf ({court}) Local Division" if court == "DE" else court
    deadline = deadline_for(RULE[key], trigger, "computed", "", court)
    assert (deadline.unadjusted, deadline.due) == (unadjusted, due)
    assert why in deadline.why_zh
    # A state's or a Member State's own holiday is shown beside the date, never applied.
    assert bool(deadline.possible_zh) == ("possible extension" in case)
    assert deadline.counting in (counting.FRCP, counting.ITC, counting.UPC)


def test_every_rule_has_rows() -> None:
    assert {r[0] for r in ROWS} == set(RULE)


def test_state_holidays_are_possible_extensions_never_the_due_date() -> None:
    # FRCP 6(a)(6)(C) counts days the state "declares" a holiday, but courts differ on which
    # state days count: the earlier date is told, the state day beside it.
    # N.D. Ill., served Mon 22 Jan 2024: 23 Jan = day 1 … Mon 12 Feb = day 21, Lincoln's
    # Birthday (Illinois) → due Mon 12 Feb, with the note.
    found = deadline_for(RULE["usdc_answer"], D(2024, 1, 22), "computed", "", "ilnd")
    assert (found.unadjusted, found.due) == (D(2024, 2, 12), D(2024, 2, 12))
    assert found.possible_zh == (
        "2024-02-12 是 Lincoln's Birthday（IL）（法院所在州的州假日）；FRCP 6(a)(6)(C) "
        "把法院所在州宣布的假日列为法定假日，但哪些州假日属于此类、法院当日是否闭庭，"
        "各法院做法不一，以法院公告为准，届时期限可能延至下一工作日，但此处仍按 2024-02-12 "
        "提示，请与律师确认",
    )
    # N.D. Cal., served Thu 7 Nov 2024: 8 Nov = day 1 … Thu 28 Nov = day 21 (Thanksgiving,
    # federal) → Fri 29 Nov, the Day After Thanksgiving in California: due then, with the note.
    found = deadline_for(RULE["usdc_answer"], D(2024, 11, 7), "computed", "", "cand")
    assert (found.unadjusted, found.due) == (D(2024, 11, 28), D(2024, 11, 29))
    assert found.possible_zh[0].startswith("2024-11-29 是 Day After Thanksgiving（CA）")
    # D. Minn.: Minnesota has no holiday on 29 Nov 2024: the same date, no note.
    minn = deadline_for(RULE["usdc_answer"], D(2024, 11, 7), "computed", "", "mnd")
    assert (minn.due, minn.possible_zh) == (D(2024, 11, 29), ())
    # An "unofficial" observance is not even noted: Groundhog Day, Fri 2 Feb 2024 in Illinois
    # (13 Jan = day 1, 31 Jan = day 19, Fri 2 Feb = day 21).
    ground = deadline_for(RULE["usdc_answer"], D(2024, 1, 12), "computed", "", "ilnd")
    assert (ground.due, ground.possible_zh) == (D(2024, 2, 2), ())


def test_executive_closure_is_a_possible_extension_for_frcp_but_closes_the_itc() -> None:
    # Tue 24 Dec 2024 (federal agencies closed by executive order). FRCP: 3 Dec + 21 = Tue 24
    # Dec, due that day with a note. ITC: Thu 5 Dec = day 1 … Tue 24 Dec = day 20 → the
    # Commission (an executive agency) is closed 24 and 25 Dec → Thu 26 Dec.
    frcp = deadline_for(RULE["usdc_answer"], D(2024, 12, 3), "computed", "", "")
    assert frcp.due == D(2024, 12, 24)
    assert frcp.possible_zh == (
        "2024-12-24 是平安夜 Christmas Eve（总统行政令宣布的联邦休假日）；"
        "总统以行政令让联邦行政机关休假的日子是否属“总统宣布的假日”（FRCP 6(a)(6)(B)）、"
        "法院当日是否闭庭，以法院公告为准，"
        "届时期限可能延至下一工作日，但此处仍按 2024-12-24 提示，请与律师确认",
    )
    assert deadline_for(RULE["itc_response"], D(2024, 12, 4), "computed", "", "").due == D(
        2024, 12, 26
    )


def test_upc_member_state_holiday_rolls_and_a_land_holiday_is_a_note() -> None:
    # RoP 301.1 names the holidays of the Member State where the division sits.
    # München LD, served Tue 3 Sep 2024: 1 month → Thu 3 Oct, German Unity Day → Fri 4 Oct.
    munich = deadline_for(
        RULE["upc_preliminary_objection"], D(2024, 9, 3), "computed", "", "München (DE) LD"
    )
    assert (munich.unadjusted, munich.due, munich.possible_zh) == (
        D(2024, 10, 3),
        D(2024, 10, 4),
        (),
    )
    assert "German Unity Day（DE）（UPC分庭所在成员国的法定假日）" in munich.why_zh
    # Paris LD, the same dates: 3 Oct is a French working day.
    paris = deadline_for(RULE["upc_preliminary_objection"], D(2024, 9, 3), "computed", "", "(FR)")
    assert (paris.due, paris.possible_zh) == (D(2024, 10, 3), ())
    # München LD, served Fri 1 Oct 2024: 1 month → Fri 1 Nov, All Saints' Day in Bavaria but
    # not in all of Germany: the date stays, the Land holiday is shown beside it.
    saints = deadline_for(
        RULE["upc_preliminary_objection"], D(2024, 10, 1), "computed", "", "München (DE) LD"
    )
    assert saints.due == D(2024, 11, 1)
    assert saints.possible_zh == (
        "2024-11-01 是 All Saints' Day（DE-BY）（UPC分庭所在地区的假日），并非该成员国全国的"
        "法定假日；分庭可能视为 RoP 301.1 所称的法定假日而顺延至下一工作日，"
        "但此处仍按 2024-11-01 提示，请与律师确认",
    )
    # Hamburg LD, the same dates: All Saints' Day is no holiday in Hamburg.
    hamburg = deadline_for(
        RULE["upc_preliminary_objection"], D(2024, 10, 1), "computed", "", "Hamburg (DE) LD"
    )
    assert (hamburg.due, hamburg.possible_zh) == (D(2024, 11, 1), ())


def test_half_day_closures_do_not_move_a_date() -> None:
    from alerts.calendars import us_federal

    # 24 Dec 2015 was a half-day closing (EO 13713); 24 Dec 2019 a full day (EO 13900).
    assert us_federal(D(2015, 12, 24)) is None
    assert us_federal(D(2019, 12, 24)) is not None
    # 3 Dec 2015 + 21 = Thu 24 Dec 2015, an open (if shortened) day: due that day.
    assert counting.frcp(D(2015, 12, 3), 21).due == D(2015, 12, 24)


def test_itc_period_under_seven_days_skips_weekends_and_holidays() -> None:
    # A 5-day period from Fri 14 Jun 2024: Mon 17 = 1, Tue 18 = 2, Wed 19 (Juneteenth) skipped,
    # Thu 20 = 3, Fri 21 = 4, Sat/Sun skipped, Mon 24 = 5.
    found = counting.itc(D(2024, 6, 14), 5)
    assert (found.unadjusted, found.due) == (D(2024, 6, 24), D(2024, 6, 24))
    assert "5 个工作日" in found.why_zh
    # A 3-day period from Wed 3 Jul 2024: Fri 5 = 1, Mon 8 = 2, Tue 9 = 3.
    assert counting.itc(D(2024, 7, 3), 3).due == D(2024, 7, 9)


def test_why_names_the_holiday_and_the_rule() -> None:
    found = counting.frcp(D(2024, 11, 7), 21)
    assert found.why_zh == (
        "自 2024-11-07 次日起算 21 日，末日为 2024-11-28；2024-11-28 是感恩节（美国联邦法定假日），"
        "顺延至 2024-11-29（星期五，FRCP 6(a)(1)(C)）"
    )
