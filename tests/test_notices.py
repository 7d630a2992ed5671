"""Notices and enterprise emails for the real TCL W.D. Tex. case: golden files, numbering, gate."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alerts_data import (
    CASE_ID,
    NOW,
    add_event,
    check_golden,
    insert_tcl_case,
    scrubbed_eml,
)
from click.testing import CliRunner
from sqlite_utils import Database

from alerts.outbox import deliver, queue_warnings
from core.config import Config
from ipwatch.cli import cli


def _outbox(db: Database) -> list[dict]:  # type: ignore[type-arg]
    return list(db.query("select * from outbox order by created_at, id"))


def test_notice_and_email_match_golden_files(db: Database, acfg: Config, frozen: None) -> None:
    insert_tcl_case(db)
    result = queue_warnings(db, acfg)
    assert (result.warnings, result.updates, result.notices) == (1, 0, ["〔2022〕第1号"])
    notice = db["notices"].get(f"{CASE_ID}|HZ001")
    assert (notice["number"], notice["level"], notice["year"], notice["seq"]) == (
        "〔2022〕第1号",
        "orange",
        2022,
        1,
    )
    html = Path(notice["html_path"]).read_text(encoding="utf-8")
    text = Path(notice["text_path"]).read_text(encoding="utf-8")
    check_golden("notice.expected.html", html)
    check_golden("notice.expected.txt", text)
    delivered = deliver(db, acfg)
    assert (delivered.sent, delivered.failed) == (1, 0)
    raw = Path(delivered.written_files[0]).read_bytes()
    check_golden("email.expected.eml", scrubbed_eml(raw))


def test_notice_states_facts_deadlines_and_policy(db: Database, acfg: Config, frozen: None) -> None:
    item = insert_tcl_case(db)
    queue_warnings(db, acfg)
    text = Path(db["notices"].get(f"{CASE_ID}|HZ001")["text_path"]).read_text(encoding="utf-8")
    for section in (
        "一、案件概况",
        "二、涉及我市企业",
        "三、涉案权利",
        "四、涉案产品",
        "五、关键时限",
        "六、风险研判",
        "七、应对建议",
        "八、政策支持",
        "九、联系方式",
        "十、说明",
    ):
        assert section in text
    assert "ARIGNA TECHNOLOGY LIMITED v. TCL Technology Group Corp. et al" in text
    assert "预警等级：二级(橙)" in text
    assert f"{item['link']}（获取时间 2022-12-06 22:14 北京时间）" in text
    # First seen through "Answer to Complaint" (17:52 in Texas on 5 December): the case was
    # already under way, so no "earliest" answer date; PACER does not say whose answer it is.
    assert "案件阶段：案件已在进行中" in text
    assert "  - 2022-12-05 已提交答辩（Answer to Complaint）" in text
    assert "最早可能届满日" not in text and "2022-12-26" not in text
    assert "可能已由其他被告完成/送达（无法确定当事人）" in text
    assert "30%" in text and "每家单位每年最高20万元" in text
    assert "行政裁决生效、胜诉判决作出或和解协议生效后" in text
    assert "按实际缴纳保费的50%事后返还，每家企业最高10万元" in text
    assert "知识产权维权援助热线：12330" in text
    assert "不构成法律意见" in text


def test_email_headers_and_parts(db: Database, acfg: Config, frozen: None) -> None:
    cfg = acfg.model_copy(update={"cc": ["leader@example.org"], "bcc": ["archive@example.org"]})
    insert_tcl_case(db, contact_email="ip-legal@tcl.example.com; legal2@tcl.example.com")
    queue_warnings(db, cfg)
    row = _outbox(db)[0]
    msg = email.message_from_string(row["message"], policy=email.policy.default)
    assert msg["To"] == "ip-legal@tcl.example.com, legal2@tcl.example.com"
    assert msg["Cc"] == "leader@example.org"
    assert msg["Bcc"] is None, "Bcc must never appear in the headers"
    assert json.loads(row["recipients"])["bcc"] == ["archive@example.org"]
    assert msg["Reply-To"] == "desk@example.org"
    assert msg["Subject"] == (
        "【海外知识产权风险预警】美国联邦地区法院（德克萨斯州西区，TXWD） "
        "6:22-cv-00217 TCL科技集团股份有限公司"
    )
    assert msg["Message-ID"] == row["message_id"] and msg["Message-ID"].endswith("@example.org>")
    body = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert "〔2022〕第1号" in body.get_content()
    assert 'style="' in html.get_content() and "<style>" not in html.get_content()
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == "海外知识产权风险预警提示〔2022〕第1号.html"
    assert "八、政策支持" in attachment.get_content()


def test_missing_contact_goes_to_bureau_desk(db: Database, acfg: Config, frozen: None) -> None:
    insert_tcl_case(db, contact_email="")
    queue_warnings(db, acfg)
    msg = email.message_from_string(_outbox(db)[0]["message"], policy=email.policy.default)
    assert msg["To"] == "desk@example.org"
    assert msg["Subject"].startswith("[待转发] 【海外知识产权风险预警】")
    assert (
        "登记名录中没有TCL科技集团股份有限公司的联系邮箱" in msg.get_body(("plain",)).get_content()
    )


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"status": "pending"}, "waits for `ipwatch review confirm`"),
        ({"status": "dismissed"}, "dismissed by an analyst"),
        ({"level": "group"}, "below entity level"),
        ({"level": "review"}, "below entity level"),
        ({"role": "plaintiff", "status": "enforcing"}, "a plaintiff enforcing its rights"),
    ],
)
def test_review_gate_never_sends_below_entity(
    db: Database, acfg: Config, change: dict[str, str], why: str, frozen: None
) -> None:
    insert_tcl_case(db, **change)
    assert queue_warnings(db, acfg).warnings == 0, why
    assert _outbox(db) == [] and list(db.query("select * from notices")) == []


def test_confirmed_match_is_sent_and_rerun_queues_nothing(
    db: Database, acfg: Config, frozen: None
) -> None:
    insert_tcl_case(db, status="pending")
    assert queue_warnings(db, acfg).warnings == 0
    db["matches"].update(f"{CASE_ID}|TCL Technology Group Corp.|HZ001", {"status": "confirmed"})
    assert queue_warnings(db, acfg).warnings == 1
    again = queue_warnings(db, acfg)
    assert (again.warnings, again.updates, again.notices) == (0, 0, [])
    assert [r["id"] for r in _outbox(db)] == [f"warning|{CASE_ID}|HZ001|"]


def test_numbers_are_sequential_per_year_and_never_reused(db: Database, acfg: Config) -> None:
    insert_tcl_case(db)
    db["matches"].insert(
        {
            **db["matches"].get(f"{CASE_ID}|TCL Technology Group Corp.|HZ001"),
            "id": "m2",
            "company_id": "HZ002",
        }
    )
    db["companies"].insert({**db["companies"].get("HZ001"), "id": "HZ002"})
    first = queue_warnings(db, acfg, now=datetime(2022, 12, 31, 15, 59, tzinfo=UTC))
    assert first.notices == ["〔2022〕第1号", "〔2022〕第2号"]
    # A new case in the new year (Asia/Shanghai) starts again at 1.
    db["cases"].insert({**db["cases"].get(CASE_ID), "id": "usdc:txwd:6:23-cv-00001"})
    db["matches"].insert(
        {
            **db["matches"].get("m2"),
            "id": "m3",
            "company_id": "HZ001",
            "case_id": "usdc:txwd:6:23-cv-00001",
        }
    )
    second = queue_warnings(db, acfg, now=datetime(2022, 12, 31, 16, 1, tzinfo=UTC))
    assert second.notices == ["〔2023〕第1号"]
    # Losing an outbox row must not hand out a new number for the same notice.
    issued = db["notices"].get(f"{CASE_ID}|HZ002")["number"]
    db.execute("delete from outbox where company_id = 'HZ002'")
    db.conn.commit()
    third = queue_warnings(db, acfg, now=datetime(2023, 1, 2, tzinfo=UTC))
    assert third.notices == [issued]
    numbers = [r["number"] for r in db.query("select number from notices order by year, seq")]
    assert numbers == ["〔2022〕第1号", "〔2022〕第2号", "〔2023〕第1号"]


def test_key_event_after_warning_sends_threaded_update(db: Database, acfg: Config) -> None:
    insert_tcl_case(db)
    queue_warnings(db, acfg, now=NOW)
    # A later TRO order on the case (constructed follow-up; the 2022-12-06 capture has none).
    add_event(
        db,
        "pacer_txwd:tro-1",
        "Order on Motion for TRO",
        "2022-12-08T20:00:00+00:00",
        "2022-12-08T20:05:00+00:00",
    )
    add_event(
        db,
        "pacer_txwd:status-1",
        "Status Conference",
        "2022-12-08T21:00:00+00:00",
        "2022-12-08T21:05:00+00:00",
    )
    later = datetime(2022, 12, 9, tzinfo=UTC)
    result = queue_warnings(db, acfg, now=later)
    assert (result.warnings, result.updates) == (0, 1)
    assert queue_warnings(db, acfg, now=later).updates == 0
    first, update = _outbox(db)
    assert update["id"] == f"update|{CASE_ID}|HZ001|pacer_txwd:tro-1"
    msg = email.message_from_string(update["message"], policy=email.policy.default)
    assert msg["In-Reply-To"] == first["message_id"] == msg["References"]
    assert msg["Subject"].startswith("【案件进展】【海外知识产权风险预警】")
    text = msg.get_body(("plain",)).get_content()
    assert "预警等级：一级(红)" in text
    # Entered 14:00 on 8 December in Texas (20:00 GMT); 14 days counted from the order:
    # 9 Dec is day 1 … 22 Dec (Thursday) is day 14 (FRCP 6(a)(1)).
    assert "单方临时限制令（TRO）失效：2022-12-22（星期四）（确定）" in text


def test_cli_notices_lists_what_was_sent(db: Database, acfg: Config, tmp_path: Path) -> None:
    insert_tcl_case(db)
    queue_warnings(db, acfg, now=NOW)
    deliver(db, acfg, now=NOW)
    config = tmp_path / "config.yaml"
    config.write_text(json.dumps(acfg.model_dump(exclude={"base_dir"})), encoding="utf-8")
    out = CliRunner().invoke(cli, ["notices", "--json", "--config", str(config)])
    assert out.exit_code == 0, out.output
    [record] = json.loads(out.stdout)
    assert (record["number"], record["kind"], record["state"], record["to"]) == (
        "〔2022〕第1号",
        "warning",
        "sent",
        "ip-legal@tcl.example.com",
    )
    assert record["sent_at"] == "2022-12-07T01:30:00+00:00"


def test_missing_company_is_reported_and_others_still_queue(db: Database, acfg: Config) -> None:
    insert_tcl_case(db)
    base = db["matches"].get(f"{CASE_ID}|TCL Technology Group Corp.|HZ001")
    db["matches"].insert({**base, "id": "m-gone", "company_id": "HZ999"})
    result = queue_warnings(db, acfg, now=NOW)
    assert (result.warnings, result.notices) == (1, ["〔2022〕第1号"])
    assert result.errors == ["match m-gone: company 'HZ999' is not in the companies table"]
    assert [r["company_id"] for r in _outbox(db)] == ["HZ001"]
