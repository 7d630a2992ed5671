"""The first warning cycle end to end on the real eight-court snapshot of 2022-12-06.

`ipwatch demo` serves data/samples/pacer_2022-12-06 (the real feeds of txed, txwd, ded, cacd,
cand, ilnd, nysd and flsd) from 127.0.0.1, so scrapy really crawls them; then it extracts,
matches, renders and writes .eml files. One run is shared by the assertions of this module.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ops_support import REPO, ipwatch, query, snapshot, write_config

COURTS = ("txed", "txwd", "ded", "cacd", "cand", "ilnd", "nysd", "flsd")
SAMPLES = REPO / "data" / "samples" / "pacer_2022-12-06"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict, dict]:
    """Run the demo twice on the eight feeds; return folder, both summaries, first snapshot."""
    folder = tmp_path_factory.mktemp("demo")
    config = write_config(folder, courts=COURTS)
    args = ("demo", "--config", str(config), "--samples", str(SAMPLES), "--json")
    first = ipwatch(*args, timeout=300)
    assert first.returncode == 0, first.stderr[-3000:]
    after_first = snapshot(folder / "ipwatch.db")
    second = ipwatch(*args, timeout=300)
    assert second.returncode == 0, second.stderr[-3000:]
    return folder, json.loads(first.stdout), json.loads(second.stdout), after_first


def test_all_eight_courts_crawled_over_http(demo) -> None:
    _, first, _, _ = demo
    assert sorted(first["sources"]) == sorted(f"pacer_{c}" for c in COURTS)
    assert {s["status"] for s in first["sources"].values()} == {"ok"}
    assert first["sources"]["pacer_txwd"]["items"] == 1837
    assert first["new_events"] == sum(s["new"] for s in first["sources"].values()) > 10_000


def test_tcl_is_the_only_entity_match(demo) -> None:
    folder, first, _, _ = demo
    rows = query(
        folder / "ipwatch.db",
        "select m.company_id, m.party, m.role, m.status, c.docket_number, c.court, c.case_name,"
        " m.evidence from matches m join cases c on c.id = m.case_id where m.level = 'entity'",
    )
    assert len(rows) == 1, rows
    company, party, role, status, docket, court, caption, evidence = rows[0]
    assert (company, party, role, status) == (
        "HZ001",
        "TCL Technology Group Corp.",
        "defendant",
        "auto",
    )
    assert (docket, court) == ("6:22-cv-00217", "txwd")
    assert caption == "ARIGNA TECHNOLOGY LIMITED v. TCL Technology Group Corp. et al"
    assert "TCL Technology Group Corporation" in evidence  # which registry name matched
    assert first["matches"]["entity"] == 1


def test_notice_and_email_rendered_for_tcl(demo) -> None:
    folder, first, _, _ = demo
    notices = list((folder / "out" / "notices").glob("*HZ001*6_22-cv-00217.txt"))
    assert len(notices) == 1
    text = notices[0].read_text(encoding="utf-8")
    assert "惠州市市场监督管理局海外知识产权风险预警提示" in text
    assert "ARIGNA TECHNOLOGY LIMITED v. TCL Technology Group Corp. et al" in text
    emails = list((folder / "out" / "outbox").glob("*.eml"))
    assert [e.name for e in emails] == ["warning_usdc_txwd_6_22-cv-00217_HZ001_.eml"]
    assert first["warnings_queued"] == 1 and first["sent"] == 1
    assert Path(first["digest"]).exists()


def test_plaintiff_matches_are_enforcing_never_warned(demo) -> None:
    folder, _, _, _ = demo
    statuses = query(
        folder / "ipwatch.db", "select distinct status from matches where role = 'plaintiff'"
    )
    assert statuses == [("enforcing",)]
    warned = query(
        folder / "ipwatch.db",
        "select count(*) from outbox o join matches m on m.case_id = o.case_id"
        " and m.company_id = o.company_id where m.role = 'plaintiff' and o.kind = 'warning'",
    )
    assert warned == [(0,)]


def test_second_run_adds_nothing(demo) -> None:
    folder, _, second, after_first = demo
    assert {s["status"] for s in second["sources"].values()} == {"unchanged"}
    assert second["new_events"] == 0 and second["new_cases"] == 0 and second["matches"] == {}
    assert second["warnings_queued"] == 0 and second["sent"] == 0
    assert snapshot(folder / "ipwatch.db") == after_first
    assert len(list((folder / "out" / "outbox").glob("*.eml"))) == 1


def test_stage_times_in_summary_runs_table_and_status(demo) -> None:
    """Each stage's seconds are in the --json summary, the runs table and `status --json`."""
    folder, first, second, _ = demo
    stages = ["crawl", "parse", "extract", "match", "notify", "digest"]
    assert list(first["stages"]) == stages
    assert all(v >= 0 for v in first["stages"].values())
    # The first run parsed 12,009 items and matched 12,032 parties: neither takes no time.
    assert first["stages"]["parse"] > 0 and first["stages"]["match"] > 0
    assert first["stages"]["crawl"] > 0 and first["stages"]["extract"] > 0
    assert second["stages"]["parse"] < first["stages"]["parse"]  # unchanged feeds: head only
    rows = query(folder / "ipwatch.db", "select stages from runs where job = 'run' order by id")
    assert [json.loads(r[0]) for r in rows] == [first["stages"], second["stages"]]
    status = ipwatch("status", "--config", str(folder / "config.yaml"), "--json")
    jobs = {j["job"]: j for j in json.loads(status.stdout)["jobs"]}
    assert jobs["run"]["last_run"]["stages"] == second["stages"]
