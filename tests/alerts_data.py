"""Test data for the alerts stage: the real TCL W.D. Tex. case from the recorded 2022-12-06 feed."""

from __future__ import annotations

import csv
import html
import json
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
from expected import check_expected_text
from sqlite_utils import Database

from core.config import Config, LevelRule
from core.store import dumps

EXAMPLES = Path(__file__).parent / "examples" / "alerts"
REGISTRY = Path(__file__).parent.parent / "data" / "exporters.csv"
FEED = EXAMPLES / "txwd_2022-12-06_china_ip_excerpt.xml"

CASE_ID = "usdc:txwd:6:22-cv-00217"
CASE_NAME = "ARIGNA TECHNOLOGY LIMITED v. TCL Technology Group Corp. et al"
PARTY = "TCL Technology Group Corp."
EVIDENCE = {
    "alias_exact": {
        "score": 0.97,
        "detail": "'TCL Technology Group Corp.' is English name 'TCL Technology Group Corporation' "
        "with legal form abbreviated",
    }
}
# The notice is issued the morning after the capture (2022-12-07 09:30 in Huizhou).
NOW = datetime(2022, 12, 7, 1, 30, tzinfo=UTC)


def with_rules(cfg: Config, **alerts: object) -> Config:
    """The test config with the level rules of config.yaml (ITC or TRO red, courts orange)."""
    rules = [
        LevelRule(level="red", forums=["itc"]),
        LevelRule(
            level="red",
            events=[
                "tro",
                "tro_motion",
                "preliminary_injunction",
                "default",
                "default_motion",
                "default_judgment",
            ],
        ),
        LevelRule(level="orange", forums=["usdc", "upc"]),
    ]
    updated = cfg.alerts.model_copy(update={"notice_rules": rules, **alerts})
    return cfg.model_copy(update={"alerts": updated})


def tcl_feed_items() -> list[dict[str, str]]:
    """The TCL case's items as the recorded feed publishes them, parsed by feedparser."""
    parsed = feedparser.parse(FEED.read_bytes())
    build = parsedate_to_datetime(parsed.feed["updated"]).isoformat()
    items = []
    for entry in parsed.entries:
        if "TCL Technology" not in entry.title:
            continue
        desc = entry.description
        items.append(
            {
                "guid": entry.id,
                "title": entry.title,
                "link": entry.link,
                "published": parsedate_to_datetime(entry.published).isoformat(),
                "event": re.match(r"\[(.*?)\]", desc).group(1),  # type: ignore[union-attr]
                "doc_url": html.unescape(re.search(r'href="([^"]+)"', desc).group(1)),  # type: ignore[union-attr]
                "doc_number": re.search(r">(\d+)</a>", desc).group(1),  # type: ignore[union-attr]
                "retrieved_at": build,
            }
        )
    return items


def company_row(company_id: str, contact_email: str) -> dict[str, str]:
    """One registry row from data/exporters.csv with a test contact address."""
    with REGISTRY.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["id"] == company_id:
                return {**row, "contact_email": contact_email}
    raise LookupError(company_id)


