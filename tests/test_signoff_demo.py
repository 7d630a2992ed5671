"""`ipwatch demo` with the shipped default leaves the TCL notice as a draft awaiting 签发.

Real subprocesses on the recorded TXWD excerpt (TCL Technology Group is a defendant there): the
cycle drafts, nothing is numbered or written to the outbox, the summary says how to approve, and
`ipwatch notices submit` + `approve --send` number the notice and write exactly one email.
"""

from __future__ import annotations

import json
from pathlib import Path

from ops_support import ipwatch, query, samples, write_config

NOTICE = "usdc:txwd:6:22-cv-00217|HZ001"


def test_demo_drafts_and_the_approver_signs_off(tmp_path: Path) -> None:
    # No auto_signoff rule: the shipped default (ops_support's delivery tests set one).
    config = str(write_config(tmp_path, alerts={"out_dir": "out", "chromium": ""}))
    demo = ipwatch("demo", "--config", config, "--samples", str(samples(tmp_path)), "--json")
    assert demo.returncode == 0, demo.stderr[-3000:]
    summary = json.loads(demo.stdout)
    assert (summary["notices_drafted"], summary["awaiting_signoff"]) == (1, [NOTICE])
    assert (summary["warnings_queued"], summary["sent"]) == (0, 0)
    assert "待签发预警提示 notices awaiting sign-off: 1（本次新起草 drafted now: 1）" in demo.stderr
    assert f"ipwatch notices submit '{NOTICE}' && ipwatch notices approve '{NOTICE}'" in demo.stderr
    db = tmp_path / "ipwatch.db"
    assert query(db, "select number, status from notices") == [("", "draft")]
    assert query(db, "select count(*) from outbox") == [(0,)]
    submitted = ipwatch("notices", "submit", NOTICE, "--config", config, "--actor", "李分析")
    assert submitted.returncode == 0, submitted.stderr
    signed = ipwatch(
        "notices", "approve", NOTICE, "--config", config, "--actor", "张科长", "--send"
    )
    assert signed.returncode == 0, signed.stderr
    [(number, status, by)] = query(db, "select number, status, signed_by from notices")
    # The bundled registry has no contact for TCL: the desk gets it to forward (待转发).
    assert number.endswith("〕第1号") and (status, by) == ("held", "张科长")
    assert f"已签发 {number}（张科长）：{NOTICE}" in signed.stderr
    assert "企业未登记联系邮箱：邮件发至本局待转发" in signed.stderr
    emails = sorted(p.name for p in (tmp_path / "out" / "outbox").glob("*.eml"))
    assert emails == ["warning_usdc_txwd_6_22-cv-00217_HZ001_.eml"]
