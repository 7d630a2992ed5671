"""Staleness: when a quiet source means trouble, and when quiet is normal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawlers.health import in_session, is_stale

# Wednesday 2022-12-07 16:00 UTC = 10:00 in Chicago and 08:00 in Los Angeles.
WED_1600 = datetime(2022, 12, 7, 16, 0, tzinfo=UTC)


def row(kind: str, source: str, **values: object) -> dict[str, object]:
    return {"id": source, "kind": kind, "status": "ok", "consecutive_failures": 0, **values}


@pytest.mark.parametrize(
    ("health", "now", "stale"),
    [
        (row("pacer_rss", "pacer_txwd", last_changed="2022-12-07T12:30:00+00:00"), WED_1600, True),
        (row("pacer_rss", "pacer_txwd", last_changed="2022-12-07T14:30:00+00:00"), WED_1600, False),
        # 08:00 in Los Angeles: the court has not opened yet, a quiet night is normal.
        (row("pacer_rss", "pacer_cacd", last_changed="2022-12-07T01:00:00+00:00"), WED_1600, False),
        # Saturday: courts do not publish.
        (
            row("pacer_rss", "pacer_txwd", last_changed="2022-12-09T23:00:00+00:00"),
            datetime(2022, 12, 10, 18, 0, tzinfo=UTC),
            False,
        ),
        # Daily ITC source: a day without new notices is normal, two days without success is not.
        (row("fr_itc", "fr_itc", last_success="2022-12-06T16:00:00+00:00"), WED_1600, False),
        (row("fr_itc", "fr_itc", last_success="2022-12-05T10:00:00+00:00"), WED_1600, True),
        (row("feed", "news_juve_patent", last_success="2022-12-06T10:00:00+00:00"), WED_1600, True),
        (row("upc", "upc", consecutive_failures=3), WED_1600, True),
        (row("courtlistener", "courtlistener", status="disabled"), WED_1600, False),
    ],
    ids=[
        "pacer-quiet-in-session",
        "pacer-recent",
        "pacer-before-opening",
        "pacer-weekend",
        "fr-one-day",
        "fr-two-days",
        "feed-30h",
        "three-failures",
        "disabled",
    ],  # fmt: skip
)
def test_is_stale(health: dict[str, object], now: datetime, stale: bool) -> None:
    assert is_stale(health, 2.0, now) is stale


def test_in_session_uses_the_courts_time_zone() -> None:
    assert in_session("pacer_txwd", WED_1600)  # 10:00 Central
    assert not in_session("pacer_cand", WED_1600)  # 08:00 Pacific
    assert in_session("pacer_nysd", WED_1600)  # 11:00 Eastern (the default zone)