def insert_tcl_case(
    db: Database,
    contact_email: str = "ip-legal@tcl.example.com",
    status: str = "auto",
    level: str = "entity",
    role: str = "defendant",
    case_name: str = CASE_NAME,
) -> dict[str, str]:
    """Store the TCL case, its real feed event, HZ001 and a defendant entity match."""
    item = tcl_feed_items()[0]
    db["cases"].insert(
        {
            "id": CASE_ID,
            "forum": "usdc",
            "court": "txwd",
            "docket_number": "6:22-cv-00217",
            "case_name": case_name,
            "kind": "ordinary",
            "plaintiffs": dumps(["ARIGNA TECHNOLOGY LIMITED"]),
            "first_seen": item["retrieved_at"],
            "last_event": item["published"],
            "link": item["link"],
            "source": "pacer_txwd",
        },
        pk="id",
    )
    db["events"].insert(
        {
            "id": f"pacer_txwd:{item['guid']}",
            "source": "pacer_txwd",
            "forum": "usdc",
            "court": "txwd",
            "docket_number": "6:22-cv-00217",
            "case_id": CASE_ID,
            "case_name": case_name,
            "event_types": json.dumps([item["event"]]),
            "published": item["published"],
            "link": item["link"],
            "doc_number": item["doc_number"],
            "doc_url": item["doc_url"],
            "body": "",
            "parties": "[]",
            "retrieved_at": item["retrieved_at"],
            "extracted_at": item["retrieved_at"],
        },
        pk="id",
    )
    db["companies"].insert(company_row("HZ001", contact_email), pk="id")
    db["matches"].insert(
        {
            "id": f"{CASE_ID}|{PARTY}|HZ001",
            "case_id": CASE_ID,
            "party_id": "",
            "party": PARTY,
            "role": role,
            "company_id": "HZ001",
            "group_name": "TCL",
            "level": level,
            "score": 0.97,
            "matched_name": "TCL Technology Group Corporation",
            "evidence": dumps(EVIDENCE),
            "status": status,
            "reason": "",
            "reviewed_by": "",
            "reviewed_at": "",
            "created_at": item["retrieved_at"],
        },
        pk="id",
    )
    return item


def add_event(db: Database, event_id: str, title: str, published: str, retrieved_at: str) -> None:
    """Add a later event to the TCL case (used to exercise update emails)."""
    db["events"].insert(
        {
            "id": event_id,
            "source": "pacer_txwd",
            "forum": "usdc",
            "court": "txwd",
            "docket_number": "6:22-cv-00217",
            "case_id": CASE_ID,
            "case_name": CASE_NAME,
            "event_types": json.dumps([title]),
            "published": published,
            "link": "",
            "doc_number": "",
            "doc_url": "",
            "body": "",
            "parties": "[]",
            "retrieved_at": retrieved_at,
            "extracted_at": retrieved_at,
        },
        pk="id",
    )


def check_golden(name: str, actual: str) -> None:
    """Compare with examples/alerts/<name>; a missing file fails (UPDATE_EXPECTED=1 writes)."""
    check_expected_text(actual, EXAMPLES / name)


VOLATILE = {"Date", "Message-ID"}


def scrubbed_eml(raw: bytes) -> str:
    """A stable, readable message: volatile headers and boundaries replaced, parts decoded."""
    import email
    import email.policy
    from email.header import decode_header, make_header

    # compat32 keeps raw header text, decoded here per RFC 2047 (adjacent encoded words join).
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    out: list[str] = []

    def walk(part, depth: int) -> None:  # type: ignore[no-untyped-def]
        for name, value in part.items():
            value = str(make_header(decode_header(value)))
            if name in VOLATILE:
                value = "<scrubbed>"
            elif name == "Content-Type" and part.is_multipart():
                value = f'{part.get_content_type()}; boundary="BOUNDARY-{depth}"'
            elif name == "Content-Transfer-Encoding":
                value = "8bit (decoded for review)"
            out.append(f"{name}: {value}")
        out.append("")
        if part.is_multipart():
            for sub in part.get_payload():
                out.append(f"--BOUNDARY-{depth}")
                walk(sub, depth + 1)
            out.append(f"--BOUNDARY-{depth}--")
        else:
            charset = part.get_content_charset() or "utf-8"
            out.append(part.get_payload(decode=True).decode(charset).rstrip("\n"))

    walk(msg, 0)
    return "\n".join(out) + "\n"


def insert_source_health(db: Database) -> None:
    """The pacer_txwd health row as the crawl stage records it after the 2022-12-06 capture."""
    db["sources"].insert(
        {
            "id": "pacer_txwd",
            "kind": "pacer_rss",
            "url": "https://ecf.txwd.uscourts.gov/cgi-bin/rss_outside.pl",
            "last_attempt": "2022-12-06T14:14:05+00:00",
            "last_success": "2022-12-06T14:14:05+00:00",
            "last_build_date": "2022-12-06T14:14:01+00:00",
            "last_changed": "2022-12-06T14:14:05+00:00",
            "items_seen": 48,
            "new_items": 48,
            "skipped": 0,
            "consecutive_failures": 0,
            "last_error": "",
            "status": "ok",
        },
        pk="id",
    )
