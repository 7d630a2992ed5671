"""Notice sign-off: drafts wait for 签发, the number comes only then, one email per approval.

The shipped default (no `alerts.auto_signoff` rule) is tested here: `scfg` clears the rule that
tests/config.test.yaml sets for the delivery tests. The case is the real TCL W.D. Tex. case.
"""

from __future__ import annotations

import email
import email.policy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from alerts_data import CASE_ID, NOW, insert_tcl_case
from click.testing import CliRunner
from smtp_support import smtp_cfg
from sqlite_utils import Database

from alerts.dispatch import auto_signoff_allowed
from alerts.outbox import deliver, queue_warnings
from alerts.signoff import (
    SignoffError,
    approve,
    correct,
    edit_draft,
    preview,
    send_back,
    submit,
    withdraw,
)
from core.audit import entries
from core.config import AutoSignoff, Config, ConfigError, load_config
from core.notices import find_notice, get_notice, list_notices, referring_to
from ipwatch.cli import cli

NOTICE = f"{CASE_ID}|HZ001"
LATER = NOW + timedelta(hours=2)


def _outbox(db: Database) -> list[dict]:  # type: ignore[type-arg]
    return list(db.query("select * from outbox order by created_at, id"))


def _drafted(db: Database, cfg: Config, **case: str) -> str:
    insert_tcl_case(db, **case)
    result = queue_warnings(db, cfg, now=NOW)
    assert (result.warnings, result.notices, result.drafts) == (0, [], [NOTICE])
    return NOTICE


def _signed(db: Database, cfg: Config, **case: str) -> str:
    _drafted(db, cfg, **case)
    submit(db, NOTICE, "analyst-li", NOW)
    return approve(db, cfg, NOTICE, "approver-zhang", LATER)


def test_cycle_writes_a_draft_and_nothing_leaves(db: Database, scfg: Config) -> None:
    _drafted(db, scfg)
    row = get_notice(db, NOTICE)
    assert row is not None
    assert (row.status, row.status_zh, row.number, row.year, row.seq) == (
        "draft",
        "草稿",
        "",
        None,
        None,
    )
    assert (row.kind, row.level, row.forum, row.created_by) == (
        "notice",
        "orange",
        "usdc",
        "system",
    )
    assert row.risks[0].startswith("未在期限内应诉的，可能被作出缺席判决")
    assert _outbox(db) == [], "no email before an approver signs the notice off"
    # A second cycle neither drafts again nor sends.
    again = queue_warnings(db, scfg, now=LATER)
    assert (again.warnings, again.drafts, again.notices) == (0, [], [])
    assert [r.id for r in list_notices(db)] == [NOTICE] and _outbox(db) == []


