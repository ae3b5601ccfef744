"""The session store: migrations, events, optimistic concurrency, closing, and a killed writer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from engine.app.decisions import DecisionError, fold, proposed_key
from engine.app.store import MIGRATIONS, ConflictError, Store, StoreError

HASHES = {"scenario": "ab" * 32}


def _decide(store: Store, sid: int, version: int, kind: str = "choose", nip: str = "1") -> None:
    store.record(
        sid, version, user="u", kind=kind, jabatan_id="P1", nip=nip, reason="r", price=1.5,
        displaced=[{"nip": "2", "nama": "B", "before": "X", "after": "Y"}],
    )  # fmt: skip


def test_a_new_database_is_migrated_to_the_latest_schema(store: Store) -> None:
    assert store.schema_version() == len(MIGRATIONS)
    assert store.migrate() == len(MIGRATIONS)  # a second run changes nothing


def test_events_are_kept_in_order_and_revisions_add_events(store: Store) -> None:
    sid = store.open_session("s.yaml", "demo", HASHES, "sekretariat")
    _decide(store, sid, 0, "choose", "1")
    _decide(store, sid, 1, "reopen", None)
    _decide(store, sid, 2, "exclude", "3")
    events = store.events(sid)
    assert [e.kind for e in events] == ["choose", "reopen", "exclude"]
    assert [e.version for e in events] == [1, 2, 3]
    assert events[0].displaced[0]["after"] == "Y"
    inforce = fold(events)
    assert inforce.status("P1") == "open"
    assert inforce.pins() == [] and inforce.bans() == [("3", "P1")]
    assert store.session(sid).inputs_sha256 == HASHES


def test_a_write_on_a_stale_version_is_refused(store: Store) -> None:
    sid = store.open_session("s.yaml", "demo", HASHES, "u")
    _decide(store, sid, 0)
    with pytest.raises(ConflictError, match="changed by someone else"):
        _decide(store, sid, 0)
    assert len(store.events(sid)) == 1


def test_two_writers_on_one_version_one_wins(store: Store) -> None:
    sid = store.open_session("s.yaml", "demo", HASHES, "u")
    outcomes: list[str] = []

    def write() -> None:
        try:
            _decide(store, sid, 0)
            outcomes.append("ok")
        except ConflictError:
            outcomes.append("refused")

    threads = [threading.Thread(target=write) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert store.session(sid).version == 1


def test_a_closed_session_is_locked_and_reopens_only_as_a_child(store: Store) -> None:
    sid = store.open_session("s.yaml", "demo", HASHES, "u")
    with pytest.raises(StoreError, match="still open"):
        store.open_session("s.yaml", "demo", HASHES, "u", parent_id=sid)
    store.close(sid, 0, "u", {"members": ["A"]}, {"x.html": b"<p>x</p>"})
    with pytest.raises(StoreError, match="closed"):
        _decide(store, sid, 1)
    assert store.output(sid, "x.html") == b"<p>x</p>"
    child = store.open_session("s.yaml", "demo", HASHES, "u", parent_id=sid)
    assert store.session(child).parent_id == sid


def test_unknown_session_is_a_message(store: Store) -> None:
    with pytest.raises(StoreError, match="no session 99"):
        store.session(99)


def test_a_decision_that_contradicts_one_in_force_is_refused() -> None:
    inforce = fold([])
    key, nip = proposed_key(inforce, "exclude", "P1", "7")
    assert key == ((), (("7", "P1"),)) and nip == "7"
    with pytest.raises(DecisionError, match="needs a person"):
        proposed_key(inforce, "choose", "P1", None)
    with pytest.raises(DecisionError, match="unknown decision"):
        proposed_key(inforce, "delete", "P1", "7")


WRITER = """
import sys
from engine.app.store import Store
store = Store(sys.argv[1])
sid = store.open_session("s.yaml", "demo", {}, "u")
for v in range(100000):
    store.record(sid, v, user="u", kind="exclude", jabatan_id="P1", nip=str(v),
                 reason="r", price=None, displaced=[])
    print(v + 1, flush=True)  # confirmed: the transaction has committed
"""


def test_a_killed_process_loses_no_confirmed_decision(db_url: str) -> None:
    url = db_url
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, url],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert proc.stdout is not None
    confirmed = 0
    for line in proc.stdout:
        confirmed = int(line)
        if confirmed >= 40:
            break
    os.kill(proc.pid, signal.SIGKILL)  # mid-write: no clean shutdown
    proc.wait()
    store = Store(url)
    events = store.events(1)
    assert len(events) >= confirmed
    assert [e.version for e in events] == list(range(1, len(events) + 1))
    assert store.session(1).version == len(events)
    store.dispose()
