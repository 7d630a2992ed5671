"""Schema changes of the web console and of scale: console accounts, saved matching settings,
decision batches, the console's indexes and case search, the registry mirror's digest, the
registry's version and the accounts' session generations.
They register on the one `core.schema.migrations` list after core/schema_workflow.py's, in this
order (see core/store.py)."""

from __future__ import annotations

from sqlite_utils import Database

import core.schema_workflow  # noqa: F401  (registers first: these follow it)
from core.schema import migrations


@migrations()
def m160_console_users(db: Database) -> None:
    """Console accounts (argon2 hashes, roles) and login attempts for throttling."""
    db.table("users").create(
        {
            "name": str,
            "role": str,  # analyst | approver | admin
            "password_hash": str,
            "created_at": str,
            "disabled": int,
        },
        pk="name",
    )
    db.table("login_attempts").create(
        {"id": int, "name": str, "address": str, "at": str, "ok": int}, pk="id"
    )
    db.table("login_attempts").create_index(["at"])


@migrations()
def m161_match_settings(db: Database) -> None:
    """Matching settings saved in the console: each version whole, with who and why."""
    db.table("match_settings").create(
        {"id": int, "at": str, "actor": str, "reason": str, "settings": str}, pk="id"
    )


@migrations()
def m162_decision_batches(db: Database) -> None:
    """Decisions taken together in the console share a batch id, so one undo reverts them."""
    db.table("decisions").add_column("batch", str)
    db.table("decisions").add_column("reason_code", str)
    db.table("decisions").add_column("level_before", str)
    db.table("decisions").create_index(["batch"])


@migrations()
def m163_console_indexes(db: Database) -> None:
    """Indexes for the console's pages on a nationwide day (bench/console_bench.py)."""
    db.table("cases").create_index(["last_event", "id"], if_not_exists=True)
    db.table("cases").create_index(["docket_number"], if_not_exists=True)
    db.table("cases").create_index(["case_name"], if_not_exists=True)
    db.table("matches").create_index(["company_id"], if_not_exists=True)
    db.table("outbox").create_index(["case_id"], if_not_exists=True)
    db.table("outbox").create_index(["created_at"], if_not_exists=True)


@migrations()
def m164_case_search(db: Database) -> None:
    """Full-text index of case captions, kept current by triggers, for the console's case search."""
    db.table("cases").enable_fts(["case_name"], create_triggers=True, replace=True)


@migrations()
def m190_case_search_on_caption(db: Database) -> None:
    """The case search follows caption changes only: a new last_event no longer rewrites it."""
    # sqlite-utils' trigger fires on every update of a case; each such update deleted and
    # re-inserted the caption in the full-text index, flushing and merging its segments once
    # per row (a third of the extract stage's CPU on a nationwide day).
    if "cases_au" not in {t.name for t in db.triggers}:
        return
    db.execute("drop trigger cases_au")
    db.execute(
        "create trigger cases_au after update of case_name on cases begin\n"
        "  insert into cases_fts (cases_fts, rowid, case_name) "
        "values('delete', old.rowid, old.case_name);\n"
        "  insert into cases_fts (rowid, case_name) values (new.rowid, new.case_name);\n"
        "end"
    )


@migrations()
def m191_registry_mirror(db: Database) -> None:
    """What the companies table last mirrored: the registry's digest (matcher/extract.py), so a
    cycle whose registry is unchanged writes none of its rows again."""
    db.table("registry_mirror").create({"id": int, "digest": str, "at": str}, pk="id")


# Every write to what the matcher's registry is read from gives the registry a new version.
_REGISTRY_TABLES = ("companies", "company_names", "company_contacts")


@migrations()
def m192_registry_version(db: Database) -> None:
    """A token replaced by every write to the companies, their names or contacts, so a cycle
    can tell in one read whether the registry it packed last is still current."""
    db.table("registry_version").create({"id": int, "token": str}, pk="id")
    db.execute("insert into registry_version (id, token) values (1, lower(hex(randomblob(8))))")
    for table in _REGISTRY_TABLES:
        for event in ("insert", "update", "delete"):
            db.execute(
                f"create trigger if not exists {table}_{event}_version after {event} on {table} "
                "begin update registry_version set token = lower(hex(randomblob(8))) "
                "where id = 1; end"
            )


@migrations()
def m193_session_epoch(db: Database) -> None:
    """Each account's session generation: logout, a password reset or disabling moves it on, and
    the console refuses any session signed with an older one."""
    db.table("users").add_column("session_epoch", int, not_null_default=0)
