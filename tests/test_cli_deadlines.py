"""`ipwatch deadlines` answers the examples of the rule texts exactly; the court table is whole."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest
from click.testing import CliRunner

from core.courts import US_DISTRICTS, court_zone, upc_state
from ipwatch.cli import cli

DISTRICTS = Path(__file__).parent / "examples" / "alerts" / "pacer_districts.csv"


def _json(*args: str) -> list[dict[str, str]]:
    out = CliRunner().invoke(cli, ["deadlines", *args, "--json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)["deadlines"]  # type: ignore[no-any-return]


def test_us_answer_after_service_on_7_november_2024() -> None:
    # 8 Nov = day 1 … Thu 28 Nov (Thanksgiving) = day 21 → Fri 29 Nov.
    [found] = _json("--forum", "usdc", "--trigger", "service", "--date", "2024-11-07")
    assert found == {
        "rule": "usdc_answer",
        "due": "2024-11-29",
        "unadjusted": "2024-11-28",
        "why": "自 2024-11-07 次日起算 21 日，末日为 2024-11-28；"
        "2024-11-28 是感恩节（美国联邦法定假日），顺延至 2024-11-29（星期五，FRCP 6(a)(1)(C)）",
        "source": "FRCP 6(a)(1)(C)",
    }


def test_us_answer_after_service_on_13_june_2025() -> None:
    # 14 Jun = day 1 … Fri 4 Jul (Independence Day) = day 21 → Sat, Sun → Mon 7 Jul.
    [found] = _json("--forum", "usdc", "--court", "txed", "--trigger", "service",
                    "--date", "2025-06-13")  # fmt: skip
    assert (found["rule"], found["due"], found["unadjusted"]) == (
        "usdc_answer",
        "2025-07-07",
        "2025-07-04",
    )


def test_upc_defence_after_service_on_31_may_2024() -> None:
    # 31 May + 1 month = 30 Jun (no 31st; a Sunday) → Mon 1 Jul; + 3 months = Sat 31 Aug → 2 Sep.
    found = _json("--forum", "upc", "--court", "DE", "--trigger", "service", "--date", "2024-05-31")
    assert [(d["rule"], d["due"], d["unadjusted"], d["source"]) for d in found] == [
        ("upc_preliminary_objection", "2024-07-01", "2024-06-30", "UPC RoP 300, 301.1"),
        ("upc_defence", "2024-09-02", "2024-08-31", "UPC RoP 300, 301.1"),
    ]


def test_itc_response_after_service_on_friday_14_june_2024() -> None:
    # First business day Mon 17 Jun = day 1 … Sat 6 Jul = day 20 → Mon 8 Jul (not 4 Jul).
    [found] = _json("--forum", "itc", "--trigger", "service", "--date", "2024-06-14")
    assert (found["rule"], found["due"], found["unadjusted"], found["source"]) == (
        "itc_response",
        "2024-07-08",
        "2024-07-06",
        "19 CFR 201.14(a)",
    )
    # With temporary relief: Mon 17 Jun = day 1 … Wed 26 Jun = day 10.
    [relief] = _json("--forum", "itc", "--trigger", "service", "--date", "2024-06-14",
                     "--temporary-relief")  # fmt: skip
    assert (relief["rule"], relief["due"]) == ("itc_response_tr", "2024-06-26")


def test_waiver_and_tro_rules() -> None:
    # 21 Sep = day 1 … Thu 19 Dec = day 90 (10 + 31 + 30 + 19).
    [abroad] = _json("--forum", "usdc", "--trigger", "waiver", "--date", "2024-09-20", "--abroad")
    assert (abroad["rule"], abroad["due"]) == ("usdc_answer_waiver_abroad", "2024-12-19")
    # 6 Jan = day 1 … Tue 5 Mar = day 60 (26 + 29 + 5).
    [home] = _json("--forum", "usdc", "--trigger", "waiver", "--date", "2024-01-05")
    assert (home["rule"], home["due"]) == ("usdc_answer_waiver", "2024-03-05")
    # 14 May = day 1 … Mon 27 May (Memorial Day) = day 14 → Tue 28 May.
    [tro] = _json("--forum", "usdc", "--trigger", "tro", "--date", "2024-05-13")
    assert (tro["rule"], tro["due"]) == ("usdc_tro_expiry", "2024-05-28")


def test_text_output_gives_the_earlier_date_and_the_state_holiday_beside_it() -> None:
    # W.D. Tex., served Thu 7 Nov 2024: 8 Nov = day 1 … Thu 28 Nov = day 21 (Thanksgiving)
    # → Fri 29 Nov, Friday After Thanksgiving in Texas: a possible extension, not applied.
    args = ["deadlines", "--forum", "usdc", "--court", "txwd", "--trigger", "service"]
    out = CliRunner().invoke(cli, [*args, "--date", "2024-11-07"])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[0] == "usdc_answer  2024-11-29（星期五）  提交答辩状（Answer）"
    assert "2024-11-29 是 Friday After Thanksgiving（TX）（法院所在州的州假日）" in out.stdout
    assert "可能延至下一工作日" in out.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--forum", "epo", "--trigger", "service", "--date", "2024-06-14"],
         "Error: --forum 'epo' is unknown: use one of usdc, itc, upc"),
        (["--forum", "usdc", "--trigger", "service", "--date", "2024-13-01"],
         "Error: --date '2024-13-01' is not a date in the form YYYY-MM-DD"),
        (["--forum", "usdc", "--trigger", "service", "--date", "14/06/2024"],
         "Error: --date '14/06/2024' is not a date in the form YYYY-MM-DD"),
        (["--forum", "usdc", "--court", "xxd", "--trigger", "service", "--date", "2024-06-14"],
         "Error: --court 'xxd' is not a US district court code (e.g. txwd)"),
        (["--forum", "itc", "--trigger", "tro", "--date", "2024-06-14"],
         "Error: no itc rule starts with --trigger tro"),
        (["--forum", "usdc", "--trigger", "notice", "--date", "2024-06-14"],
         "Error: --trigger 'notice' is unknown: use one of service, waiver, tro"),
    ],
)  # fmt: skip
def test_errors_are_one_line_and_exit_1(args: list[str], message: str) -> None:
    out = CliRunner().invoke(cli, ["deadlines", *args])
    assert out.exit_code == 1
    assert out.stderr.strip() == message and out.stdout == ""


@pytest.mark.parametrize("forum", ["usdc", "upc", "itc"])
def test_a_date_whose_deadline_falls_past_year_9999_is_a_clear_error(forum: str) -> None:
    # 9999-12-20 + 21 days (usdc), + 1 month (upc) or + 20 days (itc): all after 9999-12-31.
    args = ["deadlines", "--forum", forum, "--trigger", "service", "--date", "9999-12-20"]
    out = CliRunner().invoke(cli, args)
    assert out.exit_code == 1 and out.stdout == ""
    assert out.stderr.strip() == (
        "Error: --date 9999-12-20 起算的期限超出可计算的日期范围（9999-12-31 之后） / the deadline "
        "from --date 9999-12-20 falls after 9999-12-31, beyond the dates that can be counted"
    )


def test_every_district_court_has_a_zone_and_a_state() -> None:
    with DISTRICTS.open(encoding="utf-8") as fh:
        courts = {row["court"] for row in csv.DictReader(fh)}
    assert len(courts) == 94 and set(US_DISTRICTS) == courts
    for court, (zone, state) in US_DISTRICTS.items():
        ZoneInfo(zone)  # a real IANA zone
        assert state in holidays.US.subdivisions, court
    assert court_zone("usdc", "txed") == court_zone("usdc", "txwd") == "America/Chicago"
    assert court_zone("usdc", "cacd") == "America/Los_Angeles"
    assert court_zone("itc", "") == "America/New_York"
    assert court_zone("upc", "Düsseldorf (DE) Local Division") == "Europe/Berlin"
    assert court_zone("upc", "Helsinki (FI) Local Division") == "Europe/Helsinki"
    assert upc_state("Stockholm (SE) - Seat of the Regional Division") == "SE"
