"""The party-list stage end to end: a real feed item, an imitation PACER, a real cycle.

The feed is the real W.D. Tex. item of 2022-12-06 "6:22-cv-01247 Gibson Brands, Inc. v.
Society6, LLC et al" (AO 120 form: a new trademark case whose caption hides defendants). PACER
serves tests/examples/pacer_dockets/txwd_1198170_edited.html for it: a recorded docket report
EDITED to name Huizhou Desay SV Automotive Co., Ltd. (HZ010) as a co-defendant (see README there).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from ops_support import write_config
from pacer_support import DOCKETS, PASSWORD, TOKEN, pacer_config, serve_pacer
from pytest_httpserver import HTTPServer

from core.config import load_config
from ipwatch.cycle import run_cycle

EDITED = "txwd_1198170_edited.html"


def _setup(tmp_path: Path, httpserver: HTTPServer, **pacer: object) -> tuple[Path, object]:
    fake = serve_pacer(httpserver, {"1198170": (DOCKETS / EDITED).read_text(encoding="utf-8")})
    httpserver.expect_request("/robots.txt").respond_with_data("", content_type="text/plain")
    httpserver.expect_request("/ecf.txwd.rss.xml").respond_with_data(
        (DOCKETS / "ecf.txwd.rss.xml").read_bytes(), content_type="text/xml"
    )
    base = f"http://127.0.0.1:{httpserver.port}"
    settings = pacer_config(base, **pacer)
    path = write_config(tmp_path, courts=("txwd",), base_url=base, pacer=settings)
    return path, fake


def _query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPWATCH_TEST_PACER_PASSWORD", PASSWORD)


def test_cycle_buys_once_and_warns_the_hidden_codefendant(
    tmp_path: Path, httpserver: HTTPServer, password: None
) -> None:
    path, fake = _setup(tmp_path, httpserver, budget=20.0)
    cfg = load_config(path)
    first = run_cycle(cfg, str(path))
    assert first.party_lists["queued"] == 1 and first.party_lists["bought"] == 1
    assert first.party_lists["spent_usd"] == 0.7

    # One login, one parties-only report, with the session cookie and nothing else fetched.
    assert [b["loginId"] for b in fake.logins] == ["hz-ipwatch"]
    assert len(fake.reports) == 1
    sent = fake.reports[0]
    tomorrow = (date.today() + timedelta(days=1)).strftime("%m/%d/%Y")
    assert sent["all_case_ids"] == "1198170" and sent["_cookie"] == TOKEN
    assert sent["list_of_parties_and_counsel"] == "on" and sent["terminated_parties"] == "on"
    assert (sent["date_from"], sent["date_to"]) == (tomorrow, tomorrow)  # no docket entries
    assert fake.other == []  # never doc1, never the feed's DktRpt link

    db = tmp_path / "ipwatch.db"
    # The ledger holds pages and dollars exactly as the page's receipt prints them (7, 0.70).
    ledger = _query(db, "select outcome, court, docket_number, pages, cost, receipt"
                        " from pacer_purchases")  # fmt: skip
    assert len(ledger) == 1
    outcome, court, docket, pages, cost, receipt = ledger[0]
    assert (outcome, court, docket, pages, cost) == ("bought", "txwd", "6:22-cv-01247", 7, 0.7)
    assert json.loads(receipt)["Billable Pages"] == "7"
    assert "PACER Login" not in json.loads(receipt)

    # The hidden co-defendant is a party of the case, with its docket role and stated details.
    party = _query(db, "select role, docket_role, details, location, source from parties"
                       " where name = 'Huizhou Desay SV Automotive Co., Ltd.'")  # fmt: skip
    assert party == [
        ("defendant", "Defendant", "a Chinese corporation Huizhou, Guangdong, China",
         "a Chinese corporation Huizhou, Guangdong, China", "pacer_docket")
    ]  # fmt: skip
    terminated = _query(db, "select terminated from parties where name = 'Time Warner Inc'"
                            " and role = 'defendant'")  # fmt: skip
    assert terminated == [("2008-03-26",)]
    match = _query(db, "select company_id, level, status, evidence from matches"
                       " where party = 'Huizhou Desay SV Automotive Co., Ltd.'")  # fmt: skip
    assert [(m[0], m[1], m[2]) for m in match] == [("HZ010", "entity", "auto")]
    assert "据PACER案卷当事人列表" in json.loads(match[0][3])["party_list"]["detail"]

    # Its notice says where the name came from, and the warning is queued once.
    notices = list((tmp_path / "out" / "notices").glob("*HZ010*6_22-cv-01247.txt"))
    assert len(notices) == 1
    text = notices[0].read_text(encoding="utf-8")
    assert "Huizhou Desay SV Automotive Co., Ltd." in text
    assert "据PACER案卷当事人列表" in text and "role on the docket: Defendant" in text
    assert first.warnings_queued == 1

    # A second cycle buys nothing: no login, no report, no ledger line.
    second = run_cycle(load_config(path), str(path))
    assert second.party_lists["bought"] == 0 and second.party_lists["queued"] == 0
    assert len(fake.logins) == 1 and len(fake.reports) == 1
    assert _query(db, "select count(*) from pacer_purchases") == [(1,)]
    assert second.warnings_queued == 0


def test_budget_of_two_dollars_refuses_and_the_digest_says_why(
    tmp_path: Path, httpserver: HTTPServer, password: None
) -> None:
    path, fake = _setup(tmp_path, httpserver, budget=2.0)
    summary = run_cycle(load_config(path), str(path))
    assert summary.party_lists["refused"] == 1 and summary.party_lists["bought"] == 0
    assert fake.logins == [] and fake.reports == []  # refused before any request
    db = tmp_path / "ipwatch.db"
    rows = _query(db, "select outcome, docket_number, cost, reason from pacer_purchases")
    assert len(rows) == 1
    outcome, docket, cost, reason = rows[0]
    assert (outcome, docket, cost) == ("refused", "6:22-cv-01247", 0.0)
    assert "本月预算余额 $2.00 不足一份案卷的最高费用 $3.00" in reason
    digest = Path(summary.digest_path).with_suffix(".txt").read_text(encoding="utf-8")
    assert "PACER 案卷当事人列表（付费）" in digest
    assert "已支出 $0.00" in digest and "月度预算 $2.00" in digest
    assert "因预算未购买：txwd 6:22-cv-01247 Gibson Brands, Inc. v. Society6, LLC et al" in digest
    assert "本月预算余额 $2.00 不足一份案卷的最高费用 $3.00" in digest
    assert _query(db, "select status from party_lists") == [("wanted",)]


@pytest.mark.parametrize(
    ("mfa", "expected"),
    [
        (False, "PACER login failed: Invalid username/password: Login Failed."),
        (True, "PACER asks for a one-time passcode (MFA)"),
    ],
)
def test_failed_login_spends_nothing(
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    mfa: bool,
    expected: str,
) -> None:
    path, fake = _setup(tmp_path, httpserver, budget=20.0)
    fake.mfa = mfa
    monkeypatch.setenv("IPWATCH_TEST_PACER_PASSWORD", "wrong-password")
    summary = run_cycle(load_config(path), str(path))
    assert expected in str(summary.party_lists["error"])
    assert len(fake.logins) == 1 and fake.reports == []  # no report was requested
    db = tmp_path / "ipwatch.db"
    assert _query(db, "select outcome, pages, cost from pacer_purchases") == [("error", 0, 0.0)]
    assert _query(db, "select status from party_lists") == [("wanted",)]  # tried again later
    digest = Path(summary.digest_path).with_suffix(".txt").read_text(encoding="utf-8")
    assert "已支出 $0.00" in digest and "购买失败（未计费，1次" in digest and expected in digest


def _health(db: Path, source_id: str) -> tuple:
    rows = _query(
        db, f"select status, consecutive_failures, last_error from sources where id = '{source_id}'"
    )  # noqa: S608
    return rows[0] if rows else ()


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("unreachable", "ConnectError from http://127.0.0.1:1/api/rest/v4/dockets/?court=txwd"),
        ("html", "not the dockets API's JSON (JSONDecodeError: Expecting value"),
    ],
)
def test_courtlistener_failure_keeps_the_case_queued_and_the_cycle_going(
    tmp_path: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    password: None,
    answer: str,
    expected: str,
) -> None:
    """CourtListener down or a gateway's HTML page: the case waits, notices and digest go on."""
    base = f"http://127.0.0.1:{httpserver.port}"
    cl = "http://127.0.0.1:1" if answer == "unreachable" else base
    httpserver.expect_request("/api/rest/v4/dockets/").respond_with_data(
        "<html><title>Bad gateway</title></html>", content_type="text/html"
    )
    path, fake = _setup(tmp_path, httpserver, budget=20.0, courtlistener_url=cl)
    monkeypatch.setenv("IPWATCH_COURTLISTENER_TOKEN", "cl-token")

    summary = run_cycle(load_config(path), str(path))  # before: the exception ended the cycle

    assert expected in str(summary.party_lists["error"])
    assert str(summary.party_lists["error"]).startswith(
        "CourtListener party lists: 1 look-up(s) failed; first: txwd 6:22-cv-01247: "
    )
    assert fake.logins == [] and fake.reports == []  # not bought while RECAP may hold it
    db = tmp_path / "ipwatch.db"
    [(status, error)] = _query(db, "select status, error from party_lists")
    assert status == "wanted" and expected in error  # tried again next cycle
    health = _health(db, "courtlistener_parties")
    assert health[:2] == ("failed", 1) and expected in health[2]
    assert summary.sources["pacer_txwd"].status == "ok"
    digest = Path(summary.digest_path).with_suffix(".txt").read_text(encoding="utf-8")
    assert "courtlistener_parties" in digest


def test_empty_pacer_docket_page_is_an_error_not_a_crash(
    tmp_path: Path, httpserver: HTTPServer, password: None
) -> None:
    """An empty 200 docket report: recorded as a PACER error, the case waits, the cycle ends."""
    # Registered first, so it answers the report: an empty body that juriscraper parses itself.
    httpserver.expect_request("/ecf/txwd/cgi-bin/DktRpt.pl", method="POST").respond_with_data(
        "", content_type="text/plain"
    )
    path, fake = _setup(tmp_path, httpserver, budget=20.0)

    summary = run_cycle(load_config(path), str(path))

    error = "docket report of txwd case 1198170: unreadable page (Document is empty)"
    assert summary.party_lists["error"] == error  # before: lxml's ParserError ended the cycle
    db = tmp_path / "ipwatch.db"
    assert _query(db, "select status, error from party_lists") == [("wanted", error)]
    assert _query(db, "select outcome, cost from pacer_purchases") == [("error", 0.0)]
    assert _health(db, "pacer_reports") == ("failed", 1, error)
    assert Path(summary.digest_path).exists()
