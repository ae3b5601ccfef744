"""A multi-year horizon: yearly placement rounds on an organisation that ages.

Year ``k`` (``k = 0 .. N-1``) is decided on the scenario date plus ``k``
calendar years, by the same pipeline as ``talenta plan``
(:func:`engine.plan.pipeline.plan_round` on a :func:`engine.plan.pipeline.with_state` context).
Between rounds the tables are moved forward:

- rank progression on schedule (:mod:`engine.inputs.progression`, the
  ``kind: rank_progression`` rules file, e.g.
  ``rules/kenaikan-pangkat.yaml``): one golongan step every
  ``period_years`` complete calendar years in grade, up to the ceiling of
  the person's jenis jabatan; TMT golongan moves to the date each step fell
  due. Applied from year 1 on: the data is the truth at the scenario date;
- the year's placements: the mover's ``jenis_jabatan``, ``nama_jabatan``,
  ``unit`` and ``tmt_jabatan`` become the new post's (TMT = the round date),
  ``jabatan.nip_pemangku`` follows, the post history gets a closed row for
  the post left and an open row for the new one;
- retirements at BUP: everybody whose BUP falls before the round date plus
  one year leaves in that round (the round's ``open.retiring_before``; in
  year 0 the scenario's own cut-off when it names one); their posts open in
  that round and they are removed from the tables after it (their rows of
  the post and sanction histories too).

Assumptions: nobody is recruited (the pool only shrinks); the last SKP on
record carries forward; pins and named open posts of the scenario hold for
year 0 only, bans for every year while both sides exist; age, years in
grade, in post and of service follow from each round's date (derived, never
stored). Everything is deterministic: the same inputs give the same years.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from engine.errors import InputError, Problem, message
from engine.inputs import scales
from engine.inputs.data import Tables, skp_years
from engine.inputs.derive import shift_years
from engine.inputs.progression import RankProgression
from engine.inputs.scenario import Scenario
from engine.plan.pipeline import (
    Context,
    Held,
    KeptPlan,
    Plan,
    plan_round,
    round_setup,
    with_state,
)
from engine.succession.graph import chain_paths, focus_posts, uncovered_mask
from engine.succession.readiness import Readiness, bare_posts, readiness

__all__ = [
    "Horizon",
    "HorizonYear",
    "apply_round",
    "carry_skp",
    "run_horizon",
    "year_scenario",
]


def year_scenario(ctx: Context, k: int) -> Scenario:
    """The scenario of year ``k``: the date moved ``k`` years, retirements within a year.

    Year 0 is the scenario's own round: its retirement cut-off when it names
    one (so year 0's plan and bench are ``talenta plan``'s); later years, and
    a scenario without one, retire everybody reaching BUP within a year of
    the round's date.
    """
    sc = ctx.loaded.scenario
    day = shift_years(sc.date, k)
    cutoff = shift_years(day, 1)
    if k == 0 and sc.open.retiring_before is not None:
        cutoff = sc.open.retiring_before
    nips = set(ctx.tables.pegawai["nip"])
    posts = set(ctx.tables.jabatan["jabatan_id"])
    return sc.model_copy(
        update={
            "date": day,
            "open": sc.open.model_copy(
                update={
                    "retiring_before": cutoff,
                    "posts": list(sc.open.posts) if k == 0 else [],
                }
            ),
            "pins": list(sc.pins) if k == 0 else [],
            "bans": [b for b in sc.bans if b.nip in nips and b.jabatan_id in posts],
        }
    )


def carry_skp(tables: Tables, day: dt.date) -> Tables:
    """The pegawai table with an SKP column for every year up to ``day``'s year - 1.

    The horizon's assumption made explicit: a year after the data's last SKP
    year takes each person's latest predikat on record (the SKP look-back of a
    round reads the years before its date, and a projected year has no record).
    """
    peg = tables.pegawai
    years = skp_years(peg)
    if not years or max(years) >= day.year - 1:
        return tables
    peg = peg.copy()
    columns = [f"skp_{y}" for y in sorted(years, reverse=True)]
    latest = peg[columns[0]]
    for column in columns[1:]:
        latest = latest.where(latest.notna(), peg[column])
    for year in range(max(years) + 1, day.year):
        peg[f"skp_{year}"] = latest
    return replace(tables, pegawai=peg)


def apply_round(ctx: Context, plan: Plan | KeptPlan) -> Tables:
    """The tables after a round: retirees gone, placements applied, history extended.

    Parameters
    ----------
    ctx:
        The round's context (its tables, people and posts at the round date).
    plan:
        The round's plan (its placements are applied).
    """
    tables, people = ctx.tables, ctx.people
    leaving = round_setup(ctx).leaving
    peg = tables.pegawai.copy()
    jab = tables.jabatan.copy()
    riw = tables.riwayat.copy() if tables.riwayat is not None else None
    moves = [(p.nip, str(p.to.jabatan_id)) for p in plan.record.placements]
    gone = set(people.nip[leaving].tolist())
    holder = _holders_after(ctx, jab["nip_pemangku"].to_numpy(dtype=object).copy(), gone, moves)
    jab["nip_pemangku"] = pd.Series(holder, index=jab.index, dtype=object)
    new_rows = _move_people(ctx, peg, riw, moves)
    peg = peg.loc[~leaving]
    riw = _history_after(riw, new_rows, gone)
    # The tables stay as the loader checks them: every NIP of a history is a pegawai row.
    huk = tables.hukuman
    if huk is not None:
        huk = huk.loc[~huk["nip"].isin(gone)].reset_index(drop=True)
    return replace(
        tables,
        pegawai=peg.reset_index(drop=True),
        jabatan=jab,
        riwayat=riw,
        hukuman=huk,
        sources={},
    )


def _holders_after(
    ctx: Context, holder: np.ndarray, gone: set[str], moves: list[tuple[str, str]]
) -> np.ndarray:
    """Each post's incumbent NIP after the round: retirees and movers leave, movers arrive."""
    people, posts = ctx.people, ctx.posts
    person_row = {nip: k for k, nip in enumerate(people.nip)}
    post_row = {pid: k for k, pid in enumerate(posts.jabatan_id)}
    # Retirees leave their posts (a post they held may be filled below).
    holder[[h in gone for h in holder]] = None
    for nip, _ in moves:
        home = people.home[person_row[nip]]
        if home >= 0 and holder[home] == nip:
            holder[home] = None
    for nip, pid in moves:
        holder[post_row[pid]] = nip
    return holder


