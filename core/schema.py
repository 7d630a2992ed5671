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


@migrations()
def m120_source_refused(db: Database) -> None:
    """Sources: how many requests the host/scheme allowlist refused in the last crawl."""
    db.table("sources").add_column("refused", int)


@migrations()
def m121_run_error(db: Database) -> None:
    """Runs: why a cycle stopped (a registry that cannot be read, a database error)."""
    db.table("runs").add_column("error", str)


@migrations()
def m140_match_derived(db: Database) -> None:
    """Matches made only through English derived from a Chinese legal name (never auto-sent)."""
    db.table("matches").add_column("derived", int, not_null_default=0)


@migrations()
def m130_registry(db: Database) -> None:
    """The registry in the database: typed names, contacts, change history, imported files."""
    companies = db.table("companies")
    for column in ("uscc", "address", "source", "updated_at", "removed_at"):
        if column not in companies.columns_dict:
            companies.add_column(column, str)
    companies.create_index(["uscc"], if_not_exists=True)
    db.table("company_names").create(
        {
            "id": int,
            "company_id": str,
            "text": str,
            "kind": str,  # zh_legal | zh_former | en_official | en_variant | transliteration | …
            "source": str,  # the file it came from, or analyst | review:<match> | link
            "reason": str,
            "added_by": str,
            "added_at": str,
            "removed_at": str,  # soft delete: the row stays as history
            "removed_by": str,
            "removed_reason": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db.table("company_names").create_index(["company_id", "removed_at"], if_not_exists=True)
    db.table("company_contacts").create(
        {
            "id": int,
            "company_id": str,
            "name": str,
            "email": str,
            "phone": str,
            "source": str,
            "added_at": str,
            "removed_at": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db.table("company_contacts").create_index(["company_id"], if_not_exists=True)
    db.table("registry_history").create(
        {
            "id": int,
            "at": str,
            "actor": str,
            "company_id": str,
            "action": str,  # added | changed | removed | restored | name_added | name_removed | …
            "field": str,
            "old": str,
            "new": str,
            "source": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db.table("registry_history").create_index(["company_id"], if_not_exists=True)
    db.table("registry_files").create(
        {
            "path": str,
            "sha256": str,
            "imported_at": str,
            "companies": int,
            "errors": str,  # JSON list of the bad rows, shown again on every run until fixed
        },
        pk="path",
        if_not_exists=True,
    )
    # Spellings confirmed before the registry moved into the database become names with history.
    if "decisions" in db.table_names():
        for row in db.query(
            "select company_id, variant, decided_by, decided_at, match_id from decisions"
            " where variant != '' and action = 'confirm'"
        ):
            db.table("company_names").insert(
                {
                    "company_id": row["company_id"],
                    "text": row["variant"],
                    "kind": "en_variant",
                    "source": f"review:{row['match_id']}",
                    "reason": "confirmed in review",
                    "added_by": row["decided_by"],
                    "added_at": row["decided_at"],
                    "removed_at": "",
                    "removed_by": "",
                    "removed_reason": "",
                }
            )


@migrations()
def m150_notice_signoff(db: Database) -> None:
    """Notices: draft → submitted → signed → sent, returned, corrections and withdrawals."""
    table = db.table("notices")
    columns: dict[str, type] = {
        "kind": str,  # notice | correction | withdrawal
        "references_id": str,  # the first notice a correction or withdrawal refers to
        "status": str,  # draft | submitted | returned | signed | sent | withdrawn | held
        "title": str,
        "risk_text": str,  # 风险研判, one statement per line, editable until signed
        "advice_text": str,  # 应对建议, one statement per line
        "note": str,  # 更正说明 / 撤回理由
        "changes": str,  # JSON: what a correction changes
        "match_id": str,
        "forum": str,
        "issued": str,  # the date printed on the notice (signing day, bureau time zone)
        "created_by": str,
        "updated_at": str,
        "submitted_by": str,
        "submitted_at": str,
        "signed_by": str,
        "signed_at": str,
        "returned_by": str,
        "returned_at": str,
        "return_comment": str,
        "sent_at": str,
        "outbox_id": str,
        "pdf_path": str,
        "pdf_note": str,  # why no PDF copy was attached, when none was
    }
    for name, kind in columns.items():
        table.add_column(name, kind)
    # Notices numbered before sign-off existed were issued at once: they count as signed.
    db.execute(
        "update notices set kind = 'notice', status = 'signed', references_id = '', "
        "signed_by = 'system', signed_at = created_at, outbox_id = "
        "'warning|' || case_id || '|' || company_id || '|' where status is null"
    )
    db.execute(
        "update notices set status = 'sent', sent_at = (select o.sent_at from outbox o "
        "where o.id = notices.outbox_id) where status = 'signed' and exists (select 1 from "
        "outbox o where o.id = notices.outbox_id and o.state = 'sent')"
    )
    table.create_index(["status"], if_not_exists=True)
    table.create_index(["case_id"], if_not_exists=True)
