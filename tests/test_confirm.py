"""Confirming a group- or review-level match says what it does and does it (#13)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alerts_data import CASE_ID, PARTY, insert_tcl_case
from click.testing import CliRunner
from sqlite_utils import Database

from alerts.outbox import queue_warnings
from alerts.signoff import draft_for, submit
from core.audit import entries
from core.config import Config
from core.notices import get_notice
from core.records import MatchRecord
from ipwatch.cli import cli

MATCH = f"{CASE_ID}|{PARTY}|HZ001"


@pytest.fixture
def config(acfg: Config, tmp_path: Path) -> str:
    """The shipped default (no automatic sign-off) as a config file for the CLI."""
    alerts = acfg.alerts.model_copy(update={"auto_signoff": [], "chromium": ""})
    path = tmp_path / "config.yaml"
    # The registry path made absolute: the config file is written to another folder.
    registry = str(acfg.path(acfg.registry).resolve())
    data = acfg.model_copy(update={"alerts": alerts, "registry": registry}).model_dump(
        exclude={"base_dir"}
    )
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _confirm(config: str, *extra: str):  # type: ignore[no-untyped-def]
    args = ["review", "--config", config, "confirm", MATCH, "--by", "analyst-li", *extra]
    return CliRunner().invoke(cli, args)


@pytest.mark.parametrize("level", ["review", "group"])
def test_confirming_a_defendant_match_creates_a_notice_draft(
    db: Database, config: str, acfg: Config, level: str
) -> None:
    insert_tcl_case(db, level=level, status="pending")
    assert queue_warnings(db, acfg).drafts == [], "nothing before an analyst confirms"
    result = _confirm(config)
    assert result.exit_code == 0, result.output
    assert f"已创建预警提示草稿 {CASE_ID}|HZ001：分析员修改并提交" in result.output
    notice = get_notice(db, f"{CASE_ID}|HZ001")
    assert notice is not None and (notice.status, notice.created_by) == ("draft", "analyst-li")
    assert notice.number == "", "the number waits for 签发"
    again = _confirm(config)
    assert f"该案已有预警提示 {CASE_ID}|HZ001（草稿），未重复起草。" in again.output


def test_confirming_a_plaintiff_records_it_as_enforcing(db: Database, config: str) -> None:
    insert_tcl_case(db, level="review", status="pending", role="plaintiff")
    result = _confirm(config)
    assert "已记录维权：HZ001 是本案原告/申请人（企业在主张自身权利），不发送预警提示。" in (
        result.output
    )
    assert db["matches"].get(MATCH)["status"] == "enforcing"
    assert [e.action for e in entries(db, target=MATCH)] == ["match.enforcing"]
    assert list(db.query("select id from notices")) == []


def test_confirming_a_group_name_links_it_and_says_no_notice(db: Database, config: str) -> None:
    insert_tcl_case(db, level="group", status="pending")
    db["matches"].update(MATCH, {"company_id": ""})
    result = _confirm(config)
    assert (
        f"已确认集团关联：'{PARTY}' 属于 TCL 集团；名录中没有对应的惠州企业，因此不起草预警提示"
        in result.output
    )
    assert list(db.query("select id from notices")) == []


def test_as_variant_says_the_name_is_linked(db: Database, config: str) -> None:
    insert_tcl_case(db, level="review", status="pending")
    result = _confirm(config, "--as-variant", "--kind", "en_variant")
    assert f"已关联名称：'{PARTY}' 记为 HZ001 的名称变体，今后按实体级匹配。" in result.output


def _undo_batch(config: str, confirmed_output: str):  # type: ignore[no-untyped-def]
    [batch] = re.findall(r"ipwatch review undo ([0-9a-f]{16})", confirmed_output)
    args = ["review", "--config", config, "undo", batch, "--by", "analyst-li"]
    return CliRunner().invoke(cli, args)


def test_undoing_a_confirmation_deletes_the_draft_it_made(db: Database, config: str) -> None:
    insert_tcl_case(db, level="review", status="pending")
    confirmed = _confirm(config)
    assert get_notice(db, f"{CASE_ID}|HZ001") is not None
    undone = _undo_batch(config, confirmed.output)
    assert undone.exit_code == 0, undone.output
    assert f"已删除该确认起草的预警提示草稿 {CASE_ID}|HZ001" in undone.output
    assert get_notice(db, f"{CASE_ID}|HZ001") is None, "no orphan draft left for the approver"
    assert db["matches"].get(MATCH)["status"] == "pending"
    discarded = entries(db, target=f"{CASE_ID}|HZ001")
    assert [e.action for e in discarded] == ["notice.discard", "notice.draft"]  # newest first
    again = _confirm(config)
    assert f"已创建预警提示草稿 {CASE_ID}|HZ001" in again.output, "a new confirmation drafts anew"


def test_undo_is_refused_once_the_draft_was_submitted(db: Database, config: str) -> None:
    insert_tcl_case(db, level="review", status="pending")
    confirmed = _confirm(config)
    submit(db, f"{CASE_ID}|HZ001", "analyst-li", datetime(2026, 12, 2, 9, tzinfo=UTC))
    undone = _undo_batch(config, confirmed.output)
    assert undone.exit_code == 1
    assert f"预警提示 {CASE_ID}|HZ001 已提交待签发，不能撤销这批决定" in undone.output
    assert "ipwatch notices return" in undone.output
    notice = get_notice(db, f"{CASE_ID}|HZ001")
    assert notice is not None and notice.status == "submitted", "nothing was taken back"
    assert db["matches"].get(MATCH)["status"] == "confirmed"
    review_steps = [e.action for e in entries(db) if e.action.startswith("review.")]
    assert review_steps == ["review.confirm"], "no undo on record"


def test_undo_leaves_a_draft_the_confirmation_did_not_make(
    db: Database, config: str, acfg: Config
) -> None:
    insert_tcl_case(db, level="review", status="pending")
    match = MatchRecord.from_row(db["matches"].get(MATCH))
    draft_for(db, acfg, match, datetime(2026, 12, 1, 8, tzinfo=UTC))  # drafted before, as SYSTEM
    confirmed = _confirm(config)
    assert f"该案已有预警提示 {CASE_ID}|HZ001（草稿），未重复起草。" in confirmed.output
    undone = _undo_batch(config, confirmed.output)
    assert undone.exit_code == 0, undone.output
    assert "预警提示草稿" not in undone.output
    notice = get_notice(db, f"{CASE_ID}|HZ001")
    assert notice is not None and notice.status == "draft", "the earlier draft is kept"
    assert notice.created_by != "analyst-li"
    assert db["matches"].get(MATCH)["status"] == "pending"
