"""CourtListener v4 RECAP search: URL, hits to events, and the request budget."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from expected import check_expected

from crawlers.parsers import ParseError
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
