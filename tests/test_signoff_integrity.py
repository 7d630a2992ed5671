"""What a notice rests on must still hold when it is signed: no decision turned round under a
draft, one withdrawal at a time, no correction of a withdrawn notice, one number per click."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from alerts_data import CASE_ID, NOW, PARTY, insert_tcl_case
from sqlite_utils import Database

from alerts.outbox import queue_warnings
from alerts.signoff import SignoffError, approve, correct, submit, withdraw
from core.config import Config
from core.notices import get_notice
from core.store import open_db
from matcher.review import ReviewError, decide

NOTICE = f"{CASE_ID}|HZ001"
MATCH = f"{CASE_ID}|{PARTY}|HZ001"
LATER = NOW + timedelta(hours=2)


def _submitted(db: Database, cfg: Config, status: str = "auto") -> None:
    insert_tcl_case(db, status=status)
    assert queue_warnings(db, cfg, now=NOW).drafts == [NOTICE]
    submit(db, NOTICE, "analyst-li", NOW)


def test_a_confirmed_match_cannot_be_dismissed_from_a_stale_page(db: Database) -> None:
    insert_tcl_case(db, status="pending")
    decide(db, None, MATCH, "confirm", by="analyst-li", reason="")
    with pytest.raises(
        ReviewError, match="已由 analyst-li 于 .* 确认，请刷新页面；如需改变，请先撤销"
    ):
        decide(
            db, None, MATCH, "dismiss", by="analyst-wang", reason="", reason_code="not_this_company"
        )
    [row] = db.query("select status, reviewed_by from matches where id = ?", [MATCH])
    assert (row["status"], row["reviewed_by"]) == ("confirmed", "analyst-li")
    # The same decision again is harmless, and allowed.
    assert decide(db, None, MATCH, "confirm", by="analyst-wang", reason="").status == "confirmed"


def test_a_draft_whose_match_was_dismissed_is_not_signed(db: Database, scfg: Config) -> None:
    _submitted(db, scfg)  # the cycle drafted it from an automatic match
    decide(db, None, MATCH, "dismiss", by="analyst-wang", reason="", reason_code="not_this_company")
    with pytest.raises(SignoffError, match="所依据的匹配已被排除（analyst-wang），不能签发"):
        approve(db, scfg, NOTICE, "approver-zhang", LATER)
    row = get_notice(db, NOTICE)
    assert row is not None and (row.status, row.number) == ("submitted", "")
    assert list(db.query("select id from outbox")) == []


def test_one_withdrawal_at_a_time_and_no_correction_of_a_withdrawn_notice(
    db: Database, scfg: Config
) -> None:
    _submitted(db, scfg)
    assert approve(db, scfg, NOTICE, "approver-zhang", LATER) == "〔2022〕第1号"
    fix = correct(db, scfg, NOTICE, "approver-zhang", {"note": "更正等级", "level": "red"}, LATER)
    gone = withdraw(db, scfg, NOTICE, "approver-zhang", "企业非被告", LATER)
    with pytest.raises(SignoffError, match=f"已有撤回通知 {gone.id}（待签发），不能再撤回"):
        withdraw(db, scfg, NOTICE, "approver-zhang", "再撤一次", LATER)
    assert approve(db, scfg, gone.id, "approver-li", LATER) == "〔2022〕第2号"
    # The correction written before the withdrawal was signed now corrects nothing.
    with pytest.raises(SignoffError, match="当前为「已撤回」，不能再签发对它的更正或撤回"):
        approve(db, scfg, fix.id, "approver-li", LATER)
    numbers = [r["number"] for r in db.query("select number from notices order by number")]
    assert numbers == ["", "〔2022〕第1号", "〔2022〕第2号"]
    assert len(list(db.query("select id from outbox"))) == 2


def test_two_approvers_signing_at_once_give_one_number_and_one_email(
    db: Database, scfg: Config
) -> None:
    _submitted(db, scfg)
    path = scfg.path(scfg.database)
    start, results = threading.Barrier(2), []

    def sign(who: str) -> None:
        own = open_db(path)  # each approver's request has its own connection
        start.wait()
        try:
            results.append(approve(own, scfg, NOTICE, who, LATER))
        except SignoffError as exc:
            results.append(str(exc))
        finally:
            own.close()

    threads = [threading.Thread(target=sign, args=(w,)) for w in ("approver-a", "approver-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [
        "〔2022〕第1号",
        f"预警提示 {NOTICE} 当前状态为「已签发」，不能签发（仅限：待签发）",
    ]
    assert len(list(db.query("select id from outbox"))) == 1
    files = sorted(p.name for p in (scfg.path(scfg.alerts.out_dir) / "notices").iterdir())
    assert len(files) == 2, files  # one notice: its HTML and its text
