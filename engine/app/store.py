"""Sessions, decision events and closing documents, stored through SQLAlchemy Core.

Takes a database URL (``sqlite:///path`` by default, ``postgresql://...``
given one) and gives :class:`Store`. SQLite runs in WAL mode with full
sync, so a confirmed decision survives a killed process. Every write is
one transaction. The schema is versioned: :data:`MIGRATIONS` are applied in
order and the version reached is kept in the ``meta`` table.

Decisions are events, never updated or deleted: a revision is a new event.
Each session carries a version number; a write names the version it was
made on and is refused with :class:`ConflictError` when another write came
first (optimistic concurrency: two browsers never overwrite each other).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from engine.errors import TalentaError, message

__all__ = [
    "MIGRATIONS",
    "ORDER_MODES",
    "ClosedError",
    "Comment",
    "ConflictError",
    "Event",
    "NoSessionError",
    "PostOrder",
    "SessionRow",
    "Store",
    "StoreError",
]

DECISION_KINDS = ("accept", "choose", "exclude", "defer", "reopen", "lift")

metadata = sa.MetaData()
meta_table = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
sessions_table = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scenario", sa.Text, nullable=False),
    sa.Column("scenario_name", sa.Text, nullable=False),
    sa.Column("inputs_sha256", sa.Text, nullable=False),
    sa.Column("opened_at", sa.Text, nullable=False),
    sa.Column("opened_by", sa.Text, nullable=False),
    sa.Column("parent_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("closed_at", sa.Text, nullable=True),
    sa.Column("closed_by", sa.Text, nullable=True),
    sa.Column("closing", sa.Text, nullable=True),
)
events_table = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("jabatan_id", sa.Text, nullable=False),
    sa.Column("nip", sa.Text, nullable=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("price", sa.Float, nullable=True),
    sa.Column("displaced", sa.Text, nullable=False),
    sa.UniqueConstraint("session_id", "version"),
)
outputs_table = sa.Table(
    "outputs",
    metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("content", sa.LargeBinary, nullable=False),
)


accounts_table = sa.Table(
    "accounts",
    metadata,
    sa.Column("name", sa.String(128), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("locked_until", sa.Text, nullable=True),
)
logins_table = sa.Table(
    "logins",
    metadata,
    sa.Column("token_sha256", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(128), sa.ForeignKey("accounts.name"), nullable=False),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("expires_at", sa.Text, nullable=False),
)


comments_table = sa.Table(
    "comments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("jabatan_id", sa.Text, nullable=False),
    sa.Column("nip", sa.Text, nullable=True),
    sa.Column("text", sa.Text, nullable=False),
)
orders_table = sa.Table(
    "post_orders",
    metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), primary_key=True),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("manual", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("user", sa.Text, nullable=False),
)


def _migration_1(conn: Connection) -> None:
    """Sessions, events and outputs."""
    for table in (sessions_table, events_table, outputs_table):
        table.create(conn, checkfirst=True)


def _migration_2(conn: Connection) -> None:
    """Accounts and logins, for an app bound to an address other than localhost."""
    for table in (accounts_table, logins_table):
        table.create(conn, checkfirst=True)


def _migration_3(conn: Connection) -> None:
    """Members' comments, and the order in which the committee goes through the posts."""
    for table in (comments_table, orders_table):
        table.create(conn, checkfirst=True)


# Schema versions in order; a new version appends a function, never edits one.
MIGRATIONS: list[Callable[[Connection], None]] = [_migration_1, _migration_2, _migration_3]


class StoreError(TalentaError):
    """A session cannot be written as asked (closed, unknown)."""


class ClosedError(StoreError):
    """The session is closed: minuted and locked."""

    def __init__(self, session_id: int) -> None:
        self.session_id = session_id
        super().__init__(f"session {session_id} is closed; re-open it as a new session")


class NoSessionError(StoreError):
    """There is no session of that number."""

    def __init__(self, session_id: int) -> None:
        self.session_id = session_id
        super().__init__(f"there is no session {session_id}")


class ConflictError(StoreError):
    """Another write reached the session first; the caller's view is out of date."""

    def __init__(self, current: int, given: int) -> None:
        self.current, self.given = current, given
        super().__init__(
            f"the session was changed by someone else (now version {current}, the form was "
            f"made on version {given}); reload the page and decide again"
        )


@dataclass(frozen=True)
class Event:
    """One decision event: what was decided on which post, by whom, when and why."""

    id: int
    session_id: int
    version: int
    at: str
    user: str
    kind: str
    jabatan_id: str
    nip: str | None
    reason: str
    price: float | None
    displaced: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Comment:
    """A comment on a post (and optionally on one person for it): kept as written, never edited."""

    id: int
    session_id: int
    at: str
    user: str
    jabatan_id: str
    nip: str | None
    text: str


