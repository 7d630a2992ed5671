"""Matching many parties on forked workers gives the verdicts matching them one by one gives."""

from __future__ import annotations

import gc
import multiprocessing
import threading
from pathlib import Path

import feedparser
import pytest
from ops_support import in_fresh_process

from core.config import Matching
from matcher.match import Matcher
from matcher.match_pool import MatchPool
from matcher.parties import parse_caption
from matcher.registry import load_registry
from matcher.types import Party

TESTS = Path(__file__).parent
REGISTRY = TESTS.parent / "data" / "exporters.csv"
FEEDS = sorted((TESTS / "examples" / "pacer_rss").glob("*.xml"))


def _matcher() -> Matcher:
    return Matcher(load_registry(REGISTRY, Matching()), Matching())


def _parties() -> list[Party]:
    """Real captions' parties from the recorded court feeds, and the registry's own names
    as a court writes them (upper case, a Hong Kong affiliate, another city)."""
    names: list[str] = []
    for feed in FEEDS:
        for entry in feedparser.parse(feed.read_bytes()).entries:
            caption = parse_caption(entry.title)
            names += [*caption.plaintiffs, *caption.defendants]
    for company in load_registry(REGISTRY, Matching()).companies:
        if company.name_en:
            short = company.name_en.split(" Co")[0]
            names += [company.name_en.upper(), f"{short} (Hong Kong) Limited"]
            names.append(f"Shenzhen {short.removeprefix('Huizhou ')} Co., Ltd.")
    return [Party(n, "defendant") for n in dict.fromkeys(names)]


def _compare(queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """In a fresh process (no other thread, so the pool may fork): serial against forked."""
    parties = _parties()
    one_by_one = _matcher()
    serial = {p: one_by_one.match(p) for p in parties}
    half = len(parties) // 2
    with MatchPool(_matcher(), workers=2, min_parallel=10) as pool:
        parallel = pool.match_all(parties[:half])
        # A second batch goes to the same workers, though the pool's threads now run.
        parallel.update(pool.match_all(parties))
        forked = pool.forked
    tcl = Party("TCL TECHNOLOGY GROUP CORPORATION", "defendant")
    queue.put(
        {
            "parties": len(parties),
            "forked": forked,
            "same": parallel == serial,
            "levels": sorted({r.level for r in serial.values()}),
            "tcl": (parallel[tcl].level, parallel[tcl].company_id),
            "tcl_why": sorted(parallel[tcl].explanations),
        }
    )


def test_forked_workers_give_the_same_verdicts() -> None:
    found = in_fresh_process(_compare)
    assert found["parties"] > 100
    # Every party went to the workers (nothing was known before), each verdict as serial.
    assert found["forked"] == found["parties"]
    assert found["same"] is True
    assert {"entity", "group", "none"} <= set(found["levels"])
    assert found["tcl"] == ("entity", "HZ001")
    assert "registered_name" in found["tcl_why"]


def test_another_thread_keeps_matching_here() -> None:
    """Forking while another thread runs may copy a lock it holds: matched here instead."""
    parties = _parties()[:50]
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with MatchPool(_matcher(), workers=2, min_parallel=1) as pool:
            results = pool.match_all(parties)
            assert pool.forked == 0
    finally:
        stop.set()
        other.join()
    assert [r.party for r in results.values()] == parties


def test_few_parties_are_matched_here() -> None:
    parties = _parties()[:50]
    with MatchPool(_matcher(), workers=2, min_parallel=1_000) as pool:
        results = pool.match_all(parties + parties[:5])  # repeats are matched once
        assert pool.forked == 0
    assert list(results) == parties
    assert all(results[p].party == p for p in parties)


def test_one_core_is_matched_here() -> None:
    parties = _parties()[:50]
    with MatchPool(_matcher(), workers=1, min_parallel=1) as pool:
        pool.match_all(parties)
        assert pool.forked == 0


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_while_matching_then_as_it_was(enabled: bool) -> None:
    matcher, seen = _matcher(), []
    match = matcher.match
    matcher.match = lambda party: seen.append(gc.isenabled()) or match(party)  # type: ignore[method-assign]
    (gc.enable if enabled else gc.disable)()
    try:
        with MatchPool(matcher, workers=1) as pool:
            found = pool.match_all(_parties()[:5])
        assert seen == [False] * 5 and len(found) == 5
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def _extract_twice(folder: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """In a fresh process: the extract stage on the same events, one by one and forked."""
    from conftest import TESTS as CONF
    from event_examples import TXWD_TCL

    from core.config import load_config
    from core.store import open_db
    from matcher import extract
    from matcher.match import build_matcher

    # Real captions from the recorded feeds, each made a case of its own.
    captions = _titles()[:120]
    events = [
        {**TXWD_TCL, "id": f"t{i}", "docket_number": f"6:22-cv-{i:05d}", "case_name": caption}
        for i, caption in enumerate([TXWD_TCL["case_name"], *captions])
    ]
    found = {}
    for name, batch in (("serial", 10**9), ("forked", 2)):
        base = load_config(CONF / "config.test.yaml")
        cfg = base.model_copy(update={"database": f"{folder}/{name}.db"})
        db = open_db(cfg.path(cfg.database))
        db["events"].insert_all(events)
        extract.PARALLEL_BATCH = batch
        verdicts: list[extract._Verdicts] = []
        original = extract._Verdicts.__init__

        def keep(self: extract._Verdicts, matcher: Matcher, _o=original, _v=verdicts) -> None:
            _o(self, matcher)
            _v.append(self)

        extract._Verdicts.__init__ = keep  # type: ignore[method-assign]
        try:
            extract.extract_all(db, cfg, build_matcher(cfg, db))
        finally:
            extract._Verdicts.__init__ = original  # type: ignore[method-assign]
        rows = db.execute(
            "select party, role, company_id, level, score, matched_name, evidence from matches "
            "order by party, company_id"
        ).fetchall()
        found[name] = {"forked": verdicts[0].pool.forked, "matches": rows}
        db.close()
    queue.put(found)


def _titles() -> list[str]:
    return [e.title for feed in FEEDS for e in feedparser.parse(feed.read_bytes()).entries]


def test_the_extract_stage_matches_on_forked_workers(tmp_path: Path) -> None:
    found = in_fresh_process(_extract_twice, str(tmp_path))
    assert found["serial"]["forked"] == 0
    assert found["forked"]["forked"] > 20  # the batch's new parties went to the workers
    assert found["forked"]["matches"] == found["serial"]["matches"]
    tcl = [m for m in found["forked"]["matches"] if m[2] == "HZ001"]
    assert tcl and tcl[0][3] == "entity"


def test_only_a_bare_none_verdict_is_sent_as_a_marker() -> None:
    """Workers send None for a verdict equal to a bare "none"; anything else is sent whole."""
    import dataclasses

    from matcher.match_pool import _bare_none, _nothing
    from matcher.types import Evidence

    bare = _nothing(Party("Apex Beam, LLC"))
    assert _bare_none(bare)
    changed = {
        "level": "local",
        "score": 0.5,
        "company_id": "HZ001",
        "group": "TCL",
        "matched_name": "TCL Corp.",
        "matched_kind": "legal_en",
        "explanations": {"excluded": Evidence(0.0, "config.yaml matching.exclusions")},
        "runner_up": "HZ002",
        "derived": True,
        "tied": ("HZ002",),
    }
    # Every field but the party (the worker's own) is one that could differ.
    assert set(changed) == {f.name for f in dataclasses.fields(bare)} - {"party"}
    for field, value in changed.items():
        assert not _bare_none(dataclasses.replace(bare, **{field: value})), field