def _move_people(
    ctx: Context, peg: pd.DataFrame, riw: pd.DataFrame | None, moves: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """Each mover takes the new post's jenis jabatan, name, unit and TMT (in ``peg``).

    The open history row of the post left is closed in ``riw``; returns the
    history rows to add (the new post, and the post left when ``riw`` had no
    open row for it), in the order of ``moves``. Column-wise: a province
    round moves a thousand people over a history of tens of thousands of rows.
    """
    if not moves:
        return []
    people, posts = ctx.people, ctx.posts
    when = pd.Timestamp(ctx.day)
    person_row = {nip: k for k, nip in enumerate(people.nip)}
    post_row = {pid: k for k, pid in enumerate(posts.jabatan_id)}
    who = np.array([person_row[nip] for nip, _ in moves], dtype=np.int64)
    to = np.array([post_row[pid] for _, pid in moves], dtype=np.int64)
    home = people.home[who]
    before = {
        "jabatan_id": [str(posts.jabatan_id[j]) if j >= 0 else None for j in home],
        "jenis_jabatan": people.jenis_jabatan[who].astype(str),
        **{c: peg[c].to_numpy()[who] for c in ("nama_jabatan", "unit", "tmt_jabatan")},
    }
    after = {
        "jenis_jabatan": posts.jenis_jabatan[to].astype(str),
        "nama_jabatan": posts.nama[to].astype(str),
        "unit": posts.unit[to].astype(str),
    }
    rows = peg.index[who]
    for column, values in after.items():
        peg.loc[rows, column] = values
    peg.loc[rows, "tmt_jabatan"] = when
    # Close the open history row of the post left; without one (no history,
    # or a history that stops short), record the post left from its TMT.
    had_open: set[str] = set()
    if riw is not None:
        open_rows = (
            riw["tmt_selesai"].isna() & riw["nip"].isin([nip for nip, _ in moves])
        ).to_numpy()
        had_open = set(riw.loc[open_rows, "nip"])
        riw.loc[open_rows, "tmt_selesai"] = when
    new_rows = []
    for k, (nip, _) in enumerate(moves):
        if nip not in had_open:
            left = {c: before[c][k] for c in ("jabatan_id", "nama_jabatan", "unit", "tmt_jabatan")}
            new_rows.append(
                {
                    **_history(nip, {**left, "jenis_jabatan": str(before["jenis_jabatan"][k])}),
                    "tmt_selesai": when,
                }
            )
        new_rows.append(
            {
                "nip": nip,
                "jabatan_id": str(posts.jabatan_id[to[k]]),
                "jenis_jabatan": str(after["jenis_jabatan"][k]),
                "nama_jabatan": str(after["nama_jabatan"][k]),
                "unit": str(after["unit"][k]),
                "tmt_mulai": when,
                "tmt_selesai": pd.NaT,
            }
        )
    return new_rows


def _history_after(
    riw: pd.DataFrame | None, new_rows: list[dict[str, Any]], gone: set[str]
) -> pd.DataFrame | None:
    """The post history with the round's rows added and the retirees' rows removed."""
    if new_rows:
        extra = pd.DataFrame(new_rows)
        if riw is None:
            riw = extra.iloc[0:0]
        extra = extra.astype({c: riw[c].dtype for c in ("tmt_mulai", "tmt_selesai")})
        extra["jenis_jabatan"] = scales.categorical(extra["jenis_jabatan"], scales.JENIS_JABATAN)
        riw = pd.concat([riw, extra], ignore_index=True)
    if riw is not None:
        riw = riw.loc[~riw["nip"].isin(gone)].reset_index(drop=True)
        riw["jenis_jabatan"] = pd.Series(
            scales.categorical(riw["jenis_jabatan"].astype(str), scales.JENIS_JABATAN),
            index=riw.index,
        )
    return riw


def _history(nip: str, before: dict[str, Any]) -> dict[str, Any]:
    return {
        "nip": nip,
        "jabatan_id": before.get("jabatan_id"),
        "jenis_jabatan": before["jenis_jabatan"],
        "nama_jabatan": before["nama_jabatan"],
        "unit": before["unit"],
        "tmt_mulai": before["tmt_jabatan"],
    }


@dataclass
class HorizonYear:
    """One yearly round: its context, its plan and the readiness at its start.

    ``bare``: the posts with nobody ready now or within the window. A horizon
    run with ``keep_arrays=False`` keeps only the plan's record
    (:class:`engine.plan.pipeline.KeptPlan`) and no readiness.
    """

    year: int
    context: Context
    plan: Plan | KeptPlan | None
    ready: Readiness | None
    rank_steps: int
    wall_time: float
    bare: np.ndarray

    def summary(self, focus: np.ndarray | None = None) -> dict[str, Any]:
        """JSON-ready figures of the year (deterministic: no wall time)."""
        ctx, plan = self.context, self.plan
        posts = ctx.posts
        focus = focus_posts(posts) if focus is None else focus
        bare = self.bare & focus
        out: dict[str, Any] = {
            "year": self.year,
            "date": ctx.day.isoformat(),
            "regime": ctx.weights.regime,
            "people": int(ctx.people.n),
            "vacant_at_start": int((posts.holder < 0).sum()),
            "rank_promotions": self.rank_steps,
            "without_ready_successor": [str(posts.jabatan_id[j]) for j in np.flatnonzero(bare)],
        }
        if plan is None:
            return out
        s = plan.summary
        out.update(
            {
                "status": plan.record.status,
                "objective": plan.record.objective.value,
                "retiring": s.leaving_at_bup,
                "posts_opened": s.posts_opened,
                "posts_vacated_by_moves": s.posts_vacated_by_moves,
                "posts_filled": s.posts_filled,
                "posts_unfilled": s.posts_unfilled,
                "moves": s.moves,
                "promotions": s.promotions,
                "from_outside": s.from_outside,
                "unfilled": [
                    {
                        "jabatan_id": u.post.jabatan_id,
                        "nama_jabatan": u.post.nama_jabatan,
                        "opened_by": u.opened_by,
                        "reason": u.reason,
                        "blocking_rule": u.excluded_by[0].rule if u.excluded_by else None,
                    }
                    for u in plan.record.unfilled
                ],
                "chains": chain_paths(plan.record),
            }
        )
        return out


@dataclass
class Horizon:
    """Every year of a horizon, in order."""

    years: list[HorizonYear]
    progression: RankProgression | None
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> list[dict[str, Any]]:
        """Each year's :meth:`HorizonYear.summary`, in order."""
        return [y.summary() for y in self.years]


def _bench(
    ctx: Context,
    plan: Plan | None,
    years: int,
    progression: RankProgression | None,
    whole: bool,
) -> tuple[Readiness | None, np.ndarray]:
    """The round's readiness (``whole``, or without a plan) and its posts nobody is ready for.

    Readiness takes the round's own eligible pairs; without ``whole`` only
    the bare posts are found (:func:`engine.succession.readiness.bare_posts`).
    """
    if plan is not None and not whole:
        return None, bare_posts(ctx, plan.candidates.post, years=years, progression=progression)
    # The round's fits, computed when read: its first arcs are its candidates.
    today = (plan.candidates, plan.scores.fit) if plan else None
    ready = readiness(ctx, years=years, progression=progression, today=today)
    return ready, uncovered_mask(ready, ctx.posts.n)


def _aged(
    tables: Tables, progression: RankProgression | None, day: dt.date, k: int
) -> tuple[Tables, int]:
    """Year ``k``'s tables at ``day`` and its rank promotions: from year 1 on,
    regular promotion on schedule and the last SKP carried forward."""
    if k == 0:
        return tables, 0
    steps = 0
    if progression is not None:
        tables, steps = progression.apply(tables, day)
    return carry_skp(tables, day), steps


def _check_years(years: int) -> None:
    """An :class:`InputError` when ``--horizon`` is not a whole number of years, 1 or more."""
    if years < 1:
        problem = Problem(
            message("command_line"),
            message("option_found", option="--horizon", value=years),
            allowed=message("horizon_at_least_one"),
        )
        raise InputError([problem])


def run_horizon(
    ctx: Context,
    years: int,
    progression: RankProgression | None = None,
    *,
    readiness_years: int = 2,
    solve: bool = True,
    on_year: Callable[[int, dt.date], None] | None = None,
    keep_arrays: bool = True,
    on_round: Callable[[HorizonYear], None] | None = None,
    warm: bool = True,
) -> Horizon:
    """Run ``years`` yearly rounds from the scenario's date (year 0 is the scenario's own).

    Parameters
    ----------
    ctx:
        The loaded scenario (:func:`engine.plan.pipeline.load_context`).
    years:
        How many rounds (at least 1; year 0 is decided on the scenario date).
    progression:
        Regular promotion in rank between rounds and in the readiness
        projection; ``None``: golongan never changes.
    readiness_years:
        The "ready soon" window of each year's bench (years).
    solve:
        ``False``: no placement rounds, only year 0's state and readiness (the
        successor graph without a solver).
    on_year:
        Called with ``(k, date)`` as each year starts (progress display).
    keep_arrays:
        ``False``: after each round keep only its plan's record and no
        readiness (a province's rounds hold GBs of pairs each; the horizon's
        summaries need neither), and from year 1 on find only the posts
        nobody is ready for (:func:`engine.succession.readiness.bare_posts`),
        not the whole bench.
    on_round:
        Called with each year as its round ends, with its whole plan and
        readiness (before ``keep_arrays=False`` lets them go; with it, a
        later year's readiness is None).
    warm:
        Start each later year's solve from the year before's plan
        (:func:`engine.plan.pipeline.warm_start`: its pairs mapped by NIP and
        jabatan_id); ``False``: every solve from scratch. The years and the
        work are the same either way: that plan's pairs are the new year's
        stay arcs, which the sparse core's first core holds anyway.

    Returns
    -------
    Horizon
        Each year's context, plan and readiness.
    """
    _check_years(years)
    t0 = time.perf_counter()
    tables = ctx.tables
    out: list[HorizonYear] = []
    held: Held | None = None
    for k in range(years if solve else 1):
        start = time.perf_counter()
        scenario = year_scenario(replace(ctx, tables=tables), k)
        if on_year is not None:
            on_year(k, scenario.date)
        tables, steps = _aged(tables, progression, scenario.date, k)
        ctx_k = with_state(ctx, scenario, tables)
        # No priced shortlists or baselines: nobody reads them here.
        plan = plan_round(ctx_k, evidence=False, start=held if warm else None) if solve else None
        whole = keep_arrays or k == 0  # else only the posts nobody is ready for
        ready, bare = _bench(ctx_k, plan, readiness_years, progression, whole)
        if plan is not None and k + 1 < years:
            tables = apply_round(ctx_k, plan)
            held = plan.held()
        year = HorizonYear(k, ctx_k, plan, ready, steps, time.perf_counter() - start, bare)
        if on_round is not None:
            on_round(year)
        if not keep_arrays:
            year.plan = plan.kept() if plan is not None else None
            year.ready = None
        out.append(year)
        del plan, ready, year
    return Horizon(out, progression, {"total": time.perf_counter() - t0})
