"""Fixtures of the app's tests: one loaded demo round per test session, a fresh store per test.

Stores run on SQLite, and on PostgreSQL too when ``TALENTA_TEST_POSTGRES_URL``
names a server (.ci/run starts one with .ci/postgres); each test gets a
database of its own.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from engine.app.live import LiveRound
from engine.app.store import Store
from engine.app.web import create_app
from engine.plan.pipeline import build_plan

DEMO = Path(__file__).resolve().parents[3] / "scenarios" / "demo.yaml"


@pytest.fixture(scope="session")
def demo_round() -> LiveRound:
    return LiveRound(DEMO)


@functools.cache
def shortlists() -> dict:
    """The demo plan's priced shortlists as ``talenta plan`` makes them: what the app's post
    pages must agree with (the app loads its round without them)."""
    return build_plan(DEMO).record.shortlists


POSTGRES = os.environ.get("TALENTA_TEST_POSTGRES_URL", "")


def database(kind: str, tmp_path: Path) -> Iterator[str]:
    """A fresh database of ``kind`` (sqlite or postgresql), as a URL; dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'sessions.db'}"
        return
    if not POSTGRES:
        pytest.skip("no PostgreSQL server (TALENTA_TEST_POSTGRES_URL unset): SQLite only here")
    name = f"talenta_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    yield sa.make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from database(request.param, tmp_path)


@pytest.fixture
def store(db_url: str) -> Store:
    s = Store(db_url)
    yield s
    s.dispose()


@pytest.fixture
def client(store: Store, demo_round: LiveRound):
    from starlette.testclient import TestClient

    app = create_app(store, DEMO)
    app.state.talenta.add_round(demo_round)
    with TestClient(app, follow_redirects=True) as c:
        yield c
