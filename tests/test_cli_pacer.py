"""`ipwatch sources add-courts`, `ipwatch sources` entry types, `ipwatch pacer spend/estimate`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import yaml
from click.testing import CliRunner
from ops_support import REPO, write_config

from core import ledger
from core.config import load_config
from core.court_feeds import IP_HEAVY, district_feeds
from core.store import open_db
from ipwatch.cli import cli


def _invoke(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_add_courts_all_covers_every_district_feed_and_check_config_accepts(
    tmp_path: Path,
) -> None:
    path = write_config(tmp_path, courts=("txwd",))
    result = _invoke("sources", "add-courts", "--all", "--write", "--config", str(path))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    sources = [s for s in load_config(path).sources if s.kind == "pacer_rss"]
    feeds = district_feeds()
    # PACER's list gives 80 district courts an rss_url; EDNY's readyDockets.pl makes 81.
    assert len(feeds) == 81
    assert sorted(s.court for s in sources) == sorted(f.court for f in feeds)
    by_court = {s.court: s for s in sources}
    assert by_court["nyed"].url == "https://ecf.nyed.uscourts.gov/cgi-bin/readyDockets.pl"
    assert by_court["iand"].url == "https://ecf.iand.uscourts.gov//cgi-bin/rss_outside.pl"
    assert {c for c, s in by_court.items() if s.enabled} == set(IP_HEAVY)
    assert by_court["txwd"].url.startswith("http://127.0.0.1")  # the existing entry is kept
    checked = _invoke("check-config", "--config", str(path))
    assert checked.exit_code == 0, checked.output  # type: ignore[attr-defined]
    again = _invoke("sources", "add-courts", "--all", "--write", "--config", str(path))
    assert "nothing to add" in again.output  # type: ignore[attr-defined]


def test_add_named_courts_prints_enabled_entries(tmp_path: Path) -> None:
    path = write_config(tmp_path, courts=("txwd",))
    result = _invoke("sources", "add-courts", "njd", "txwd", "--config", str(path))
    assert result.exit_code == 0  # type: ignore[attr-defined]
    entries = yaml.safe_load(result.stdout)  # type: ignore[attr-defined]
    assert entries == [
        {"id": "pacer_njd", "kind": "pacer_rss", "court": "njd",
         "url": "https://ecf.njd.uscourts.gov/cgi-bin/rss_outside.pl"}
    ]  # fmt: skip
    assert "already configured: txwd" in result.output  # type: ignore[attr-defined]
    bad = CliRunner().invoke(cli, ["sources", "add-courts", "gand", "--config", str(path)])
    assert bad.exit_code == 1
    assert bad.output.startswith("Error: no district-court feed in PACER's court list for: gand")


def test_shipped_config_lists_every_court_and_enables_the_ip_heavy_ones() -> None:
    cfg = load_config(REPO / "config.yaml")
    pacer = {s.court: s.enabled for s in cfg.sources if s.kind == "pacer_rss"}
    assert set(pacer) == {f.court for f in district_feeds()}
    assert {c for c, on in pacer.items() if on} == set(IP_HEAVY)


def test_sources_shows_the_entry_types_a_feed_published(tmp_path: Path) -> None:
    path = write_config(tmp_path, courts=("ilnd",))
    db = open_db(tmp_path / "ipwatch.db")
    db["sources"].insert({"id": "pacer_ilnd", "kind": "pacer_rss", "status": "ok"})
    for i, types in enumerate((["Order on Motion for TRO"], ["Complaint"], ["MOTION for TRO"])):
        row = {"id": f"e{i}", "source": "pacer_ilnd", "event_types": json.dumps(types)}
        db["events"].insert(row)
    db.close()
    result = _invoke("sources", "--json", "--config", str(path))
    [row] = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert row["entry_types"] == "cmp,motion,order (3 types)"


def test_pacer_spend_shows_receipts_and_refusals(tmp_path: Path) -> None:
    path = write_config(tmp_path, pacer={"username": "u", "password_env": "X",
                                          "monthly_budget_usd": 5.0})  # fmt: skip
    db = open_db(tmp_path / "ipwatch.db")
    now = datetime.now(UTC)
    ledger.record(
        db,
        now,
        court="txwd",
        case_id="c1",
        docket_number="6:22-cv-01247",
        outcome="bought",
        pages=7,
        cost=0.7,
        reason="parties-only docket report",
    )
    ledger.record(db, now, court="cacd", case_id="c2", docket_number="2:22-cv-08818",
                  outcome="refused", pages=0, cost=0.0, reason="budget")  # fmt: skip
    db.close()
    result = _invoke("pacer", "spend", "--json", "--config", str(path))
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert (data["month_usd"], data["bought"], data["refused"]) == (0.7, 1, 1)
    assert data["can_buy_now"] is True and data["budget_usd"] == 5.0
    assert [r["docket_number"] for r in data["ledger"]] == ["2:22-cv-08818", "6:22-cv-01247"]
    table = _invoke("pacer", "spend", "--config", str(path))
    assert "$0.70 / 预算 budget $5.00" in table.output  # type: ignore[attr-defined]


def test_estimate_on_the_demo_feeds(tmp_path: Path) -> None:
    path = write_config(tmp_path)
    samples = str(REPO / "data" / "samples" / "pacer_2022-12-06")
    dockets = str(REPO / "tests" / "examples" / "pacer_dockets")
    result = _invoke("pacer", "estimate", "--samples", samples, "--dockets", dockets,
                     "--json", "--config", str(path))  # fmt: skip
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert (data["feeds"], data["ip_cases"], data["to_buy"]) == (8, 94, 14)
    # The count: 36 cases with AO 120/121 report forms, 13 of them hiding defendants.
    assert (data["report_form_cases"], data["report_form_hidden"]) == (36, 13)
    # Receipts of the recorded reports, in file order: cacd, ded, ilnd, njd, nysd, txed, edited.
    assert data["receipts"] == [0.4, 0.3, 1.7, 1.7, 1.0, 0.7, 0.7]
    assert data["cost_usd"] == 13.0 and data["cap_usd"] == 42.0
    dockets_bought = {(c["court"], c["docket"]) for c in data["cases"]}
    assert ("txwd", "6:22-cv-01247") in dockets_bought
    assert ("cacd", "2:22-cv-01578") not in dockets_bought  # a copyright case being closed
