"""The extract stage: events become cases, parties and matches; one case per dispute."""

from __future__ import annotations

import json

import pytest
from event_examples import TXWD_TCL
from sqlite_utils import Database

from core.config import Config
from matcher.extract import case_key, extract_all, gate_status, scope_key, sync_registry
from matcher.match import build_matcher
from matcher.types import MatchResult, Party

SCOPE = (
    "Wi-Fi Routers, Wi-Fi Devices, Mesh Wi-Fi Network Devices, "
    "and Hardware and Software Components Thereof"
)


HUIZHOU = "Huizhou, Guangdong, China"


def _itc(event_id: str, docket: str, title: str, kinds: list[str], parties: list) -> dict:
    return {
        **TXWD_TCL, "id": event_id, "source": event_id.split(":")[0], "forum": "itc", "court": "",
        "docket_number": docket, "case_name": title, "event_types": json.dumps(kinds),
        "parties": json.dumps(parties), "link": "",
    }  # fmt: skip


@pytest.fixture
def matcher(cfg: Config, db: Database):  # type: ignore[no-untyped-def]
    built = build_matcher(cfg, db)
    sync_registry(db, built.registry)
    return built


def test_case_key_per_forum() -> None:
    assert case_key(TXWD_TCL) == "usdc:txwd:6:22-cv-00217"
    assert case_key({**TXWD_TCL, "forum": "itc", "docket_number": "DN-3673"}) == "itc:DN-3673"
    assert (
        case_key({**TXWD_TCL, "forum": "news", "docket_number": ""})
        == "news:pacer_txwd:1163853:185"
    )


def test_scope_key_ignores_certain_and_punctuation() -> None:
    assert scope_key(f"Certain {SCOPE}") == scope_key(SCOPE.upper())
    assert scope_key("Certain Smart Televisions") != scope_key("Certain Smart Phones")


@pytest.mark.parametrize(
    ("role", "level", "score", "expected"),
    [
        ("defendant", "entity", 0.97, "auto"),
        ("defendant", "entity", 0.90, "pending"),  # below auto_send_min_score: analyst confirms
        ("defendant", "group", 1.0, "pending"),  # never auto-sent below entity
        ("plaintiff", "entity", 1.0, "enforcing"),  # asserting its rights: recorded, never warned
    ],
)
def test_gate_status(cfg: Config, role: str, level: str, score: float, expected: str) -> None:
    result = MatchResult(party=Party("X", role), level=level, score=score, company_id="HZ001")  # type: ignore[arg-type]
    assert gate_status(cfg, result) == expected


def test_caption_parties_are_matched_once(cfg: Config, db: Database, matcher) -> None:
    db["events"].insert(TXWD_TCL)
    first = extract_all(db, cfg, matcher)
    assert (first.events, first.new_cases, first.levels) == (1, 1, {"entity": 1})
    roles = {(r["role"], r["name"]) for r in db["parties"].rows}
    assert roles == {
        ("plaintiff", "ARIGNA TECHNOLOGY LIMITED"),
        ("defendant", "TCL Technology Group Corp."),
    }
    match = next(db["matches"].rows)
    assert (match["company_id"], match["status"]) == ("HZ001", "auto")
    assert "TCL Technology Group Corporation" in match["evidence"]
    # A later docket entry of the same case adds an event but no case, party or match.
    db["events"].insert({**TXWD_TCL, "id": "pacer_txwd:1163853:186", "event_types": '["Order"]'})
    second = extract_all(db, cfg, matcher)
    assert (second.events, second.new_cases, second.new_parties, second.levels) == (1, 0, 0, {})
    assert db["matches"].count == 1


def test_receipt_and_institution_are_one_case(cfg: Config, db: Database, matcher) -> None:
    """DN-3673 (receipt, FR), 337-3673 (EDIS) and 337-TA-9999 (institution) join by scope."""
    receipt = _itc("fr_itc:2023-1", "DN-3673", f"Certain {SCOPE}", ["Receipt of Complaint"],
                   [["plaintiff", "Netgear, Inc.", "San Jose, California"]])  # fmt: skip
    edis = _itc(
        "edis:800001", "DN-3673", SCOPE, ["Complaint"], [["plaintiff", "Netgear, Inc.", ""]]
    )
    institution = _itc(
        "fr_itc:2023-2", "337-TA-9999", f"Certain {SCOPE}", ["Institution of Investigation"],
        [["defendant", "TCL King Electrical Appliances (Huizhou) Co. Ltd.", HUIZHOU]],
    )  # fmt: skip
    db["events"].insert_all(
        [receipt, edis, {**institution, "published": "2023-08-01T00:00:00+00:00"}]
    )
    extract_all(db, cfg, matcher)
    cases = list(db["cases"].rows)
    assert [(c["id"], c["docket_number"]) for c in cases] == [("itc:DN-3673", "337-TA-9999")]
    assert {e["case_id"] for e in db["events"].rows} == {"itc:DN-3673"}
    entity = [m for m in db["matches"].rows if m["level"] == "entity"]
    assert [(m["company_id"], m["case_id"]) for m in entity] == [("HZ003", "itc:DN-3673")]
    # A later determination in the instituted investigation finds the same case by its number.
    later = replace_event(institution, id="fr_itc:2024-9", event_types='["Final Determination"]')
    db["events"].insert(later)
    extract_all(db, cfg, matcher)
    assert db["cases"].count == 1 and db["events"].get("fr_itc:2024-9")["case_id"] == "itc:DN-3673"


def replace_event(event: dict, **changes: str) -> dict:
    """A copy of an event row with some columns changed."""
    return {**event, **changes}


def test_unrelated_institution_gets_its_own_case(cfg: Config, db: Database, matcher) -> None:
    db["events"].insert(
        _itc("fr_itc:2023-1", "DN-3673", f"Certain {SCOPE}", ["Receipt of Complaint"], [])
    )
    db["events"].insert(
        _itc("fr_itc:2023-3", "337-TA-1420", "Certain Smart Televisions", ["Institution"], [])
    )
    extract_all(db, cfg, matcher)
    assert sorted(c["id"] for c in db["cases"].rows) == ["itc:337-TA-1420", "itc:DN-3673"]
