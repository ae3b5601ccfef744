"""The order in which a session goes through its posts: by unit, by level, by status, or by hand.

Takes the open posts of the session's plan (as rows with ``pid``, ``unit``,
``level`` rank, ``nama`` and ``status``) and the :class:`PostOrder` kept with
the session; gives the rows in that order (:func:`ordered`), a manual
order with one post moved up or down (:func:`moved`), and the post before
and after one in the order (:func:`neighbours`). A manual order names
posts by id; a post it does not name (a post opened by a later decision)
comes after the named ones, in the order by unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.app.store import PostOrder

__all__ = ["STATUS_ORDER", "moved", "neighbours", "ordered"]

# Undecided posts first, then deferred ones (still to settle), then the decided.
STATUS_ORDER = {"open": 0, "defer": 1, "choose": 2, "accept": 3}


def _by_unit(r: dict[str, Any]) -> tuple[Any, ...]:
    return (r["unit"], -r["rank"], r["nama"], r["pid"])


def _by_level(r: dict[str, Any]) -> tuple[Any, ...]:
    return (-r["rank"], r["unit"], r["nama"], r["pid"])


def _by_status(r: dict[str, Any]) -> tuple[Any, ...]:
    return (STATUS_ORDER.get(r["status"], 9), *_by_unit(r))


def ordered(rows: Sequence[dict[str, Any]], order: PostOrder) -> list[dict[str, Any]]:
    """``rows`` in the session's order."""
    if order.mode == "level":
        return sorted(rows, key=_by_level)
    if order.mode == "status":
        return sorted(rows, key=_by_status)
    by_unit = sorted(rows, key=_by_unit)
    if order.mode != "manual":
        return by_unit
    place = {pid: n for n, pid in enumerate(order.manual)}
    return sorted(by_unit, key=lambda r: place.get(r["pid"], len(place)))


def moved(rows: Sequence[dict[str, Any]], order: PostOrder, pid: str, step: int) -> PostOrder:
    """The manual order that is the current one with ``pid`` moved ``step`` places (-1: up).

    The current order, whatever its mode, is the starting point: moving a
    post turns the order the committee sees into a manual one.
    """
    pids = [r["pid"] for r in ordered(rows, order)]
    if pid in pids:
        k = pids.index(pid)
        to = min(max(k + step, 0), len(pids) - 1)
        pids.insert(to, pids.pop(k))
    return PostOrder("manual", tuple(pids))


def neighbours(rows: Sequence[dict[str, Any]], pid: str) -> tuple[str | None, str | None]:
    """The posts before and after ``pid`` in ``rows`` (already ordered)."""
    pids = [r["pid"] for r in rows]
    if pid not in pids:
        return None, None
    k = pids.index(pid)
    return (pids[k - 1] if k > 0 else None), (pids[k + 1] if k + 1 < len(pids) else None)
