"""Console accounts: names, roles, argon2 password hashes and session generations; login
attempts for throttling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlite_utils import Database

from core.store import now_iso, rows

ROLES = ("analyst", "approver", "admin")
ROLES_ZH = {"analyst": "分析员", "approver": "审核签发人", "admin": "管理员"}
_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class UserError(Exception):
    """An account cannot be created or changed (bad role, short password, unknown name)."""


@dataclass(frozen=True)
class User:
    """One console account."""

    name: str
    role: str
    created_at: str
    disabled: bool = False
    epoch: int = 0  # the session generation: sessions of an older one are refused

    @property
    def role_zh(self) -> str:
        """The role's Chinese name."""
        return ROLES_ZH.get(self.role, self.role)


def add_user(db: Database, name: str, role: str, password: str) -> User:
    """Create an account, or reset an existing account's role and password (its sessions end)."""
    name = name.strip()
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise UserError(f"user name {name!r}: 1–64 characters, no spaces")
    if role not in ROLES:
        raise UserError(f"role {role!r}: must be one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise UserError("password: at least 10 characters")
    hashed = _hasher.hash(password)
    with db.conn:
        found = _row(db, name)
        if found is None:
            db.table("users").insert(
                {"name": name, "role": role, "password_hash": hashed, "created_at": now_iso(),
                 "disabled": 0, "session_epoch": 0}
            )  # fmt: skip
        else:
            # A reset keeps a disabled account disabled; only `users enable` lets it in again.
            db.execute(
                "update users set role = ?, password_hash = ?, session_epoch = session_epoch + 1"
                " where name = ?",
                (role, hashed, name),
            )
    found = _row(db, name)
    assert found is not None
    return _user(found)


def _row(db: Database, name: str) -> dict[str, Any] | None:
    for row in rows(db, "select * from users where name = ?", (name,)):
        return row
    return None


def _user(row: dict[str, Any]) -> User:
    return User(row["name"], row["role"], row["created_at"], bool(row["disabled"]),
                int(row["session_epoch"] or 0))  # fmt: skip


def set_disabled(db: Database, name: str, disabled: bool) -> User:
    """Disable an account (its sessions end, it cannot log in) or enable it again."""
    with db.conn:
        if _row(db, name) is None:
            raise UserError(f"user name {name!r}: no such account")
        db.execute(
            "update users set disabled = ?, session_epoch = session_epoch + 1 where name = ?",
            (1 if disabled else 0, name),
        )
    found = _row(db, name)
    assert found is not None
    return _user(found)


def end_sessions(db: Database, name: str) -> None:
    """End every session of the account (logout): its session generation moves on."""
    with db.conn:
        db.execute("update users set session_epoch = session_epoch + 1 where name = ?", (name,))


def get_user(db: Database, name: str) -> User | None:
    """The enabled account with this name, or None."""
    found = _row(db, name)
    return _user(found) if found and not found["disabled"] else None


def list_users(db: Database) -> list[User]:
    """Every account, by name."""
    return [_user(r) for r in rows(db, "select * from users order by name")]


def check_password(db: Database, name: str, password: str) -> User | None:
    """The account when the password is right; None otherwise (same cost either way)."""
    found = list(rows(db, "select * from users where name = ? and disabled = 0", (name,)))
    stored = found[0]["password_hash"] if found else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    return get_user(db, name) if found else None


def claim_attempt(db: Database, name: str, address: str, limit: int, minutes: int) -> int | None:
    """Record a login attempt before its password is checked; None when the name or address
    already has `limit` failed or unfinished attempts within the last `minutes`."""
    since = (datetime.now(UTC) - timedelta(minutes=minutes)).replace(microsecond=0).isoformat()
    # One write transaction (BEGIN IMMEDIATE) counts and records together, so parallel
    # requests queue here and at most `limit` passwords are ever checked per window.
    conn = db.conn
    conn.execute("begin immediate")
    try:
        sql = """select count(*) from login_attempts where ok = 0 and at > ?
                 and (name = ? or address = ?)"""
        if conn.execute(sql, (since, name, address)).fetchone()[0] >= limit:
            conn.rollback()
            return None
        done = conn.execute(
            "insert into login_attempts (name, address, at, ok) values (?, ?, ?, 0)",
            (name, address, now_iso()),
        )
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return int(done.lastrowid or 0)


def attempt_succeeded(db: Database, attempt_id: int) -> None:
    """Mark a claimed attempt as a successful login (it no longer counts as a failure)."""
    with db.conn:
        db.execute("update login_attempts set ok = 1 where id = ?", (attempt_id,))


def recent_failures(db: Database, name: str, address: str, minutes: int) -> int:
    """Failed logins for this name or from this address within the last `minutes`."""
    since = (datetime.now(UTC) - timedelta(minutes=minutes)).replace(microsecond=0).isoformat()
    sql = """select count(*) as n from login_attempts where ok = 0 and at > ?
             and (name = ? or address = ?)"""
    return int(next(iter(rows(db, sql, (since, name, address))))["n"])
