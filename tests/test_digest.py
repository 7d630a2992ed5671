"""The analysts' digest: golden files, empty days, deadlines, failed deliveries, once a day."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alerts_data import (
    CASE_ID,
    NOW,
    add_event,
    check_golden,
    insert_source_health,
    insert_tcl_case,
)
from click.testing import CliRunner
from sqlite_utils import Database

from alerts.digest import build_digest, write_digest
from alerts.outbox import deliver, queue_warnings
from alerts.send import SendError
from core.config import Config
from ipwatch.cli import cli

MATCH_ID = f"{CASE_ID}|TCL Technology Group Corp.|HZ001"


def test_digest_matches_golden_files(db: Database, acfg: Config, frozen: None) -> None:
    insert_tcl_case(db)
    insert_source_health(db)
    queue_warnings(db, acfg)
    result = write_digest(db, acfg)
    assert result.html_path.name == "digest-2022-12-07.html" and result.queued
    html = result.html_path.read_text(encoding="utf-8")
    text = result.text_path.read_text(encoding="utf-8")
    check_golden("digest.expected.html", html)
    check_golden("digest.expected.txt", text)
    # Deadlines come first, then what waits for a person (签发, review), then the news (#13).
    assert text.index("1. 未来14日内届满的期限") < text.index("2. 待签发的预警提示（0）")
    assert text.index("2. 待签发的预警提示") < text.index("3. 新增实体匹配（1）")
    assert text.index("3. 新增实体匹配（1）") < text.index("4. 待复核队列（0）")
    assert "TCL科技集团股份有限公司（TCL Technology Group Corporation） 状态 auto 得分 0.97" in text
    # First seen mid-case (an Answer on file): no "earliest" answer date, the stage instead.
    assert "案件阶段：案件已在进行中" in text
    assert "案卷显示：2022-12-05 已提交答辩（Answer to Complaint）" in text
    assert "期限：无可推算的期限（案件已在进行中，请与律师核实）" in text
    assert "pacer_txwd：正常 ok，最近成功 2022-12-06T14:14:05+00:00，条目 48（新增 48）" in text


def test_empty_day_says_so_and_shows_source_health(
    db: Database, acfg: Config, frozen: None
) -> None:
    insert_source_health(db)
    db["sources"].insert(
        {
            **db["sources"].get("pacer_txwd"),
            "id": "pacer_txed",
            "status": "failed",
            "consecutive_failures": 3,
            "last_error": "HTTP 503 Service Unavailable",
        }
    )
    text = write_digest(db, acfg).text_path.read_text(encoding="utf-8")
    assert "本期无新增案件匹配或案件进展。" in text
    assert "3. 新增实体匹配（0）\n  无。" in text
    assert (
        "pacer_txed：失败 failed，最近成功 2022-12-06T14:14:05+00:00，条目 48（新增 48），"
        "连续失败 3，错误 HTTP 503" in text
    )  # noqa: E501


def test_digest_email_is_queued_once_per_day(db: Database, acfg: Config, frozen: None) -> None:
    assert write_digest(db, acfg).queued is True
    assert write_digest(db, acfg).queued is False
    assert write_digest(db, acfg, day=date(2022, 12, 8), now=NOW + timedelta(days=1)).queued
    rows = list(db.query("select id, kind, recipients, subject from outbox order by id"))
    assert [r["id"] for r in rows] == ["digest|||2022-12-07", "digest|||2022-12-08"]
    assert json.loads(rows[0]["recipients"])["to"] == ["analyst@example.org"]
    assert rows[0]["subject"] == "【海外知识产权预警日报】2022-12-07 新增实体匹配 0 宗，待复核 0 条"
    delivered = deliver(db, acfg)
    msg = email.message_from_bytes(
        Path(delivered.written_files[0]).read_bytes(), policy=email.policy.default
    )
    assert msg["To"] == "analyst@example.org"
    assert "10. 数据源状态" in msg.get_body(("plain",)).get_content()


def test_failures_missing_contacts_review_and_deadlines(
    db: Database, acfg: Config, frozen: None
) -> None:
    insert_tcl_case(db, contact_email="", status="confirmed")
    # A complaint seen two days ago on the same case: its answer deadline falls within 14 days.
    add_event(
        db,
        "pacer_txwd:complaint-1",
        "Complaint",
        "2022-12-05T16:00:00+00:00",
        "2022-12-05T16:05:00+00:00",
    )
    db["matches"].insert(
        {
            **db["matches"].get(MATCH_ID),
            "id": "m-group",
            "company_id": "HZ003",
            "level": "group",
            "status": "pending",
            "party": "TCL Electronics Holdings Ltd.",
        }
    )
    queue_warnings(db, acfg)

    def refuse(msg: object, rcpts: object, before: object) -> None:
        raise SendError("SMTP 550 5.1.1 Mailbox unavailable", permanent=True)

    deliver(db, acfg, sender=refuse)
    text = write_digest(db, acfg).text_path.read_text(encoding="utf-8")
    assert "9. 投递异常（1）与待转发邮件（1）" in text
    assert "失败 failed（第1次） [待转发] 【海外知识产权风险预警】" in text
    assert "SMTP 550 5.1.1 Mailbox unavailable" in text
    assert (
        "待转发（missing contacts）：TCL科技集团股份有限公司 — "
        "usdc:txwd:6:22-cv-00217（失败 failed）" in text
    )
    assert "[group] TCL：TCL Electronics Holdings Ltd.（6:22-cv-00217，得分 0.97）" in text
    # Each queue row names its id for `review confirm`, its evidence and free links before PACER.
    assert "    编号：m-group\n    依据：'TCL Technology Group Corp.' is English name" in text
    free = (
        "    CourtListener（免费）：https://www.courtlistener.com/?type=r"
        "&q=docketNumber%3A%226%3A22-cv-00217%22&court=txwd\n"
    )
    paid = "    PACER（付费）：https://ecf.txwd.uscourts.gov/cgi-bin/DktRpt.pl?"
    assert free in text and paid in text and text.index(free) < text.index(paid)
    # First seen through an Answer on file: under way, so no earliest date to list.
    assert "1. 未来14日内届满的期限（0）" in text


def test_upcoming_deadline_is_listed(db: Database, acfg: Config, frozen: None) -> None:
    insert_tcl_case(db)
    db.execute("update events set event_types = ?", (json.dumps(["Complaint"]),))
    db.conn.commit()
    # Filed 17:52 in Texas on 2022-12-05 (23:52 GMT): 21 days from 5 December end on Monday
    # 26 December, the observed Christmas holiday, so the earliest answer date is 2022-12-27:
    # not yet within 14 days on 2022-12-07, within them on 2022-12-20.
    early = write_digest(db, acfg).text_path.read_text(encoding="utf-8")
    assert "1. 未来14日内届满的期限（0）" in early
    later = NOW + timedelta(days=13)
    text = write_digest(db, acfg, day=date(2022, 12, 20), now=later).text_path.read_text("utf-8")
    assert "1. 未来14日内届满的期限（1）" in text
    assert (
        "  - 2022-12-27 TCL科技集团股份有限公司 6:22-cv-00217："
        "提交答辩状（Answer）（最早可能届满日）" in text
    )


def test_cli_digest_with_date(db: Database, acfg: Config, tmp_path: Path, frozen: None) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(json.dumps(acfg.model_dump(exclude={"base_dir"})), encoding="utf-8")
    out = CliRunner().invoke(cli, ["digest", "--date", "2022-12-07", "--config", str(config)])
    assert out.exit_code == 0, out.output
    assert "digest-2022-12-07.html" in out.stderr and "email queued" in out.stderr
    bad = CliRunner().invoke(cli, ["digest", "--date", "07/12/2022", "--config", str(config)])
    assert bad.exit_code == 2 and "Invalid value for '--date'" in bad.stderr


def test_monday_digest_covers_the_weekend(db: Database, acfg: Config) -> None:
    """The digest job runs Mon–Fri: Monday's window starts at Friday's digest, not 24 h back."""
    friday = datetime(2022, 12, 2, 0, 30, tzinfo=UTC)  # 08:30 in Huizhou
    assert write_digest(db, acfg, day=date(2022, 12, 2), now=friday).queued
    insert_tcl_case(db)
    db.execute("update matches set created_at = '2022-12-03T10:00:00+00:00'")  # Saturday
    db.conn.commit()
    monday = datetime(2022, 12, 5, 0, 30, tzinfo=UTC)
    d = build_digest(db, acfg, date(2022, 12, 5), monday)
    assert (d.since, d.until) == ("2022-12-02T00:30:00+00:00", "2022-12-05T00:30:00+00:00")
    assert [m["company_id"] for m in d.new_entity] == ["HZ001"]
    # Re-rendering Monday's own digest later that day still starts at Friday's, not Monday's.
    write_digest(db, acfg, day=date(2022, 12, 5), now=monday)
    later = build_digest(db, acfg, date(2022, 12, 5), monday.replace(hour=6))
    assert later.since == "2022-12-02T00:30:00+00:00"


def test_first_digest_falls_back_to_24_hours(db: Database, acfg: Config) -> None:
    now = datetime(2022, 12, 5, 0, 30, tzinfo=UTC)
    d = build_digest(db, acfg, date(2022, 12, 5), now)
    assert d.since == "2022-12-04T00:30:00+00:00"


def test_co_defendant_answer_keeps_the_deadline_upcoming(db: Database, acfg: Config) -> None:
    """A case "et al" seen at its complaint, then "Answer to Complaint": whose is unknown."""
    insert_tcl_case(db)
    db.execute("update events set event_types = ?", (json.dumps(["Complaint"]),))
    db.conn.commit()
    add_event(
        db,
        "pacer_txwd:answer-1",
        "Answer to Complaint",
        "2022-12-08T16:00:00+00:00",
        "2022-12-08T16:05:00+00:00",
    )
    later = NOW + timedelta(days=13)
    text = write_digest(db, acfg, day=date(2022, 12, 20), now=later).text_path.read_text("utf-8")
    assert "1. 未来14日内届满的期限（1）" in text
    assert "可能已由其他被告完成/送达（无法确定当事人）" in text


def test_cli_digest_waits_for_the_run_lock(
    db: Database, acfg: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core import lock

    monkeypatch.setattr("ipwatch.cli_alerts.run_lock", lambda cfg: lock.run_lock(cfg, wait=0.2))
    config = tmp_path / "config.yaml"
    config.write_text(json.dumps(acfg.model_dump(exclude={"base_dir"})), encoding="utf-8")
    with lock.run_lock(acfg, wait=0):
        out = CliRunner().invoke(cli, ["digest", "--config", str(config)])
    assert out.exit_code == 1 and "another run holds" in out.stderr, out.output


def test_digest_lists_upcoming_then_overdue_with_company_and_case(
    db: Database, acfg: Config
) -> None:
    insert_tcl_case(db)
    db.execute("update events set event_types = ?", (json.dumps(["Complaint"]),))
    db.conn.commit()
    # Filed 5 Dec 2022 (Texas): the answer is due Tue 27 Dec (26 Dec, day 21, is the observed
    # Christmas holiday); the 90-day waiver period ends Sun 5 Mar 2023 (26 + 31 + 28 + 5 = 90)
    # → Mon 6 Mar. On 20 Feb 2023 the first has passed, the second is within 14 days. Service
    # is unknown, so the first is an earliest date: listed as passed, never as 已届满.
    now = datetime(2023, 2, 20, 1, 30, tzinfo=UTC)
    d = build_digest(db, acfg, date(2023, 2, 20), now)
    assert [(c["name_zh"], c["docket_number"], dl.key, dl.due) for c, dl in d.deadlines] == [
        ("TCL科技集团股份有限公司", "6:22-cv-00217", "usdc_answer_waiver_abroad", date(2023, 3, 6))
    ]
    assert [(c["name_zh"], dl.key, dl.due) for c, dl in d.overdue] == [
        ("TCL科技集团股份有限公司", "usdc_answer", date(2022, 12, 27))
    ]
    text = write_digest(db, acfg, day=date(2023, 2, 20), now=now).text_path.read_text("utf-8")
    upcoming = text.index("1. 未来14日内届满的期限（1）")
    overdue = text.index("已过的期限（1；按法院当地日期的24时判断）")
    assert upcoming < text.index("2023-03-06 TCL科技集团股份有限公司 6:22-cv-00217") < overdue
    assert (
        "  - [最早可能日期已过（送达日期未知），实际期限可能尚未届满，请立即核实送达日期] "
        "2022-12-27 TCL科技集团股份有限公司 6:22-cv-00217：提交答辩状（Answer）"
    ) in text[overdue:]
    assert "已届满" not in text


def test_chinese_holiday_advisory_in_notice_and_digest(db: Database, acfg: Config) -> None:
    insert_tcl_case(db)
    # A complaint at 10:00 in Texas on Tue 10 Sep 2024: 11 Sep = day 1 … Tue 1 Oct = day 21,
    # a US working day but 国庆节 in China.
    db.execute(
        "update events set event_types = ?, published = ?",
        (json.dumps(["Complaint"]), "2024-09-10T15:00:00+00:00"),
    )
    db.execute("update cases set first_seen = ?", ("2024-09-10T15:05:00+00:00",))
    db.conn.commit()
    now = datetime(2024, 9, 20, 1, 30, tzinfo=UTC)
    queue_warnings(db, acfg, now=now)
    notice = Path(db["notices"].get(f"{CASE_ID}|HZ001")["text_path"]).read_text(encoding="utf-8")
    assert "提交答辩状（Answer）：2024-10-01（星期二）（最早可能届满日）" in notice
    assert "节假日提示：期限日或其前5个工作日适逢中国法定节假日（国庆节" in notice
    text = write_digest(db, acfg, day=date(2024, 9, 20), now=now).text_path.read_text("utf-8")
    assert "  - 2024-10-01 TCL科技集团股份有限公司 6:22-cv-00217" in text
    assert "    节假日提示：期限日或其前5个工作日适逢中国法定节假日（国庆节" in text


def test_sources_never_crawled_and_released_forwards(db: Database, acfg: Config) -> None:
    # An enabled source without a single crawl is a problem for `status`; the digest says so too.
    from core.config import Source

    extra = Source(id="fr_itc", kind="fr_itc", url="https://www.federalregister.gov/api/v1/")
    cfg = acfg.model_copy(update={"sources": [*acfg.sources, extra]})
    insert_source_health(db)
    insert_tcl_case(db, contact_email="")
    queue_warnings(db, cfg)
    [desk] = db.query("select id from outbox where subject like '[待转发]%'")
    [notice] = db.query("select id, status from notices where outbox_id = ?", [desk["id"]])
    assert notice["status"] == "held"
    text = write_digest(db, cfg).text_path.read_text(encoding="utf-8")
    assert (
        "  - fr_itc：从未抓取，最近成功 无，条目 0（新增 0），连续失败 0，错误 启用但从未抓取"
        in text
    )
    assert "待转发邮件（1）" in text
    # Once the company's contact exists and the notice went to it, it is no longer waiting.
    db["notices"].update(notice["id"], {"status": "sent"})
    text = write_digest(db, cfg).text_path.read_text(encoding="utf-8")
    assert "待转发邮件（0）" in text and "待转发（missing contacts）" not in text
