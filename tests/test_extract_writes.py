"""The extract stage's set-based writes: the case search follows captions only, new cases reach
the search index in one statement per batch, and a party seen again is matched once."""

from __future__ import annotations

import json

import pytest
from event_examples import TXWD_TCL
from sqlite_utils import Database

from core.config import Config
from core.desk import search_cases
from core.schema_console import m190_case_search_on_caption
from matcher import extract
from matcher.extract import extract_all, sync_registry
from matcher.match import build_matcher

# Real 2022-12-06 items (data/samples/pacer_2022-12-06/): TXWD's ARIGNA v. TCL, and two
# criminal cases of the EDTX feed (ecf.txed.rss.xml) whose plaintiff is "USA".
TCL = TXWD_TCL
CRIMINAL = {
    **TCL,
    "id": "pacer_txed:209575:686",
    "source": "pacer_txed",
    "court": "txed",
    "docket_number": "4:21-cr-00254",
    "case_name": "USA v. Dejesus-Rivera, et al",
    "event_types": json.dumps(["Factual Resume/Basis"]),
    "published": "2022-12-06T21:22:09+00:00",
    "link": "https://ecf.txed.uscourts.gov/cgi-bin/DktRpt.pl?209575",
}
LEWIS = {
    **CRIMINAL,
    "id": "pacer_txed:213058:332",
    "docket_number": "5:22-cr-00004",
    "case_name": "USA v. LEWIS ET AL.",
    "event_types": json.dumps(["Order to Continue - Ends of Justice"]),
    "published": "2022-12-06T21:18:26+00:00",
    "link": "https://ecf.txed.uscourts.gov/cgi-bin/DktRpt.pl?213058",
}


def fts_pages(db: Database) -> list[tuple[int, bytes]]:
    """The search index's stored segments, to see whether a statement rewrote them."""
    return [tuple(r) for r in db.execute("select id, block from cases_fts_data order by id")]


@pytest.fixture
def matcher(cfg: Config, db: Database):  # type: ignore[no-untyped-def]
    built = build_matcher(cfg, db)
    sync_registry(db, built.registry)
    return built


def test_a_new_last_event_leaves_the_search_index_alone(db: Database) -> None:
    """Only a caption change rewrites the case's entry in the full-text index."""
    db["cases"].insert({"id": "c1", "case_name": "Arigna Technology v. TCL", "last_event": "a"})
    before = fts_pages(db)
    db.execute("update cases set last_event = 'b' where id = 'c1'")
    assert fts_pages(db) == before
    assert [c["id"] for c in search_cases(db, "TCL")[0]] == ["c1"]
    db.execute("update cases set case_name = 'Arigna Technology v. Hisense' where id = 'c1'")
    assert search_cases(db, "TCL")[0] == []
    assert [c["id"] for c in search_cases(db, "Hisense")[0]] == ["c1"]


def test_the_migration_replaces_the_trigger_of_every_update(db: Database) -> None:
    """A database from before m190 (trigger on any update) gets the caption-only trigger."""
    db.execute("drop trigger cases_au")
    db["cases"].enable_fts(["case_name"], create_triggers=True, replace=True)
    old = db.execute("select sql from sqlite_master where name = 'cases_au'").fetchone()[0]
    assert "AFTER UPDATE ON" in old
    m190_case_search_on_caption(db)
    new = db.execute("select sql from sqlite_master where name = 'cases_au'").fetchone()[0]
    assert "after update of case_name on cases" in new
    m190_case_search_on_caption(db)  # twice is harmless: the trigger is replaced once
    assert db.execute("select count(*) from sqlite_master where name = 'cases_au'").fetchone() == (
        1,
    )


def test_new_cases_of_a_batch_are_searchable(cfg: Config, db: Database, matcher) -> None:
    """Cases written in one statement per batch reach the search index, in extract order."""
    db["events"].insert_all([TCL, CRIMINAL])
    result = extract_all(db, cfg, matcher)
    assert (result.events, result.new_cases) == (2, 2)
    order = [r[0] for r in db.execute("select id from cases order by rowid")]
    assert order == ["usdc:txwd:6:22-cv-00217", "usdc:txed:4:21-cr-00254"]  # (published, id)
    assert [c["id"] for c in search_cases(db, "Dejesus-Rivera")[0]] == ["usdc:txed:4:21-cr-00254"]
    assert [c["id"] for c in search_cases(db, "TCL Technology")[0]] == ["usdc:txwd:6:22-cv-00217"]
    assert db.execute("select count(*) from temp.extract_new_cases").fetchone() == (0,)
    assert db.execute("insert into cases_fts(cases_fts) values('integrity-check')").rowcount


def test_a_party_named_again_is_matched_once(
    cfg: Config, db: Database, matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'USA' in two criminal cases: two party rows, one call to the matcher, same verdict."""
    calls: list[str] = []
    original = matcher.match

    def counting(party):  # type: ignore[no-untyped-def]
        calls.append(party.raw)
        return original(party)

    monkeypatch.setattr(matcher, "match", counting)
    db["events"].insert_all([CRIMINAL, LEWIS])
    result = extract_all(db, cfg, matcher)
    assert result.new_parties == 4
    assert sorted(calls) == ["Dejesus-Rivera", "LEWIS", "USA"]
    usa = [r[0] for r in db.execute("select case_id from parties where name = 'USA' order by 1")]
    assert usa == ["usdc:txed:4:21-cr-00254", "usdc:txed:5:22-cr-00004"]


def test_writes_commit_every_few_batches(
    cfg: Config, db: Database, matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of 1 event, 4 per commit: 5 events give 2 commits and five cases."""
    monkeypatch.setattr(extract, "BATCH", 1)
    # Five filings shaped like CRIMINAL, each its own case (docket numbers made up).
    events = [
        {**CRIMINAL, "id": f"pacer_txed:2114{i}:1", "docket_number": f"4:22-cr-0014{i}",
         "published": f"2022-12-06T15:0{i}:00+00:00"}
        for i in range(5)
    ]  # fmt: skip
    db["events"].insert_all(events)
    commits: list[str] = []
    db.conn.set_trace_callback(lambda sql: commits.append(sql) if sql == "COMMIT" else None)
    result = extract_all(db, cfg, matcher)
    db.conn.set_trace_callback(None)
    assert (result.events, result.new_cases, len(commits)) == (5, 5, 2)
    assert db.execute("select count(*) from events where extracted_at is null").fetchone() == (0,)