ORDER_MODES = ("unit", "level", "status", "manual")


@dataclass(frozen=True)
class PostOrder:
    """How a session's posts are gone through: a mode, and the manual order when it is manual."""

    mode: str = "unit"
    manual: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionRow:
    """A session: the scenario and inputs it was opened on, its version, and whether it is closed."""

    id: int
    scenario: str
    scenario_name: str
    inputs_sha256: dict[str, str]
    opened_at: str
    opened_by: str
    parent_id: int | None
    version: int
    closed_at: str | None
    closed_by: str | None
    closing: dict[str, Any] | None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


def now() -> str:
    """The current time, UTC, ISO to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


class Store:
    """The app's storage; every method is one transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = sa.create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self.migrate()

    def migrate(self) -> int:
        """Apply the migrations this database has not seen; return the schema version."""
        with self.engine.begin() as conn:
            meta_table.create(conn, checkfirst=True)
            row = conn.execute(
                sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
            ).first()
            version = int(row[0]) if row else 0
        for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.engine.begin() as conn:
                step(conn)
                conn.execute(sa.delete(meta_table).where(meta_table.c.key == "schema_version"))
                conn.execute(sa.insert(meta_table).values(key="schema_version", value=str(number)))
        return len(MIGRATIONS)

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
                ).scalar_one()
            )

    def open_session(
        self,
        scenario: str,
        scenario_name: str,
        inputs_sha256: dict[str, str],
        user: str,
        parent_id: int | None = None,
    ) -> int:
        """A new session at version 0; returns its id."""
        with self.engine.begin() as conn:
            if parent_id is not None:
                parent = self._session(conn, parent_id)
                if not parent.closed:
                    raise StoreError(message("store_session_open", session=parent_id))
            result = conn.execute(
                sa.insert(sessions_table).values(
                    scenario=scenario,
                    scenario_name=scenario_name,
                    inputs_sha256=json.dumps(inputs_sha256, sort_keys=True),
                    opened_at=now(),
                    opened_by=user,
                    parent_id=parent_id,
                    version=0,
                )
            )
            return int(result.inserted_primary_key[0])

    def session(self, session_id: int) -> SessionRow:
        with self.engine.connect() as conn:
            return self._session(conn, session_id)

    def sessions(self) -> list[SessionRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(sessions_table).order_by(sessions_table.c.id.desc()))
            return [_session_row(r) for r in rows]

    def _session(self, conn: Connection, session_id: int) -> SessionRow:
        row = conn.execute(
            sa.select(sessions_table).where(sessions_table.c.id == session_id)
        ).first()
        if row is None:
            raise NoSessionError(session_id)
        return _session_row(row)

    def _bump(self, conn: Connection, session_id: int, expected: int) -> int:
        """Move the session from ``expected`` to the next version, or refuse."""
        current = self._session(conn, session_id)
        if current.closed:
            raise ClosedError(session_id)
        done = conn.execute(
            sa.update(sessions_table)
            .where(sessions_table.c.id == session_id, sessions_table.c.version == expected)
            .values(version=expected + 1)
        )
        if done.rowcount != 1:
            raise ConflictError(current.version, expected)
        return expected + 1

    def record(
        self,
        session_id: int,
        expected_version: int,
        *,
        user: str,
        kind: str,
        jabatan_id: str,
        nip: str | None,
        reason: str,
        price: float | None,
        displaced: list[dict[str, Any]],
    ) -> Event:
        """Append one decision event, if the session is still at ``expected_version``."""
        if kind not in DECISION_KINDS:
            raise StoreError(
                message("store_unknown_decision", kind=kind, allowed=", ".join(DECISION_KINDS))
            )
        with self.engine.begin() as conn:
            version = self._bump(conn, session_id, expected_version)
            values = {
                "session_id": session_id,
                "version": version,
                "at": now(),
                "user": user,
                "kind": kind,
                "jabatan_id": jabatan_id,
                "nip": nip,
                "reason": reason,
                "price": price,
                "displaced": json.dumps(displaced, ensure_ascii=False),
            }
            result = conn.execute(sa.insert(events_table).values(**values))
            values["displaced"] = displaced
            return Event(id=int(result.inserted_primary_key[0]), **values)

    def events(self, session_id: int) -> list[Event]:
        """Every event of the session, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(events_table)
                .where(events_table.c.session_id == session_id)
                .order_by(events_table.c.version)
            )
            return [_event(r) for r in rows]

    def close(
        self,
        session_id: int,
        expected_version: int,
        user: str,
        closing: dict[str, Any],
        outputs: dict[str, bytes],
    ) -> None:
        """Lock the session and keep its documents, in one transaction."""
        with self.engine.begin() as conn:
            version = self._bump(conn, session_id, expected_version)
            conn.execute(
                sa.update(sessions_table)
                .where(sessions_table.c.id == session_id)
                .values(
                    closed_at=now(),
                    closed_by=user,
                    closing=json.dumps(closing, ensure_ascii=False),
                    version=version,
                )
            )
            for name, content in outputs.items():
                conn.execute(
                    sa.insert(outputs_table).values(
                        session_id=session_id, name=name, content=content
                    )
                )

    def comment(
        self, session_id: int, *, user: str, jabatan_id: str, nip: str | None, text: str
    ) -> Comment:
        """Append a comment; an open session only (a closed one is minuted and locked).

        A comment does not move the session's version: it changes no
        decision, so it never makes another browser's form stale.
        """
        if not text.strip():
            raise StoreError(message("store_comment_empty"))
        with self.engine.begin() as conn:
            if self._session(conn, session_id).closed:
                raise ClosedError(session_id)
            values = {
                "session_id": session_id,
                "at": now(),
                "user": user,
                "jabatan_id": jabatan_id,
                "nip": nip,
                "text": text,
            }
            result = conn.execute(sa.insert(comments_table).values(**values))
            return Comment(id=int(result.inserted_primary_key[0]), **values)

    def comments(self, session_id: int, jabatan_id: str | None = None) -> list[Comment]:
        """The session's comments (on one post, given ``jabatan_id``), oldest first."""
        query = sa.select(comments_table).where(comments_table.c.session_id == session_id)
        if jabatan_id is not None:
            query = query.where(comments_table.c.jabatan_id == jabatan_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(comments_table.c.id))
            return [Comment(**dict(r._mapping)) for r in rows]

    def set_order(self, session_id: int, order: PostOrder, user: str) -> None:
        """Keep the order in which the session's posts are gone through (replacing the last)."""
        if order.mode not in ORDER_MODES:
            raise StoreError(
                message("store_unknown_order", mode=order.mode, allowed=", ".join(ORDER_MODES))
            )
        values = {"mode": order.mode, "manual": json.dumps(list(order.manual)), "at": now(),
                  "user": user}  # fmt: skip
        with self.engine.begin() as conn:
            if self._session(conn, session_id).closed:
                raise ClosedError(session_id)
            done = conn.execute(
                sa.update(orders_table)
                .where(orders_table.c.session_id == session_id)
                .values(**values)
            )
            if done.rowcount == 0:
                conn.execute(sa.insert(orders_table).values(session_id=session_id, **values))

    def order(self, session_id: int) -> PostOrder:
        """The order kept for the session; by unit when none was set."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(orders_table.c.mode, orders_table.c.manual).where(
                    orders_table.c.session_id == session_id
                )
            ).first()
        return PostOrder(row[0], tuple(json.loads(row[1]))) if row else PostOrder()

    def output_names(self, session_id: int) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(outputs_table.c.name)
                .where(outputs_table.c.session_id == session_id)
                .order_by(outputs_table.c.name)
            )
            return [r[0] for r in rows]

    def output(self, session_id: int, name: str) -> bytes | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(outputs_table.c.content).where(
                    outputs_table.c.session_id == session_id, outputs_table.c.name == name
                )
            ).first()
            return bytes(row[0]) if row else None

    def dispose(self) -> None:
        self.engine.dispose()


def _session_row(row: Any) -> SessionRow:
    m = row._mapping
    return SessionRow(
        id=m["id"],
        scenario=m["scenario"],
        scenario_name=m["scenario_name"],
        inputs_sha256=json.loads(m["inputs_sha256"]),
        opened_at=m["opened_at"],
        opened_by=m["opened_by"],
        parent_id=m["parent_id"],
        version=m["version"],
        closed_at=m["closed_at"],
        closed_by=m["closed_by"],
        closing=json.loads(m["closing"]) if m["closing"] else None,
    )


def _event(row: Any) -> Event:
    m = dict(row._mapping)
    m["displaced"] = json.loads(m["displaced"])
    return Event(**m)


def database_url(db: str) -> str:
    """A database URL from ``--db``: a URL as given, a file path as SQLite."""
    if "://" in db:
        return db
    return f"sqlite:///{db}"
