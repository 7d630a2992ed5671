"""The audit log keeps every decision with who, when, what and why."""

from __future__ import annotations

import json

from core.audit import entries, record
from core.store import open_db


def test_audit_entries_newest_first_and_filtered(tmp_path) -> None:
    db = open_db(tmp_path / "a.db")
    record(db, "wang", "review.dismiss", "match:abc", "非本企业", {"party": "Samsung"}, at="t1")
    record(db, "li", "notice.approve", "notice:7", "", at="t2")
    newest = entries(db)
    assert [(e.actor, e.action, e.at) for e in newest] == [
        ("li", "notice.approve", "t2"),
        ("wang", "review.dismiss", "t1"),
    ]
    only = entries(db, target="match:abc")
    assert [e.reason for e in only] == ["非本企业"]
    assert json.loads(only[0].detail) == {"party": "Samsung"}
    assert [e.target for e in entries(db, actor="li")] == ["notice:7"]
