"""The database schema as sqlite-utils migrations, applied in order by `open_db`."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("ipwatch")


@migrations()
def m001_initial(db: Database) -> None:
    """Every table of the first release."""
    db.table("sources").create(
        {
            "id": str,
            "kind": str,
            "url": str,
            "last_attempt": str,
            "last_success": str,
            "last_build_date": str,
            "last_changed": str,
            "items_seen": int,
            "new_items": int,
            "skipped": int,
            "consecutive_failures": int,
            "last_error": str,
            "status": str,
        },
        pk="id",
    )
    db.table("events").create(
        {
            "id": str,
            "source": str,
            "forum": str,
            "court": str,
            "docket_number": str,
            "case_id": str,
            "case_name": str,
            "event_types": str,  # JSON list
            "published": str,
            "link": str,
            "doc_number": str,
            "doc_url": str,
            "body": str,
            "parties": str,  # JSON list of [role, name, location]
            "retrieved_at": str,
            "extracted_at": str,
        },
        pk="id",
    )
    db.table("events").create_index(["extracted_at"])
    db.table("events").create_index(["case_id"])
    db.table("cases").create(
        {
            "id": str,
            "forum": str,
            "court": str,
            "docket_number": str,
            "case_name": str,
            "kind": str,  # ordinary | schedule_a | in_re
            "plaintiffs": str,  # JSON list
            "first_seen": str,
            "last_event": str,
            "link": str,
            "source": str,
        },
        pk="id",
    )
    db.table("parties").create(
        {"id": str, "case_id": str, "role": str, "name": str, "location": str, "source": str},
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
    )
    db.table("parties").create_index(["case_id"])
    db.table("companies").create(
        {
            "id": str,
            "name_zh": str,
            "name_en": str,
            "aliases": str,
            "district": str,
            "industry": str,
            "products": str,
            "parent_group": str,
            "notes": str,
            "contact_email": str,
        },
        pk="id",
    )
    db.table("matches").create(
        {
            "id": str,
            "case_id": str,
            "party_id": str,
            "party": str,
            "role": str,
            "company_id": str,
            "group_name": str,
            "level": str,
            "score": float,
            "matched_name": str,
            "evidence": str,  # JSON {feature: {score, detail}}
            "status": str,  # pending | confirmed | dismissed | auto | enforcing
            "reason": str,
            "reviewed_by": str,
            "reviewed_at": str,
            "created_at": str,
        },
        pk="id",
    )
    db.table("matches").create_index(["case_id"])
    db.table("matches").create_index(["level", "status"])
    db.table("notices").create(
        {
            "id": str,  # case_id|company_id
            "year": int,
            "seq": int,
            "number": str,  # 〔2022〕第1号
            "case_id": str,
            "company_id": str,
            "level": str,  # red | orange | yellow
            "created_at": str,
            "html_path": str,
            "text_path": str,
        },
        pk="id",
    )
    db.table("notices").create_index(["year", "seq"], unique=True)
    db.table("outbox").create(
        {
            "id": str,  # idempotency key: kind|case|company|event
            "kind": str,  # warning | update | digest
            "case_id": str,
            "company_id": str,
            "event_id": str,
            "recipients": str,  # JSON {to, cc, bcc}
            "subject": str,
            "message_id": str,
            "message": str,  # the full RFC 5322 message, rendered once
            "state": str,  # pending | held | sending | sent | failed
            "attempts": int,
            "last_error": str,
            "next_attempt": str,
            "created_at": str,
            "sent_at": str,
            "eml_path": str,
        },
        pk="id",
    )
    db.table("outbox").create_index(["state"])
    db.table("runs").create(
        {
            "id": int,
            "job": str,
            "started": str,
            "finished": str,
            "outcome": str,
            "summary": str,
        },
        pk="id",
    )


@migrations()
def m002_outbox_handoff(db: Database) -> None:
    """Outbox: when a message was handed to the SMTP server's DATA step (crash recovery)."""
    db.table("outbox").add_column("handed_at", str)


@migrations()
def m003_event_source_case_id(db: Database) -> None:
    """Events: the source's own case key (PACER case id), kept for linking re-crawled entries."""
    db.table("events").add_column("source_case_id", str)


@migrations()
def m004_api_requests(db: Database) -> None:
    """API request times per budget key, so separate crawl processes share one rate limit."""
    db.table("api_requests").create({"id": int, "budget": str, "at": float}, pk="id")
    db.table("api_requests").create_index(["budget", "at"])


@migrations()
def m005_decisions(db: Database) -> None:
    """Analyst decisions on matches: who confirmed or dismissed what, when and why."""
    db.table("decisions").create(
        {
            "id": int,
            "match_id": str,
            "party": str,
            "party_norm": str,  # canonical party text: a dismissal stops this pair matching again
            "company_id": str,  # or the group name for group-only matches
            "action": str,  # confirm | dismiss
            "reason": str,
            "variant": str,  # a confirmed new spelling added as a registry variant
            "decided_by": str,
            "decided_at": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db.table("decisions").create_index(["party_norm", "company_id"], if_not_exists=True)


@migrations()
def m090_audit_log(db: Database) -> None:
    """Audit log: who decided what, when and why (reviews, sign-off, registry, settings)."""
    db.table("audit_log").create(
        {
            "id": int,
            "at": str,
            "actor": str,
            "action": str,
            "target": str,
            "reason": str,
            "detail": str,  # JSON object
        },
        pk="id",
    )
    db.table("audit_log").create_index(["target"])
