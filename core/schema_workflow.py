"""Schema changes after the first release: safety counters, the registry, notice sign-off,
party lists and the PACER ledger, known feed items and stage times. They register on the one
`core.schema.migrations` list after the first release's, in this order."""

from __future__ import annotations

from sqlite_utils import Database

from core.schema import migrations


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


@migrations()
def m170_party_lists(db: Database) -> None:
    """Party lists of new IP cases: wanted, fetched (CourtListener or PACER) and merged."""
    db.table("party_lists").create(
        {
            "case_id": str,
            "court": str,
            "docket_number": str,
            "pacer_case_id": str,  # from the feed's DktRpt link (never followed by the crawler)
            "caption": str,
            "reason": str,  # why the case counts as a new IP case whose caption hides defendants
            "status": str,  # wanted | fetched | merged | failed
            "source": str,  # courtlistener | pacer
            "parties": str,  # JSON list of {name, type, role, terminated, details}
            "report": str,  # JSON {docket_number, case_name, nature_of_suit, cause, date_filed}
            "requested_at": str,
            "fetched_at": str,
            "merged_at": str,
            "error": str,
        },
        pk="case_id",
    )
    db.table("party_lists").create_index(["status"])


@migrations()
def m171_pacer_purchases(db: Database) -> None:
    """Ledger of PACER docket reports: purchases with the receipt's pages and cost, refusals."""
    db.table("pacer_purchases").create(
        {
            "id": int,
            "at": str,
            "month": str,  # YYYY-MM (UTC), for the monthly budget
            "quarter": str,  # YYYY-Qn, for PACER's $30 fee waiver
            "court": str,
            "case_id": str,
            "docket_number": str,
            "pacer_case_id": str,
            "outcome": str,  # bought | refused | error
            "pages": int,  # billable pages from the receipt
            "cost": float,  # USD from the receipt; null when no receipt could be read
            "reason": str,
            "receipt": str,  # JSON of the receipt's fields as printed
        },
        pk="id",
    )
    db.table("pacer_purchases").create_index(["month"])
    db.table("pacer_purchases").create_index(["case_id"])


@migrations()
def m172_party_details(db: Database) -> None:
    """Parties: the role as the docket states it, termination date and stated details."""
    db.table("parties").add_column("docket_role", str)
    db.table("parties").add_column("terminated", str)
    db.table("parties").add_column("details", str)


@migrations()
def m180_feed_items(db: Database) -> None:
    """Feed items already read, by content hash per source: a re-poll skips them unparsed."""
    db.table("feed_items").create(
        {"source": str, "key": str, "seen_at": str}, pk=("source", "key"), if_not_exists=True
    )
    db.table("feed_items").create_index(["seen_at"], if_not_exists=True)


@migrations()
def m181_stage_times(db: Database) -> None:
    """Per-stage seconds of a run (crawl, parse, extract, match, notify, digest), and of parsing
    per source; a partial index keeps the extract queue off the whole events table."""
    db.table("runs").add_column("stages", str)  # JSON {stage: seconds}
    db.table("sources").add_column("parse_seconds", float)
    db.execute(
        "create index if not exists events_pending on events (published, id) "
        "where extracted_at is null"
    )
