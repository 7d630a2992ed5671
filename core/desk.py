"""Read queries of the analysts' console: cases, matches, deliveries and registry companies."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from core.store import rows

PAGE = 50


def warning_cases(db: Database, limit: int = 500) -> list[dict[str, Any]]:
    """Cases with an active defendant entity match (their deadlines matter), newest first."""
    sql = """select m.case_id, min(m.company_id) as company_id, c.docket_number, c.case_name,
             c.forum, c.court, co.name_zh from matches m join cases c on c.id = m.case_id
             left join companies co on co.id = m.company_id
             where m.level = 'entity' and m.role in ('defendant', 'respondent')
             and m.status != 'dismissed' group by m.case_id order by c.first_seen desc limit ?"""
    return list(rows(db, sql, (limit,)))


def troubled_deliveries(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    """Messages that failed, are held for an analyst, or keep retrying."""
    sql = """select id, kind, case_id, company_id, subject, state, attempts, last_error,
             next_attempt, created_at from outbox
             where state in ('failed', 'held') or (state = 'pending' and attempts > 0)
             order by created_at desc, id limit ?"""
    return list(rows(db, sql, (limit,)))


def new_local_parties(db: Database, limit: int = 50) -> list[dict[str, Any]]:
    """Unregistered Huizhou companies (local level) still waiting for an analyst, newest first."""
    sql = """select m.id, m.party, m.case_id, m.created_at, c.docket_number, c.case_name, c.forum
             from matches m join cases c on c.id = m.case_id
             where m.level = 'local' and m.status = 'pending'
             order by m.created_at desc, m.id limit ?"""
    return list(rows(db, sql, (limit,)))


def search_text(q: str) -> str:
    """Search words as typed, without NULs or control characters (FTS5 reads a NUL as the end
    of the query, "unterminated string"), spaces collapsed."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in q).split())


def search_cases(
    db: Database, q: str = "", forum: str = "", page: int = 1
) -> tuple[list[dict[str, Any]], bool]:
    """Cases by docket number or caption text, latest activity first; (rows, more pages)."""
    where, params = [], []
    q = search_text(q)
    if q:
        # Captions through the full-text index (the words as a phrase); docket numbers by prefix.
        phrase = '"' + q.replace('"', '""') + '"'
        where.append(
            "(rowid in (select rowid from cases_fts where cases_fts match ?)"
            " or (docket_number >= ? and docket_number < ?))"
        )
        params += [phrase, q, q + "\uffff"]
    if forum:
        where.append("forum = ?")
        params.append(forum)
    clause = f"where {' and '.join(where)}" if where else ""
    sql = f"""select id, forum, court, docket_number, case_name, kind, first_seen, last_event
              from cases {clause} order by last_event desc, id desc limit ? offset ?"""
    found = list(rows(db, sql, (*params, PAGE + 1, (max(page, 1) - 1) * PAGE)))
    return found[:PAGE], len(found) > PAGE


def case_row(db: Database, case_id: str) -> dict[str, Any] | None:
    """One case as stored, or None."""
    found = list(rows(db, "select * from cases where id = ?", (case_id,)))
    return found[0] if found else None


def case_events(db: Database, case_id: str) -> list[dict[str, Any]]:
    """A case's events in time order."""
    sql = """select id, source, event_types, published, link, doc_number, doc_url, retrieved_at
             from events where case_id = ? order by published, id"""
    return list(rows(db, sql, (case_id,)))


def case_parties(db: Database, case_id: str) -> list[dict[str, Any]]:
    """A case's parties with their roles."""
    sql = "select role, name, location, source from parties where case_id = ? order by role, name"
    return list(rows(db, sql, (case_id,)))


def case_matches(db: Database, case_id: str) -> list[dict[str, Any]]:
    """A case's matches with their company names, best first."""
    sql = """select m.*, co.name_zh from matches m left join companies co on co.id = m.company_id
             where m.case_id = ? order by m.score desc, m.id"""
    return list(rows(db, sql, (case_id,)))


def case_messages(db: Database, case_id: str) -> list[dict[str, Any]]:
    """Messages queued about a case (no bodies)."""
    sql = """select id, kind, company_id, recipients, subject, state, attempts, sent_at,
             created_at, last_error from outbox where case_id = ? order by created_at, id"""
    return list(rows(db, sql, (case_id,)))


def related_by_docket(db: Database, case: dict[str, Any]) -> list[dict[str, Any]]:
    """Other cases of the same dispute: same caption or same docket in another court."""
    sql = """select id, forum, court, docket_number, case_name from cases
             where id != ? and (case_name = ? or docket_number = ?) order by id limit 20"""
    return list(rows(db, sql, (case["id"], case["case_name"], case["docket_number"])))


def outbox_log(db: Database, page: int = 1) -> tuple[list[dict[str, Any]], bool]:
    """What was queued and sent to whom and when, newest first; (rows, more pages)."""
    sql = """select id, kind, case_id, company_id, recipients, subject, state, attempts,
             created_at, sent_at, last_error from outbox order by created_at desc, id
             limit ? offset ?"""
    found = list(rows(db, sql, (PAGE + 1, (max(page, 1) - 1) * PAGE)))
    return found[:PAGE], len(found) > PAGE


def company_cases(db: Database, company_id: str) -> list[dict[str, Any]]:
    """Cases in which a company is matched, with role, level and review status."""
    sql = """select m.case_id, m.party, m.role, m.level, m.status, c.docket_number, c.case_name,
             c.forum from matches m join cases c on c.id = m.case_id
             where m.company_id = ? order by c.first_seen desc limit 200"""
    return list(rows(db, sql, (company_id,)))


def local_match(db: Database, match_id: str) -> dict[str, Any] | None:
    """A local-level match (an unregistered Huizhou party), or None."""
    found = list(rows(db, "select * from matches where id = ? and level = 'local'", (match_id,)))
    return found[0] if found else None
