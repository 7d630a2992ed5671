"""Console accounts: names, roles and argon2 password hashes; login attempts for throttling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

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

    @property
    def role_zh(self) -> str:
        """The role's Chinese name."""
        return ROLES_ZH.get(self.role, self.role)


def add_user(db: Database, name: str, role: str, password: str) -> User:
    """Create an account, or reset an existing account's role and password."""
    name = name.strip()
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise UserError(f"user name {name!r}: 1–64 characters, no spaces")
    if role not in ROLES:
        raise UserError(f"role {role!r}: must be one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise UserError("password: at least 10 characters")
    user = User(name, role, now_iso())
    db.table("users").upsert(
        {
            "name": name,
            "role": role,
            "password_hash": _hasher.hash(password),
            "created_at": user.created_at,
            "disabled": 0,
        },
        pk="name",
    )
    return user


def get_user(db: Database, name: str) -> User | None:
    """The enabled account with this name, or None."""
    for row in rows(db, "select * from users where name = ? and disabled = 0", (name,)):
        return User(row["name"], row["role"], row["created_at"], bool(row["disabled"]))
    return None


def list_users(db: Database) -> list[User]:
    """Every account, by name."""
    return [
        User(r["name"], r["role"], r["created_at"], bool(r["disabled"]))
        for r in rows(db, "select * from users order by name")
    ]


def check_password(db: Database, name: str, password: str) -> User | None:
    """The account when the password is right; None otherwise (same cost either way)."""
    found = list(rows(db, "select * from users where name = ? and disabled = 0", (name,)))
    stored = found[0]["password_hash"] if found else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    return get_user(db, name) if found else None


def record_attempt(db: Database, name: str, address: str, ok: bool) -> None:
    """Remember one login attempt (kept for throttling and for the operator)."""
    db.table("login_attempts").insert(
        {"name": name, "address": address, "at": now_iso(), "ok": 1 if ok else 0}
    )


def recent_failures(db: Database, name: str, address: str, minutes: int) -> int:
    """Failed logins for this name or from this address within the last `minutes`."""
    since = (datetime.now(UTC) - timedelta(minutes=minutes)).replace(microsecond=0).isoformat()
    sql = """select count(*) as n from login_attempts where ok = 0 and at > ?
             and (name = ? or address = ?)"""
    return int(next(iter(rows(db, sql, (since, name, address))))["n"])
