"""Fixtures of the app's tests: one loaded demo round per test session, a fresh store per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.app.live import LiveRound
from engine.app.store import Store
from engine.app.web import create_app

DEMO = Path(__file__).resolve().parents[3] / "scenarios" / "demo.yaml"


@pytest.fixture(scope="session")
def demo_round() -> LiveRound:
    return LiveRound(DEMO)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'sessions.db'}")
    yield s
    s.dispose()


@pytest.fixture
def client(store: Store, demo_round: LiveRound):
    from starlette.testclient import TestClient

    app = create_app(store, DEMO)
    app.state.talenta.add_round(demo_round)
    with TestClient(app, follow_redirects=True) as c:
        yield c
