"""Deadline rules per forum, month ends, leap years, service status and event classification."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from alerts.deadlines import (
    ITC_BEFORE_INSTITUTION_ZH,
    UNATTRIBUTED_ZH,
    CaseEvent,
    Service,
    compute_deadlines,
    local_date,
    service_from_events,
)
from alerts.events import classify, institution_day

D = date
FR_EXPECTED = (
    Path(__file__).parent
    / "examples"
    / "fr_itc"
    / "FR-2016-04-15_itc_notices_extract.expected.json"
)

# (why, forum, events, service, key, expected due, expected certainty)
CASES = [
    ("ITC response 20 days after service", "itc", [(("institution",), D(2024, 3, 1))],
     # 19 CFR 201.14(a): Tue 5 Mar = day 1 … Sun 24 Mar = day 20 → Mon 25 Mar
     Service("served", D(2024, 3, 4)), "itc_response", D(2024, 3, 25), "computed"),
    ("ITC response 10 days when temporary relief is sought", "itc",
     [(("institution", "temporary_relief"), D(2024, 3, 1))], Service("served", D(2024, 3, 4)),
     "itc_response_tr", D(2024, 3, 14), "computed"),
    ("ITC unknown service, no institution day in the body: FR publication, maybe earlier", "itc",
     [(("receipt_of_complaint",), D(2024, 1, 20)), (("institution",), D(2024, 2, 20))], None,
     "itc_response", D(2024, 3, 11), "approximate"),
    ("US answer 21 days after service", "usdc", [(("complaint",), D(2023, 1, 2))],
     Service("served", D(2023, 1, 10)), "usdc_answer", D(2023, 1, 31), "computed"),
    ("US answer crosses a year end", "usdc", [(("complaint",), D(2022, 12, 1))],
     Service("served", D(2022, 12, 20)), "usdc_answer", D(2023, 1, 10), "computed"),
    ("US answer over 29 February in a leap year", "usdc", [(("complaint",), D(2024, 2, 1))],
     Service("served", D(2024, 2, 20)), "usdc_answer", D(2024, 3, 12), "computed"),
    ("US answer over February in a common year", "usdc", [(("complaint",), D(2023, 2, 1))],
     Service("served", D(2023, 2, 20)), "usdc_answer", D(2023, 3, 13), "computed"),
    ("US unknown service: earliest date from filing", "usdc", [(("complaint",), D(2024, 1, 31))],
     None, "usdc_answer", D(2024, 2, 21), "earliest"),
    ("US waiver request abroad: 90 days", "usdc", [(("complaint",), D(2024, 1, 1))],
     Service("waiver", D(2024, 1, 5)), "usdc_answer_waiver_abroad", D(2024, 4, 4), "latest"),
    ("TRO expires 14 days after entry", "usdc",
     # 26 Dec = day 1 … Sun 8 Jan = day 14 → Mon 9 Jan (FRCP 6(a)(1)(C))
     [(("complaint",), D(2022, 12, 1)), (("tro",), D(2022, 12, 25))], None, "usdc_tro_expiry",
     D(2023, 1, 9), "computed"),
    ("UPC objection 1 month: 31 January ends on 29 February (leap year)", "upc",
     [(("complaint",), D(2024, 1, 31))], Service("served", D(2024, 1, 31)),
     "upc_preliminary_objection", D(2024, 2, 29), "computed"),
    ("UPC objection 1 month: 31 January ends on 28 February (common year)", "upc",
     [(("complaint",), D(2023, 1, 31))], Service("served", D(2023, 1, 31)),
     "upc_preliminary_objection", D(2023, 2, 28), "computed"),
    ("UPC defence 3 months: 30 November ends on 29 February", "upc",
     [(("complaint",), D(2023, 11, 30))], Service("served", D(2023, 11, 30)), "upc_defence",
     D(2024, 2, 29), "computed"),
    # 31 August 2024 is a Saturday: RoP 301.1 rolls it to Monday 2 September
    ("UPC defence 3 months: 31 May ends on 31 August, a Saturday", "upc",
     [(("complaint",), D(2024, 5, 31))], Service("served", D(2024, 5, 31)), "upc_defence",
     D(2024, 9, 2), "computed"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0])
def test_deadline_rules(case: tuple) -> None:  # type: ignore[type-arg]
    why, forum, raw_events, service, key, due, certainty = case
    events = [CaseEvent(kinds, day) for kinds, day in raw_events]
    found = {d.key: d for d in compute_deadlines(forum, events, service)}
    assert key in found, f"{why}: {sorted(found)}"
    assert found[key].due == due
    assert found[key].certainty == certainty


def test_us_domestic_waiver_is_60_days() -> None:
    events = [CaseEvent(("complaint",), D(2024, 1, 1))]
    found = {d.key: d for d in compute_deadlines("usdc", events, Service("waiver", D(2024, 1, 5)),
                                                 abroad=False)}  # fmt: skip
    assert found["usdc_answer_waiver"].due == D(2024, 3, 5)
    assert "usdc_answer_waiver_abroad" not in found
    assert "usdc_answer" not in found, "a returned waiver replaces the 21-day period"


def test_unknown_service_says_so_and_names_the_rule() -> None:
    events = [CaseEvent(("complaint", "summons"), D(2022, 12, 6))]
    deadlines = compute_deadlines("usdc", events)
    assert [d.key for d in deadlines] == ["usdc_answer", "usdc_answer_waiver_abroad"]
    answer = deadlines[0]
    assert answer.due == D(2022, 12, 27)
    assert (
        answer.basis_zh == "送达情况不明；按最早可能的送达日 2022-12-06（立案或首次发现之日）计算"
    )
    assert answer.source == "FRCP 12(a)(1)(A)(i): 21 days after service"


def test_proof_of_service_gives_an_upper_bound_and_drops_waiver() -> None:
    events = [CaseEvent(("complaint",), D(2023, 3, 1)), CaseEvent(("service_executed",),
                                                                  D(2023, 3, 9))]  # fmt: skip
    deadlines = compute_deadlines("usdc", events)
    assert [(d.key, d.due, d.certainty) for d in deadlines] == [
        ("usdc_answer", D(2023, 3, 30), "latest")
    ]
    assert "期限不晚于此日" in deadlines[0].basis_zh


def test_answer_on_file_marks_answer_deadlines_done() -> None:
    events = [CaseEvent(("answer",), D(2022, 12, 6))]
    deadlines = compute_deadlines("usdc", events)
    assert {d.certainty for d in deadlines} == {"done"}
    assert deadlines[0].basis_zh.startswith("案卷已有答辩记录（2022-12-06）")


def test_no_tro_rule_without_tro_event_and_no_rules_for_news() -> None:
    events = [CaseEvent(("complaint",), D(2024, 1, 2))]
    assert "usdc_tro_expiry" not in {d.key for d in compute_deadlines("usdc", events)}
    assert compute_deadlines("news", events) == []


@pytest.mark.parametrize(
    ("iso", "expected"),
    [
        ("2022-12-05T23:52:42+00:00", D(2022, 12, 6)),  # evening in Texas is morning in Huizhou
        ("2022-12-05T15:59:59+00:00", D(2022, 12, 5)),
        ("2024-02-28T16:00:00Z", D(2024, 2, 29)),
        ("2022-12-05T10:00:00", D(2022, 12, 5)),  # naive timestamps count as UTC
    ],
)
def test_local_date_is_asia_shanghai(iso: str, expected: date) -> None:
    assert local_date(iso) == expected


@pytest.mark.parametrize(
    ("titles", "kinds"),
    [
        (["Answer to Complaint"], ["answer"]),
        (["Complaint", "Summons Issued"], ["complaint", "summons"]),
        # PACER RSS names a motion by its type alone; the ruling is "Order on Motion for …".
        (["Temporary Restraining Order"], ["tro_motion"]),
        (["Order on Motion for TRO"], ["tro"]),
        (["Default Judgment"], ["default_motion"]),
        (["Judgment - Default"], ["default_judgment"]),
        (["Order on Motion for Default Judgment"], ["default_judgment"]),
        (["Clerk to Enter Default"], ["default_motion"]),
        (["Extension of Time to File Answer"], ["answer_extension_motion"]),
        (["Order on Motion for Extension of Time to Answer"], ["answer_extension"]),
        (["Extension of Time to File Response/Reply/Answer"], ["answer_extension_motion"]),
        (["Extension of Time to Complete Discovery"], []),
        (["Notice of Voluntary Dismissal"], ["dismissal"]),
        (["Dismiss for Failure to State a Claim"], ["motion_to_dismiss"]),
        (["Order on Motion for Preliminary Injunction"], ["preliminary_injunction"]),
        (["Clerks Entry of Default (CV-37) - optional html form"], ["default"]),
        (["Service of Summons and Complaint Returned Executed (21 days)"], ["service_executed"]),
        (["Waiver of Service Executed"], ["waiver_executed"]),
        (["Certain Smart Televisions; Institution of Investigation"], ["institution"]),
        (["Notice of Receipt of Complaint; Solicitation of Comments"], ["receipt_of_complaint"]),
        (["Status Conference"], []),
    ],
)
def test_classify_event_titles(titles: list[str], kinds: list[str]) -> None:
    assert classify(titles) == kinds


# (why, events as (kinds, published, instituted), key, due, certainty, text in basis)
ITC_CASES = [
    ("institution day stated: served at institution, before FR publication",
     # Tue 12 Apr = day 1 … Sun 1 May = day 20 → Mon 2 May (19 CFR 201.14(a))
     [(("institution",), D(2016, 4, 15), D(2016, 4, 11))], "itc_response", D(2016, 5, 2),
     "earliest", "委员会于 2016-04-11 立案"),
    ("temporary relief with institution day stated: 10 days",
     [(("institution", "temporary_relief"), D(2016, 4, 15), D(2016, 4, 11))], "itc_response_tr",
     D(2016, 4, 21), "earliest", "联邦公报 2016-04-15 刊登"),
    ("no institution day in the body: from publication, and says it may be earlier",
     # Published Fri 15 Apr: Mon 18 Apr = day 1 … Sat 7 May = day 20 → Mon 9 May
     [(("institution",), D(2016, 4, 15), None)], "itc_response", D(2016, 5, 9), "approximate",
     "实际期限可能更早"),
    ("receipt of complaint only: no date before institution",
     [(("receipt_of_complaint",), D(2016, 3, 1), None)], "itc_response", None, "pending",
     "尚未立案"),
]  # fmt: skip


@pytest.mark.parametrize("case", ITC_CASES, ids=lambda c: c[0])
def test_itc_start_day(case: tuple) -> None:  # type: ignore[type-arg]
    why, raw, key, due, certainty, text = case
    events = [CaseEvent(kinds, day, instituted) for kinds, day, instituted in raw]
    found = {d.key: d for d in compute_deadlines("itc", events)}
    assert key in found, f"{why}: {sorted(found)}"
    assert (found[key].due, found[key].certainty) == (due, certainty), why
    assert text in found[key].basis_zh, found[key].basis_zh
    if due is None:
        # 19 CFR 210.13(a): 20 days after SERVICE of the complaint and notice of investigation.
        assert (
            found[key].due_zh
            == ITC_BEFORE_INSTITUTION_ZH
            == (
                "337调查申请书及立案公告送达后20日（申请临时救济的为10日）（20 days after "
                "service of the complaint and notice of investigation, 19 CFR 210.13(a)）"
            )
        )


def test_institution_day_read_from_the_recorded_fr_notice() -> None:
    bodies = [item["body"] for item in json.loads(FR_EXPECTED.read_text(encoding="utf-8"))]
    # "The Commission instituted this investigation on January 27, 2015" wins over "Issued:".
    assert institution_day(bodies[0]) == D(2015, 1, 27)
    assert institution_day("By order of the Commission. Issued: April 11, 2016. Lisa R.") == D(
        2016, 4, 11
    )
    assert institution_day("no date here") is None


# (why, kinds of the party-specific event, co-defendants, certainty of the 21-day answer)
CO_DEFENDANT_CASES = [
    ("sole defendant's answer closes the deadline", ("answer",), False, "done"),
    ("answer with co-defendants: maybe another defendant's", ("answer",), True, "earliest"),
    ("waiver with co-defendants keeps the 21-day rule", ("waiver_executed",), True, "earliest"),
    ("proof of service with co-defendants", ("service_executed",), True, "earliest"),
]


@pytest.mark.parametrize("case", CO_DEFENDANT_CASES, ids=lambda c: c[0])
def test_co_defendant_events_do_not_close_our_deadlines(case: tuple) -> None:  # type: ignore[type-arg]
    why, kinds, co_defendants, certainty = case
    events = [CaseEvent(("complaint",), D(2022, 12, 6)), CaseEvent(kinds, D(2022, 12, 6))]
    found = {d.key: d for d in compute_deadlines("usdc", events, co_defendants=co_defendants)}
    assert found["usdc_answer"].certainty == certainty, why
    assert found["usdc_answer"].due == D(2022, 12, 27)
    assert (UNATTRIBUTED_ZH in found["usdc_answer"].basis_zh) == co_defendants
    if co_defendants:
        service = service_from_events(events, co_defendants=True)
        assert service.status == "unknown" and UNATTRIBUTED_ZH in service.note
