"""A committee's decisions at province scale, in one process: CPU seconds per step.

Builds a province (20,000 people x 5,000 posts by default, as
bench/bench_memory.py builds it) or reuses one (``--folder``), loads it as the
app's server does (:class:`engine.app.live.LiveRound`), then for the first
``--decisions`` open posts: the post page's names (every alternative priced)
and a decision, the state re-solved: every other one excludes the proposed
name (a ban), the others choose the best alternative (a pin). Prints
wall and CPU seconds (``time.process_time``) for each; with ``--profile``,
the cProfile of the second post page and decision (the first ones pay for
compiling and for the round's arc look-up). Figures are printed, never
asserted; run by hand, under a memory cap::

    (ulimit -v 7000000; .venv/bin/python bench/bench_decide.py [--profile])
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _timed(label: str, fn, profile: cProfile.Profile | None = None):  # type: ignore[no-untyped-def]
    t, c = time.perf_counter(), time.process_time()
    if profile:
        profile.enable()
    out = fn()
    if profile:
        profile.disable()
    print(f"{label:<28} {time.perf_counter() - t:8.2f} s wall {time.process_time() - c:7.2f} s CPU")
    return out


def _inforce(pins: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    from engine.app.decisions import InForce, PostDecision
    from engine.app.store import Event

    out = InForce()
    for n, (nip, pid) in enumerate(pins):
        out.posts[pid] = PostDecision(
            Event(n, 1, n, "", "bench", "choose", pid, nip, "bench", None)
        )
    return out


def _report(profile: cProfile.Profile, what: str) -> None:
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(20)
    print(f"--- profile of {what}\n{text.getvalue()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--posts", type=int, default=5_000)
    parser.add_argument("--decisions", type=int, default=4)
    parser.add_argument("--folder", type=Path, help="a province built before, or where to build it")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    from bench_memory import build_project

    from engine.app.live import LiveRound

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp) / "provinsi"
        if not (folder / "scenarios/provinsi.yaml").exists():
            folder.mkdir(parents=True, exist_ok=True)
            build_project(folder, args.people, args.posts, 20260701)
        live = _timed("load the round", lambda: LiveRound(folder / "scenarios/provinsi.yaml"))
        pins: list[tuple[str, str]] = []
        bans: list[tuple[str, str]] = []
        for n, j in enumerate(live.open_posts(live.base)[: args.decisions]):
            page = cProfile.Profile() if args.profile and n == 1 else None
            inforce = _inforce(pins)
            rows = _timed(f"post page {n + 1}", partial(live.names, j, inforce), page)
            others = [r for r in rows if not r.proposed]
            proposed = [r for r in rows if r.proposed]
            pid = str(live.ctx.posts.jabatan_id[j])
            if n % 2 == 1 and proposed:  # every other decision excludes the proposed name
                bans = sorted([*bans, (proposed[0].nip, pid)])
                what = "exclusion"
            elif others:  # the others choose the second name
                pins = sorted([*pins, (others[0].nip, pid)])
                what = "choice"
            else:
                continue
            decide = cProfile.Profile() if args.profile and n == 1 else None
            key = (tuple(pins), tuple(bans))
            solved = _timed(f"decision {n + 1} ({what})", partial(live.solve, key), decide)
            how = solved.solution.method if solved.solution is not None else "-"
            print(f"  {'ok' if solved.ok else 'refused'}: {solved.points:.1f} points, by {how}")
            if page and decide:
                _report(page, "a post page")
                _report(decide, "a decision")


if __name__ == "__main__":
    main()
