"""CourtListener v4 RECAP search: URL, hits to events, and the request budget."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from expected import check_expected

from alerts.deadlines import CaseEvent, compute_deadlines
from alerts.events import classify
from core.courts import court_date
from core.vocabulary import UNDATED_ENTRIES
from crawlers.parsers import ParseError, stable_id
from crawlers.parsers.courtlistener import RequestBudget, caption_sides, parse_search, search_url

EXAMPLES = Path(__file__).parent / "examples" / "courtlistener"
RETRIEVED = "2025-06-01T08:00:00+00:00"


def test_search_url() -> None:
    url = search_url(
        "https://www.courtlistener.com/", courts=["txed", "txwd"], filed_after=date(2025, 5, 1)
    )
    assert url == (
        "https://www.courtlistener.com/api/rest/v4/search/?type=r&order_by=dateFiled+desc"
        "&nature_of_suit=820+OR+830+OR+835+OR+840&court=txed+txwd&filed_after=05%2F01%2F2025"
    )


def test_recap_hit_built_from_documented_fields() -> None:
    """Hit BUILT from recap_type_v4_api_keys (no RECAP example exists) with E.D. Tex. facts."""
    events, next_url = parse_search((EXAMPLES / "recap-search-built.json").read_bytes(), RETRIEVED)
    assert next_url.startswith("https://www.courtlistener.com/api/rest/v4/search/?cursor=")
    (event,) = events
    assert (event.court, event.docket_number, event.forum) == ("txed", "5:25-cv-00067", "usdc")
    assert event.published == "2025-05-30"  # dateFiled has no time: a bare date
    assert event.parties == (
        ("plaintiff", "Maxell Ltd", ""),
        ("defendant", "TCL Electronics Holdings Ltd", ""),
        ("other", "TTE Technology, Inc.", ""),
    )
    assert event.body.startswith("Nature of suit: 830 Patent.")
    assert event.event_types == ("Complaint",)
    check_expected(events, EXAMPLES / "recap-search-built.expected.json")


def test_real_envelope_without_recap_fields() -> None:
    """The real type=o envelope lacks docket_absolute_url and party[]: caption sides only."""
    payload = (EXAMPLES / "search_type_o_q_foo_response.v4.json").read_bytes()
    events, _ = parse_search(payload, RETRIEVED)
    assert events[0].parties == (("plaintiff", "Foo", ""), ("defendant", "Foo", ""))
    assert events[0].link == ""


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"<!doctype html><html>Sign in</html>", "got an HTML page"),
        (b'{"count": 1, "results": [', "not valid JSON"),
        (b'{"detail": "Request was throttled."}', "Request was throttled"),
        (b'{"results": [{"docket_id": 1, "caseName": "A v. B"}]}', r"results\[0\]\.docketNumber"),
    ],
)
def test_bad_payloads(payload: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_search(payload)


@pytest.mark.parametrize(
    ("caption", "sides"),
    [
        (
            "ARIGNA TECHNOLOGY LIMITED v. TCL Technology Group Corp. et al",
            ("ARIGNA TECHNOLOGY LIMITED", "TCL Technology Group Corp."),
        ),
        ("In re Foo", ("", "")),
    ],
)
def test_caption_sides(caption: str, sides: tuple[str, str]) -> None:
    assert caption_sides(caption) == sides


def test_budget_per_minute_and_per_day() -> None:
    budget = RequestBudget(per_minute=5, per_day=125)
    now = 1_000_000.0
    assert budget.allowed(now, []) == 5
    recent = [now - 50, now - 40, now - 30]
    assert budget.allowed(now, recent) == 2
    full_minute = [now - 59, now - 40, now - 30, now - 20, now - 10]
    assert budget.allowed(now, full_minute) == 0
    assert budget.wait_seconds(now, full_minute) == pytest.approx(1.0)
    # 125 requests spread over the last day: the day limit binds even though the minute is free.
    day = [now - 86300 + i * 600 for i in range(125)]
    assert budget.allowed(now, day) == 0
    assert budget.wait_seconds(now, day) == pytest.approx(100.0)
    assert budget.allowed(now + 101, day) == 1


def _with_entries(*entries: dict) -> bytes:  # type: ignore[type-arg]
    """The built E.D. Tex. hit (complaint filed Fri 30 May 2025) with more docket entries."""
    data = json.loads((EXAMPLES / "recap-search-built.json").read_bytes())
    first = data["results"][0]["recap_documents"][0]
    data["results"][0]["recap_documents"] += [{**first, **e} for e in entries]
    return json.dumps(data).encode()


def _deadlines(payload: bytes) -> dict[str, tuple[date | None, str]]:
    events, _ = parse_search(payload, RETRIEVED)
    cevents = [
        CaseEvent(
            tuple(classify(list(e.event_types))),
            court_date(e.published, "America/Chicago"),
            undated=UNDATED_ENTRIES in e.body,
        )
        for e in events
    ]
    found = compute_deadlines("usdc", cevents, filed=date(2025, 5, 30), court="txed")
    return {d.key: (d.due, d.certainty) for d in found}


def test_each_docket_entry_keeps_its_own_filing_day() -> None:
    payload = _with_entries(
        {"id": 2, "entry_number": 5, "entry_date_filed": "2025-06-20",
         "short_description": "Order on Motion for Temporary Restraining Order"},
        {"id": 3, "entry_number": 9, "entry_date_filed": "2025-07-14",
         "short_description": "Summons Returned Executed"},
    )  # fmt: skip
    events, _ = parse_search(payload, RETRIEVED)
    assert [(e.published, e.event_types) for e in events] == [
        ("2025-05-30", ("Complaint",)),
        ("2025-06-20", ("Order on Motion for Temporary Restraining Order",)),
        ("2025-07-14", ("Summons Returned Executed",)),
    ]
    assert events[0].id == stable_id("courtlistener", "docket:1000001")  # ids kept for day 1
    assert _deadlines(payload) == {
        # TRO Fri 20 Jun: 21 Jun = day 1 … Fri 4 Jul (Independence Day) = day 14 → Mon 7 Jul.
        "usdc_tro_expiry": (date(2025, 7, 7), "computed"),
        # Proof filed Mon 14 Jul: 15 Jul = day 1 … 31 Jul = day 17, Mon 4 Aug = day 21.
        "usdc_answer": (date(2025, 8, 4), "latest"),  # proof on file: no waiver periods
    }


def test_entries_without_their_own_date_give_no_firm_deadline() -> None:
    # One entry with entry_date_filed null, one without the field at all.
    payload = json.loads(_with_entries(
        {"id": 2, "entry_number": 5, "entry_date_filed": None,
         "short_description": "Order on Motion for Temporary Restraining Order"},
        {"id": 3, "entry_number": 9, "short_description": "Summons Returned Executed"},
    ))  # fmt: skip
    del payload["results"][0]["recap_documents"][2]["entry_date_filed"]
    events, _ = parse_search(json.dumps(payload).encode(), RETRIEVED)
    assert [(e.published, UNDATED_ENTRIES in e.body) for e in events] == [
        ("2025-05-30", False),
        ("2025-05-30", True),  # dated by the filing day, and marked so
    ]
    # Both counted from the filing day Fri 30 May, as earliest dates only:
    # TRO 31 May = day 1 … Fri 13 Jun = day 14; answer 31 May = day 1 … Fri 20 Jun = day 21.
    found = _deadlines(json.dumps(payload).encode())
    assert found["usdc_tro_expiry"] == (date(2025, 6, 13), "earliest")
    assert found["usdc_answer"] == (date(2025, 6, 20), "earliest")
