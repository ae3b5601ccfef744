"""Accounts, roles and logins for an app bound to an address other than localhost.

Takes a :class:`~engine.app.store.Store`; gives :func:`add_account`,
:func:`log_in` (a login token, or :class:`LoginError`), :func:`account_of`
(the account behind a token) and :func:`log_out`.

Passwords are hashed with Argon2id (argon2-cffi). Login tokens are random
and kept only as their SHA-256, so a copy of the database opens no
session; each login carries its own CSRF token, which every form posts
back. After :data:`MAX_FAILURES` wrong passwords in a row an account is
locked for :data:`LOCK_MINUTES`. An unknown name and a wrong password get
the same message, and take the same time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from engine.app.store import Store, StoreError, accounts_table, logins_table
from engine.errors import message

__all__ = [
    "LOCK_MINUTES",
    "MAX_FAILURES",
    "ROLES",
    "Account",
    "LoginError",
    "account_of",
    "add_account",
    "log_in",
    "log_out",
]

ROLES = ("viewer", "member", "secretariat")  # each may do what the ones before it may
MAX_FAILURES = 5
LOCK_MINUTES = 15
LOGIN_HOURS = 12
MIN_PASSWORD = 10
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("not a password of anyone")


class LoginError(StoreError):
    """A login refused: wrong name or password, or the account is locked (``locked``)."""

    def __init__(self, message: str, locked: bool = False) -> None:
        super().__init__(message)
        self.locked = locked


@dataclass(frozen=True)
class Account:
    """A logged-in account: who, with which role, and the CSRF token of this login."""

    name: str
    role: str
    csrf: str

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_account(store: Store, name: str, role: str, password: str) -> None:
    """Create an account, or set the role and password of an existing one."""
    if role not in ROLES:
        raise StoreError(message("account_unknown_role", role=role, allowed=", ".join(ROLES)))
    if not name.strip() or len(name) > 128:
        raise StoreError(message("account_name_length", most=128))
    if len(password) < MIN_PASSWORD:
        raise StoreError(message("account_password_length", least=MIN_PASSWORD))
    values = {"role": role, "password_hash": _HASHER.hash(password), "failures": 0}
    with store.engine.begin() as conn:
        done = conn.execute(
            sa.update(accounts_table).where(accounts_table.c.name == name).values(**values)
        )
        if done.rowcount == 0:
            conn.execute(sa.insert(accounts_table).values(name=name, **values))


def has_accounts(store: Store) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(accounts_table)).scalar_one() > 0


def log_in(store: Store, name: str, password: str) -> str:
    """A new login token for ``name``, or :class:`LoginError`.

    A failure is committed before the error is raised: the count that locks
    an account must survive the refusal.
    """
    now = _now()
    with store.engine.begin() as conn:
        row = conn.execute(sa.select(accounts_table).where(accounts_table.c.name == name)).first()
        refusal = _check(conn, row, name, password, now)
        token = secrets.token_urlsafe(32)
        if refusal is None:
            conn.execute(
                sa.insert(logins_table).values(
                    token_sha256=_digest(token),
                    name=name,
                    csrf=secrets.token_urlsafe(32),
                    expires_at=(now + dt.timedelta(hours=LOGIN_HOURS)).isoformat(),
                )
            )
    if refusal is not None:
        raise LoginError(refusal, locked="locked" in refusal)
    return token


def _check(
    conn: sa.Connection, row: sa.Row | None, name: str, password: str, now: dt.datetime
) -> str | None:
    """Why the login is refused (None: it is not), with the account's failure count updated."""
    if row is None:
        _verify(_DUMMY, password)  # the same time as for a known name
        return "wrong name or password"
    m = row._mapping
    if m["locked_until"] and dt.datetime.fromisoformat(m["locked_until"]) > now:
        return f"too many wrong passwords; the account is locked for {LOCK_MINUTES} minutes"
    ok = _verify(m["password_hash"], password)
    failures = 0 if ok else m["failures"] + 1
    locked = None
    if failures >= MAX_FAILURES:
        failures, locked = 0, (now + dt.timedelta(minutes=LOCK_MINUTES)).isoformat()
    conn.execute(
        sa.update(accounts_table)
        .where(accounts_table.c.name == name)
        .values(failures=failures, locked_until=locked)
    )
    return None if ok else "wrong name or password"


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def account_of(store: Store, token: str) -> Account | None:
    """The account logged in with ``token``, if the login is still valid."""
    if not token:
        return None
    with store.engine.connect() as conn:
        row = conn.execute(
            sa.select(logins_table.c.csrf, logins_table.c.expires_at, accounts_table.c.name,
                      accounts_table.c.role)
            .join(accounts_table, accounts_table.c.name == logins_table.c.name)
            .where(logins_table.c.token_sha256 == _digest(token))
        ).first()  # fmt: skip
    if row is None or dt.datetime.fromisoformat(row.expires_at) <= _now():
        return None
    return Account(row.name, row.role, row.csrf)


def log_out(store: Store, token: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.delete(logins_table).where(logins_table.c.token_sha256 == _digest(token)))
