"""The order in which a session goes through its posts: modes, manual moves, neighbours."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from engine.app.agenda import moved, neighbours, ordered
from engine.app.store import PostOrder


def _row(pid: str, unit: str, rank: int, status: str = "open") -> dict[str, object]:
    return {"pid": pid, "unit": unit, "rank": rank, "nama": pid.lower(), "status": status}


ROWS = [
    _row("B.KASUBBAG", "Dinas B", 1, "accept"),
    _row("A.KABID", "Dinas A", 2, "defer"),
    _row("B.KEPALA", "Dinas B", 3),
    _row("A.KASUBBAG", "Dinas A", 1),
]


def _pids(rows: list[dict[str, object]]) -> list[object]:
    return [r["pid"] for r in rows]


def test_by_unit_the_senior_post_comes_first_within_a_unit() -> None:
    assert _pids(ordered(ROWS, PostOrder("unit"))) == [
        "A.KABID", "A.KASUBBAG", "B.KEPALA", "B.KASUBBAG",
    ]  # fmt: skip


def test_by_level_the_most_senior_posts_come_first_then_by_unit() -> None:
    assert _pids(ordered(ROWS, PostOrder("level"))) == [
        "B.KEPALA", "A.KABID", "A.KASUBBAG", "B.KASUBBAG",
    ]  # fmt: skip


def test_by_status_undecided_then_deferred_then_decided() -> None:
    assert _pids(ordered(ROWS, PostOrder("status"))) == [
        "A.KASUBBAG", "B.KEPALA", "A.KABID", "B.KASUBBAG",
    ]  # fmt: skip


def test_a_manual_order_keeps_its_posts_and_puts_new_ones_after_them_by_unit() -> None:
    order = PostOrder("manual", ("B.KASUBBAG", "A.KASUBBAG", "GONE.POST"))
    assert _pids(ordered(ROWS, order)) == ["B.KASUBBAG", "A.KASUBBAG", "A.KABID", "B.KEPALA"]


def test_moving_a_post_starts_from_the_order_shown_and_stops_at_the_ends() -> None:
    up = moved(ROWS, PostOrder("level"), "A.KASUBBAG", -1)
    assert up == PostOrder("manual", ("B.KEPALA", "A.KASUBBAG", "A.KABID", "B.KASUBBAG"))
    top = moved(ROWS, up, "B.KEPALA", -1)
    assert top == up
    down = moved(ROWS, up, "B.KASUBBAG", 1)
    assert down == up


def test_the_neighbours_of_a_post_in_the_order() -> None:
    rows = ordered(ROWS, PostOrder("unit"))
    assert neighbours(rows, "A.KABID") == (None, "A.KASUBBAG")
    assert neighbours(rows, "B.KEPALA") == ("A.KASUBBAG", "B.KASUBBAG")
    assert neighbours(rows, "B.KASUBBAG") == ("B.KEPALA", None)
    assert neighbours(rows, "NOPE") == (None, None)


@given(st.lists(st.sampled_from([-1, 1]), max_size=12), st.integers(0, 3))
def test_moves_only_permute_the_posts(steps: list[int], which: int) -> None:
    order = PostOrder()
    pid = _pids(ROWS)[which]
    for step in steps:
        order = moved(ROWS, order, str(pid), step)
    assert sorted(_pids(ordered(ROWS, order))) == sorted(_pids(ROWS))
    if pid == "A.KABID":  # first by unit: its place is the bounded sum of the steps
        bounded = 0
        for step in steps:
            bounded = min(max(bounded + step, 0), len(ROWS) - 1)
        assert _pids(ordered(ROWS, order)).index(pid) == bounded
