"""ITC end to end: crawl Federal Register notices, extract and match, then EDIS for the same docket.

The notice texts are the fact-based ones under tests/examples/fr_itc/ (337-TA-1318 institution,
DN 3673 receipt); the EDIS rows of 337-3673 are real. Both sources file DN 3673 under one case.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from crawl_support import write_config
from pytest_httpserver import HTTPServer
from spider_support import EXAMPLES, edis_query, serve_fr, source, stored
from sqlite_utils import Database

from core.config import Config, load_config
from core.store import open_db
from crawlers.run import crawl
from matcher.extract import extract_all, sync_registry
from matcher.match import build_matcher

CASE_1318 = "itc:337-TA-1318"
CASE_3673 = "itc:DN-3673"


def _extract(cfg: Config) -> None:
    db = open_db(cfg.path(cfg.database))
    try:
        matcher = build_matcher(cfg, db)
        sync_registry(db, matcher.registry)
        extract_all(db, cfg, matcher)
    finally:
        db.close()


def _counts(db_path: Path) -> dict[str, int]:
    db = Database(db_path)
    try:
        return {t: db[t].count for t in ("events", "cases", "parties", "matches")}
    finally:
        db.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """fr_itc crawled and extracted; then edis; then both again. Snapshots after each step."""
    tmp = tmp_path_factory.mktemp("itc")
    base = load_config(Path(__file__).parent / "config.test.yaml")
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
        serve_fr(server, "/fr/api/v1", [["3673", "1318"]])
        server.expect_request(
            "/edis/data/document", query_string=edis_query("337-3673")
        ).respond_with_data(
            (EXAMPLES / "edis" / "documents-337-3673-2023.xml").read_bytes(),
            content_type="application/xml",
        )
        sources = [
            source("fr_itc", "fr_itc", server.url_for("/fr/api/v1/documents.json")),
            source(
                "edis",
                "edis",
                server.url_for("/edis/data/document"),
                options={"investigations": ["337-3673"]},
            ),
        ]
        tmp_cfg = base.model_copy(update={"database": str(tmp / "ipwatch.db")})
        path = write_config(tmp_cfg, tmp, sources, download_delay=0, retries=0, timeout=5)
        cfg = load_config(path)
        db_path = cfg.path(cfg.database)
        out: dict[str, Any] = {"db": db_path}
        out["crawl_fr"] = crawl(str(path), ["fr_itc"])
        _extract(cfg)
        out["after_fr"] = _counts(db_path)
        out["crawl_edis"] = crawl(str(path), ["edis"])
        _extract(cfg)
        out["after_edis"] = _counts(db_path)
        out["recrawl"] = crawl(str(path))
        _extract(cfg)
        out["after_recrawl"] = _counts(db_path)
        yield out
    finally:
        server.stop()


def _matches(world: dict[str, Any], case_id: str) -> dict[str, dict[str, Any]]:
    rows = stored(world["db"], "matches", "case_id = ?", [case_id])
    return {row["party"]: row for row in rows}


def test_fr_crawl_stored_both_notices(world: dict[str, Any]) -> None:
    """The Federal Register source stored the 337-TA-1318 institution and DN 3673 receipt."""
    fr = world["crawl_fr"]["fr_itc"]
    assert (fr.status, fr.items_seen, fr.new_items, fr.error) == ("ok", 2, 2, "")
    assert world["after_fr"]["events"] == 2


def test_1318_huizhou_respondents_are_entity_matches(world: dict[str, Any]) -> None:
    """TCL King (Huizhou) → HZ003 and TCL Technology Group → HZ001, as respondents, with place."""
    matches = _matches(world, CASE_1318)
    expected = {
        "TCL King Electrical Appliances (Huizhou) Co. Ltd.": "HZ003",
        "TCL Technology Group Corporation": "HZ001",
    }
    locations = {
        r["id"]: r["location"] for r in stored(world["db"], "parties", "case_id = ?", [CASE_1318])
    }
    for party, company in expected.items():
        row = matches[party]
        assert (row["company_id"], row["level"], row["role"]) == (company, "entity", "defendant")
        evidence = json.loads(row["evidence"])
        # The place came from "…, of Huizhou, Guangdong, China;" and is evidence of location.
        assert "'of Huizhou, Guangdong, China'" in evidence["huizhou_words"]["detail"], evidence
        assert locations[row["party_id"]] == "Huizhou, Guangdong, China"


def test_foreign_respondents_raise_nothing_at_entity_level(world: dict[str, Any]) -> None:
    """Realtek, the Mexican and the Vietnamese respondents are never entity matches."""
    matches = _matches(world, CASE_1318)
    for party in (
        "Realtek Semiconductor Corp.",
        "Manufacturas Avanzadas SA de CV",
        "TCL Electronics Mexico, S de RL de CV",
        "TCL Smart Device (Vietnam) Co., Ltd.",
    ):
        assert party not in matches or matches[party]["level"] != "entity", matches[party]
    assert "Realtek Semiconductor Corp." not in matches


def test_one_dispute_two_sources_one_case(world: dict[str, Any]) -> None:
    """DN 3673 from the Federal Register receipt notice and EDIS rows: one case, both sources."""
    edis = world["crawl_edis"]["edis"]
    assert (edis.status, edis.new_items) == ("ok", 3)
    cases = stored(world["db"], "cases", "id = ?", [CASE_3673])
    assert [(c["docket_number"], c["forum"]) for c in cases] == [("DN-3673", "itc")]
    events = stored(world["db"], "events", "case_id = ?", [CASE_3673])
    assert sorted({e["source"] for e in events}) == ["edis", "fr_itc"]
    assert len(events) == 4
    complainants = stored(world["db"], "parties", "case_id = ? and role = 'plaintiff'", [CASE_3673])
    assert [p["name"] for p in complainants] == ["Netgear Inc."]


def test_recrawl_adds_nothing(world: dict[str, Any]) -> None:
    """Crawling both sources again and extracting changes no count."""
    assert {k: (r.status, r.new_items) for k, r in world["recrawl"].items()} == {
        "fr_itc": ("ok", 0),
        "edis": ("ok", 0),
    }
    assert world["after_recrawl"] == world["after_edis"]
    assert world["after_edis"]["cases"] == world["after_fr"]["cases"]