def test_edit_submit_approve_sends_exactly_one_email(
    db: Database, scfg: Config, server, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler, port = server
    cfg = smtp_cfg(scfg, port, monkeypatch).model_copy(update={"alerts": scfg.alerts})
    _drafted(db, cfg)
    edit_draft(
        db,
        NOTICE,
        risk_text="原告为专利主张实体（NPE），以许可费和解为常见结局。\n请评估应诉成本。",
        advice_text=None,
        actor="analyst-li",
        now=NOW,
    )
    assert get_notice(db, NOTICE).advice[0].startswith("立即核实是否已收到起诉材料")  # type: ignore[union-attr]
    submitted = submit(db, NOTICE, "analyst-li", NOW)
    assert (submitted.status_zh, submitted.submitted_by, submitted.number) == (
        "待签发",
        "analyst-li",
        "",
    )
    assert _outbox(db) == []
    number = approve(db, cfg, NOTICE, "approver-zhang", LATER)
    assert number == "〔2022〕第1号"
    signed = get_notice(db, NOTICE)
    assert signed is not None
    assert (signed.status, signed.signed_by, signed.year, signed.seq) == (
        "signed",
        "approver-zhang",
        2022,
        1,
    )
    assert signed.pdf_note == "未附PDF：配置 alerts.chromium 为空（已关闭PDF副本）"
    [row] = _outbox(db)
    assert (row["id"], row["kind"], row["state"]) == (
        f"warning|{CASE_ID}|HZ001|",
        "warning",
        "pending",
    )
    result = deliver(db, cfg, now=LATER)
    assert (result.sent, result.failed) == (1, 0)
    [(rcpt, raw)] = handler.messages
    assert rcpt == ["ip-legal@tcl.example.com"]
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert "〔2022〕第1号" in msg.get_body(("plain",)).get_content()
    [attachment] = list(msg.iter_attachments())
    printed = attachment.get_content()
    assert "原告为专利主张实体（NPE），以许可费和解为常见结局。" in printed
    assert get_notice(db, NOTICE).status == "sent"  # type: ignore[union-attr]
    # Another cycle and another delivery: still exactly one message at the server.
    queue_warnings(db, cfg, now=LATER)
    deliver(db, cfg, now=LATER)
    assert len(handler.messages) == 1
    actions = [(e.actor, e.action) for e in reversed(entries(db, target=NOTICE))]
    assert actions == [
        ("system", "notice.draft"),
        ("analyst-li", "notice.edit"),
        ("analyst-li", "notice.submit"),
        ("approver-zhang", "notice.approve"),
    ]


def test_number_is_assigned_in_order_of_approval(db: Database, scfg: Config) -> None:
    insert_tcl_case(db)
    base = db["matches"].get(f"{CASE_ID}|TCL Technology Group Corp.|HZ001")
    db["companies"].insert({**db["companies"].get("HZ001"), "id": "HZ002"})
    db["matches"].insert({**base, "id": "m2", "company_id": "HZ002"})
    assert sorted(queue_warnings(db, scfg, now=NOW).drafts) == [NOTICE, f"{CASE_ID}|HZ002"]
    for notice_id in (NOTICE, f"{CASE_ID}|HZ002"):
        submit(db, notice_id, "analyst-li", NOW)
    # The second draft is signed first, so it gets number 1: numbers follow sign-off, not drafts.
    assert approve(db, scfg, f"{CASE_ID}|HZ002", "approver-zhang", LATER) == "〔2022〕第1号"
    assert approve(db, scfg, NOTICE, "approver-zhang", LATER) == "〔2022〕第2号"
    assert find_notice(db, "2022-2").id == NOTICE  # type: ignore[union-attr]
    assert find_notice(db, "〔2022〕第1号").company_id == "HZ002"  # type: ignore[union-attr]


def test_returned_notice_is_edited_and_resubmitted(db: Database, scfg: Config) -> None:
    _drafted(db, scfg)
    submit(db, NOTICE, "analyst-li", NOW)
    returned = send_back(db, NOTICE, "approver-zhang", "应对建议请补充和解选项", NOW)
    assert (returned.status_zh, returned.return_comment, returned.returned_by) == (
        "已退回",
        "应对建议请补充和解选项",
        "approver-zhang",
    )
    edit_draft(db, NOTICE, risk_text=None, advice_text="评估与原告和解的可能。", actor="analyst-li",
               now=NOW)  # fmt: skip
    submit(db, NOTICE, "analyst-li", NOW)
    assert approve(db, scfg, NOTICE, "approver-zhang", LATER) == "〔2022〕第1号"
    assert [e.reason for e in entries(db, target=NOTICE, actor="approver-zhang")] == [
        "",
        "应对建议请补充和解选项",
    ]


def _edit(risk: str):  # type: ignore[no-untyped-def]
    return lambda db, cfg: edit_draft(
        db, NOTICE, risk_text=risk, advice_text=None, actor="l", now=NOW
    )


def _approve(db: Database, cfg: Config) -> str:
    return approve(db, cfg, NOTICE, "z", LATER)


def _correct(changes: dict[str, str]):  # type: ignore[no-untyped-def]
    return lambda db, cfg: correct(db, cfg, NOTICE, "z", changes, NOW)


WRONG_MOVES = [
    ("draft", _approve, "当前状态为「草稿」，不能签发"),
    ("signed", _approve, "当前状态为「已签发」，不能签发"),
    ("signed", _edit("x"), "当前状态为「已签发」，不能修改"),
    ("submitted", lambda db, cfg: submit(db, NOTICE, "l", NOW), "当前状态为「待签发」，不能提交"),
    ("submitted", _edit("x"), "不能修改"),
    ("draft", lambda db, cfg: send_back(db, NOTICE, "z", "意见", NOW), "「草稿」，不能退回"),
    ("submitted", lambda db, cfg: send_back(db, NOTICE, "z", "  ", NOW), "退回时必须填写意见"),
    ("draft", _edit(" "), "风险研判不能为空"),
    ("draft", lambda db, cfg: withdraw(db, cfg, NOTICE, "z", "误报", NOW), "「草稿」，不能撤回"),
    ("signed", lambda db, cfg: withdraw(db, cfg, NOTICE, "z", "", NOW), "撤回时必须说明理由"),
    ("draft", _correct({"note": "x"}), "不能更正"),
    ("signed", _correct({"level": "red"}), "必须填写更正说明"),
    ("signed", _correct({"note": "x", "number": "1"}), "不能更正 number"),
    ("signed", _correct({"note": "x", "level": "blue"}), "预警等级须为"),
    ("draft", lambda db, cfg: submit(db, "nope", "l", NOW), "没有编号为 'nope' 的预警提示"),
]


@pytest.mark.parametrize(("setup", "move", "message"), WRONG_MOVES)
def test_wrong_moves_raise_clear_errors(
    db: Database,
    scfg: Config,
    setup: str,
    move,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    _drafted(db, scfg)
    if setup in ("submitted", "signed"):
        submit(db, NOTICE, "analyst-li", NOW)
    if setup == "signed":
        approve(db, scfg, NOTICE, "approver-zhang", LATER)
    before = get_notice(db, NOTICE)
    with pytest.raises(SignoffError, match=message):
        move(db, scfg)
    assert get_notice(db, NOTICE) == before, "a refused move changes nothing"
    assert len(_outbox(db)) == (1 if setup == "signed" else 0)


def test_correction_is_a_new_numbered_notice_referring_to_the_first(
    db: Database, scfg: Config
) -> None:
    _signed(db, scfg)
    deliver(db, scfg, now=LATER)
    changes = {"note": "案件已出现临时限制令，等级上调", "level": "red"}
    fix = correct(db, scfg, NOTICE, "approver-zhang", changes, LATER)
    assert (fix.kind, fix.references_id, fix.status, fix.number, fix.level) == (
        "correction",
        NOTICE,
        "submitted",
        "",
        "red",
    )
    assert len(_outbox(db)) == 1, "a correction leaves only after its own sign-off"
    assert approve(db, scfg, fix.id, "approver-zhang", LATER) == "〔2022〕第2号"
    assert [r.id for r in referring_to(db, NOTICE)] == [fix.id]
    assert get_notice(db, NOTICE).status == "sent", "the first notice stays as it was sent"  # type: ignore[union-attr]
    [row] = [r for r in _outbox(db) if r["kind"] == "correction"]
    assert row["id"] == f"correction|{CASE_ID}|HZ001|{fix.id}"
    msg = email.message_from_string(row["message"], policy=email.policy.default)
    assert msg["Subject"].startswith("【更正】【海外知识产权风险预警】")
    body = msg.get_body(("plain",)).get_content()
    assert "本局对《海外知识产权风险预警提示》〔2022〕第1号作出更正" in body
    assert "更正说明：案件已出现临时限制令，等级上调" in body
    printed = Path(get_notice(db, fix.id).text_path).read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert printed.startswith(
        "更正：惠州市市场监督管理局海外知识产权风险预警提示\n〔2022〕第2号  预警等级：一级(红)"
    )
    assert "本提示更正本局〔2022〕第1号预警提示，内容以本提示为准。" in printed


def test_withdrawal_takes_effect_when_signed(db: Database, scfg: Config) -> None:
    _signed(db, scfg)
    notice = withdraw(db, scfg, NOTICE, "approver-zhang", "经核实被告为同名境外企业", LATER)
    assert (notice.kind, notice.references_id, notice.status) == ("withdrawal", NOTICE, "submitted")
    assert get_notice(db, NOTICE).status == "signed", (
        "not withdrawn before the withdrawal is signed"
    )  # type: ignore[union-attr]
    assert approve(db, scfg, notice.id, "approver-zhang", LATER) == "〔2022〕第2号"
    assert get_notice(db, NOTICE).status_zh == "已撤回"  # type: ignore[union-attr]
    text = Path(get_notice(db, notice.id).text_path).read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert "本局发布的《惠州市市场监督管理局海外知识产权风险预警提示》〔2022〕第1号" in text
    assert "撤回理由：经核实被告为同名境外企业" in text and "七、应对建议" not in text
    [row] = [r for r in _outbox(db) if r["kind"] == "withdrawal"]
    subject = email.message_from_string(row["message"], policy=email.policy.default)["Subject"]
    assert subject.startswith("【撤回】")
    # A later key event on the case sends no update about a withdrawn warning.
    from alerts_data import add_event

    add_event(db, "pacer_txwd:tro-9", "Temporary Restraining Order", "2022-12-08T20:00:00+00:00",
              "2022-12-08T20:05:00+00:00")  # fmt: skip
    later = queue_warnings(db, scfg, now=LATER + timedelta(days=2))
    assert later.updates == 0 and not [r for r in _outbox(db) if r["kind"] == "update"]
    with pytest.raises(SignoffError, match="撤回通知本身不能再撤回"):
        withdraw(db, scfg, notice.id, "approver-zhang", "again", LATER)
    with pytest.raises(SignoffError, match="当前状态为「已撤回」，不能撤回"):
        withdraw(db, scfg, NOTICE, "approver-zhang", "again", LATER)


def test_held_notice_goes_to_the_company_once_its_contact_exists(
    db: Database, scfg: Config
) -> None:
    _signed(db, scfg, contact_email="")
    assert get_notice(db, NOTICE).status_zh == "待转发"  # type: ignore[union-attr]
    [desk] = _outbox(db)
    assert json.loads(desk["recipients"])["to"] == ["desk@example.org"]
    assert desk["subject"].startswith("[待转发]")
    deliver(db, scfg, now=LATER)
    assert get_notice(db, NOTICE).status == "held", "the desk copy does not reach the company"  # type: ignore[union-attr]
    assert queue_warnings(db, scfg, now=LATER).released == []
    db["companies"].update("HZ001", {"contact_email": "ip-legal@tcl.example.com"})
    later = LATER + timedelta(days=1)
    assert queue_warnings(db, scfg, now=later).released == [NOTICE]
    direct = _outbox(db)[-1]
    assert direct["id"] == f"warning|{CASE_ID}|HZ001||contact"
    assert json.loads(direct["recipients"])["to"] == ["ip-legal@tcl.example.com"]
    msg = email.message_from_string(direct["message"], policy=email.policy.default)
    assert (
        not msg["Subject"].startswith("[待转发]")
        and "〔2022〕第1号" in msg["Subject"] + msg.get_body(("plain",)).get_content()
    )
    assert deliver(db, scfg, now=later).sent == 1
    assert get_notice(db, NOTICE).status == "sent"  # type: ignore[union-attr]
    assert queue_warnings(db, scfg, now=later).released == [] and len(_outbox(db)) == 2
    assert [e.action for e in entries(db, target=NOTICE)][0] == "notice.release"


@pytest.mark.parametrize(
    ("rules", "numbered"),
    [
        ([], False),
        ([AutoSignoff(levels=["orange"], forums=["usdc"])], True),
        ([AutoSignoff(levels=["red"], forums=["usdc"])], False),  # TCL's notice is orange
        ([AutoSignoff(levels=["orange"], forums=["itc"])], False),  # and in a US district court
    ],
)
def test_auto_signoff_only_where_config_names_level_and_forum(
    db: Database, scfg: Config, rules: list[AutoSignoff], numbered: bool
) -> None:
    cfg = scfg.model_copy(update={"alerts": scfg.alerts.model_copy(update={"auto_signoff": rules})})
    insert_tcl_case(db)
    result = queue_warnings(db, cfg, now=NOW)
    assert result.notices == (["〔2022〕第1号"] if numbered else [])
    assert len(_outbox(db)) == int(numbered)
    row = get_notice(db, NOTICE)
    assert row is not None and row.status == ("signed" if numbered else "draft")
    if numbered:
        assert (row.submitted_by, row.signed_by) == ("auto-signoff", "auto-signoff")
        [why] = [e.reason for e in entries(db, target=NOTICE) if e.action == "notice.submit"]
        assert why == "config alerts.auto_signoff allows orange in usdc"
    assert auto_signoff_allowed(cfg, "orange", "usdc") is numbered


def test_shipped_config_has_no_auto_signoff_and_rules_are_validated(tmp_path: Path) -> None:
    repo = Path(__file__).parent.parent
    assert load_config(repo / "config.yaml").alerts.auto_signoff == []
    data = yaml.safe_load((repo / "config.yaml").read_text(encoding="utf-8"))
    for rule, error in (
        ({"levels": [], "forums": ["usdc"]}, "0.levels: List should have at least 1 item"),
        ({"levels": ["red"], "forums": ["uscourts"]}, "0.forums.0: Input should be"),
        ({"levels": ["red"]}, "0.forums: Field required"),
    ):  # fmt: skip
        data["alerts"]["auto_signoff"] = [rule]
        path = tmp_path / "config.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        with pytest.raises(ConfigError, match="config.yaml: alerts.auto_signoff." + error):
            load_config(path)


def test_preview_of_a_draft_shows_the_printed_layout_without_a_number(
    db: Database, scfg: Config, frozen: None
) -> None:
    _drafted(db, scfg)
    html, text = preview(db, scfg, NOTICE)
    assert text.startswith(
        "惠州市市场监督管理局海外知识产权风险预警提示\n"
        "〔2022〕第＿号（签发时编号）  预警等级：二级(橙)"
    )
    assert 'class="level" style="color: #e67e22; border-color: #e67e22">预警等级：二级(橙)' in html
    submit(db, NOTICE, "analyst-li", NOW)
    approve(db, scfg, NOTICE, "approver-zhang", NOW)
    row = get_notice(db, NOTICE)
    assert preview(db, scfg, NOTICE) == (
        Path(row.html_path).read_text(encoding="utf-8"),  # type: ignore[union-attr]
        Path(row.text_path).read_text(encoding="utf-8"),  # type: ignore[union-attr]
    )


def _cli(cfg: Config, tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    config = tmp_path / "config.yaml"
    config.write_text(json.dumps(cfg.model_dump(exclude={"base_dir"})), encoding="utf-8")
    return CliRunner().invoke(cli, ["notices", *args, "--config", str(config)])


def test_cli_walks_a_notice_through_sign_off(db: Database, scfg: Config, tmp_path: Path) -> None:
    _drafted(db, scfg)
    listed = _cli(scfg, tmp_path, "list", "--status", "draft", "--json")
    assert listed.exit_code == 0, listed.output
    [record] = json.loads(listed.stdout)
    assert (record["id"], record["status_zh"], record["number"]) == (NOTICE, "草稿", "")
    early = _cli(scfg, tmp_path, "approve", NOTICE, "--actor", "approver-zhang")
    assert early.exit_code == 1
    assert early.output.startswith(f"Error: 预警提示 {NOTICE} 当前状态为「草稿」，不能签发")
    risk = tmp_path / "risk.txt"
    risk.write_text("第一条研判\n第二条研判\n", encoding="utf-8")
    edited = _cli(scfg, tmp_path, "edit", NOTICE, "--risk-file", str(risk), "--actor", "analyst-li")
    assert edited.exit_code == 0, edited.output
    assert _cli(scfg, tmp_path, "submit", NOTICE, "--actor", "analyst-li").exit_code == 0
    signed = _cli(scfg, tmp_path, "approve", NOTICE, "--actor", "approver-zhang", "--json")
    assert signed.exit_code == 0, signed.output
    year = datetime.now(UTC).astimezone().year
    assert f"已签发 〔{year}〕第1号（approver-zhang）" in signed.stderr
    approved = json.loads(signed.stdout)
    assert (approved["status_zh"], approved["seq"], approved["signed_by"]) == (
        "已签发",
        1,
        "approver-zhang",
    )
    shown = _cli(scfg, tmp_path, "show", NOTICE, "--json")
    data = json.loads(shown.stdout)
    assert (data["status"], data["signed_by"], data["risk_text"]) == (
        "signed",
        "approver-zhang",
        "第一条研判\n第二条研判",
    )
    assert "  - 第一条研判\n  - 第二条研判\n" in data["text"]
    withdrawn = _cli(
        scfg, tmp_path, "withdraw", data["number"], "--reason", "同名企业",
        "--actor", "approver-zhang", "--json",
    )  # fmt: skip
    assert withdrawn.exit_code == 0, withdrawn.output
    follow_up = json.loads(withdrawn.stdout)
    assert (follow_up["kind_zh"], follow_up["references_id"], follow_up["status"]) == (
        "撤回",
        NOTICE,
        "submitted",
    )
    missing = _cli(scfg, tmp_path, "withdraw", "nope", "--reason", "x")
    assert missing.exit_code == 1 and missing.output.startswith("Error: 找不到预警提示 'nope'")
    sent = _cli(scfg, tmp_path, "--json")
    assert [r["number"] for r in json.loads(sent.stdout)] == [data["number"]]


def test_digest_lists_notices_waiting_for_sign_off(db: Database, scfg: Config) -> None:
    from alerts.digest import build_digest, digest_subject, write_digest

    _drafted(db, scfg)
    submit(db, NOTICE, "analyst-li", NOW)
    text = write_digest(db, scfg, now=LATER, email=False).text_path.read_text(encoding="utf-8")
    assert (
        "2. 待签发的预警提示（1）\n"
        "  - [待签发] 预警提示：TCL科技集团股份有限公司：6:22-cv-00217 "
        "ARIGNA TECHNOLOGY LIMITED v. TCL Technology Group Corp. et al\n"
        f"    编号：{NOTICE}\n"
    ) in text
    subject = digest_subject(build_digest(db, scfg, LATER.date(), LATER))
    assert subject.endswith("待复核 0 条，待签发 1 份")


def test_links_prefer_free_sources_and_mark_pacer_paid() -> None:
    from alerts.links import case_links

    links = case_links(
        "usdc",
        "txwd",
        "6:22-cv-00217",
        [
            "https://ecf.txwd.uscourts.gov/cgi-bin/DktRpt.pl?1172681",
            "javascript:alert(1)",
            "https://www.federalregister.gov/documents/2023/01/05/x",
        ],
    )
    assert [(link.label, link.paid) for link in links] == [
        ("Federal Register（免费）", False),
        ("CourtListener（免费）", False),
        ("PACER（付费）", True),
    ]
    assert links[1].url == (
        "https://www.courtlistener.com/?type=r&q=docketNumber%3A%226%3A22-cv-00217%22&court=txwd"
    )


def test_notices_numbered_before_sign_off_existed_count_as_signed_or_sent() -> None:
    from core import schema, schema_workflow

    old = Database(memory=True)
    for step in (schema.m001_initial, schema.m002_outbox_handoff, schema.m005_decisions):
        step(old)
    for seq, state in ((1, "sent"), (2, "pending")):
        case = f"usdc:txwd:6:22-cv-0000{seq}"
        old["notices"].insert(
            {"id": f"{case}|HZ001", "year": 2022, "seq": seq, "number": f"〔2022〕第{seq}号",
             "case_id": case, "company_id": "HZ001", "created_at": "2022-12-07T01:30:00+00:00"}
        )  # fmt: skip
        old["outbox"].insert(
            {"id": f"warning|{case}|HZ001|", "state": state, "sent_at": "2022-12-07T02:00:00+00:00"}
        )
    schema_workflow.m150_notice_signoff(old)
    got = [
        (r.number, r.status, r.kind, r.signed_by, r.sent_at)
        for r in sorted(list_notices(old), key=lambda r: r.number)
    ]
    assert got == [
        ("〔2022〕第1号", "sent", "notice", "system", "2022-12-07T02:00:00+00:00"),
        ("〔2022〕第2号", "signed", "notice", "system", ""),
    ]


def test_an_untouched_draft_is_signed_when_a_rule_allows_it_later(
    db: Database, scfg: Config
) -> None:
    _drafted(db, scfg)
    rule = AutoSignoff(levels=["orange"], forums=["usdc"])
    auto = scfg.model_copy(
        update={"alerts": scfg.alerts.model_copy(update={"auto_signoff": [rule]})}
    )
    # (A crash in the middle of an automatic sign-off leaves the same untouched draft behind.)
    assert queue_warnings(db, auto, now=LATER).notices == ["〔2022〕第1号"]


def test_an_edited_draft_waits_for_its_approver_even_with_a_rule(
    db: Database, scfg: Config
) -> None:
    _drafted(db, scfg)
    edit_draft(db, NOTICE, risk_text="分析员改写", advice_text=None, actor="analyst-li", now=LATER)
    rule = AutoSignoff(levels=["orange"], forums=["usdc"])
    auto = scfg.model_copy(
        update={"alerts": scfg.alerts.model_copy(update={"auto_signoff": [rule]})}
    )
    assert queue_warnings(db, auto, now=LATER).notices == []
    assert get_notice(db, NOTICE).status == "draft"  # type: ignore[union-attr]


def test_printed_notice_gives_a_free_link_before_paid_pacer_pages(
    db: Database, scfg: Config
) -> None:
    _signed(db, scfg)
    text = Path(get_notice(db, NOTICE).text_path).read_text(encoding="utf-8")  # type: ignore[union-attr]
    free = "  - CourtListener（免费）：https://www.courtlistener.com/?type=r&q=docketNumber"
    paid = "  （以下 PACER 链接按页收费（付费），可先用免费来源查阅。）\n  - 案件页面：https://ecf.txwd."
    assert free in text and paid in text and text.index(free) < text.index(paid)
