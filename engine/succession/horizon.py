"""A multi-year horizon: yearly placement rounds on an organisation that ages.

Year ``k`` (``k = 0 .. N-1``) is decided on the scenario date plus ``k``
calendar years, by the same pipeline as ``talenta plan``
(:func:`engine.plan.pipeline.plan_round` on a :func:`engine.plan.pipeline.with_state` context).
Between rounds the tables are moved forward:

- rank progression on schedule (the ``kind: rank_progression`` rules file,
  e.g. ``rules/kenaikan-pangkat.yaml``): one golongan step every
  ``period_years`` complete calendar years in grade, up to the ceiling of
  the person's jenis jabatan; TMT golongan moves to the date each step fell
  due. Applied from year 1 on: the data is the truth at the scenario date;
- the year's placements: the mover's ``jenis_jabatan``, ``nama_jabatan``,
  ``unit`` and ``tmt_jabatan`` become the new post's (TMT = the round date),
  ``jabatan.nip_pemangku`` follows, the post history gets a closed row for
  the post left and an open row for the new one;
- retirements at BUP: everybody whose BUP falls before the round date plus
  one year leaves in that round (the round's ``open.retiring_before``); their
  posts open in that round and they are removed from the tables after it.

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
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, field_validator

from engine.errors import InputError, Problem
from engine.inputs import scales
from engine.inputs.data import Tables
from engine.inputs.derive import shift_years
from engine.inputs.schema import Effective, Strict, every_level, validate
from engine.inputs.yamlio import load_yaml

if TYPE_CHECKING:
    from engine.inputs.scenario import Scenario
    from engine.plan.pipeline import Context, Plan
    from engine.succession.graph import Readiness

__all__ = [
    "Horizon",
    "HorizonYear",
    "RankProgression",
    "apply_round",
    "load_rank_progression",
    "run_horizon",
    "year_scenario",
]

Golongan = Literal[scales.GOLONGAN]  # type: ignore[valid-type]


class RankProgressionFile(Strict):
    kind: Literal["rank_progression"]
    source: str = Field(min_length=3, description="legal basis")
    effective: Effective
    period_years: int = Field(
        ge=1, le=10, description="complete years in grade for one regular step"
    )
    ceilings: dict[str, Golongan] = Field(  # type: ignore[valid-type]
        description="highest golongan regular promotion reaches, per jenis jabatan"
    )

    @field_validator("ceilings")
    @classmethod
    def _levels(cls, value: dict[str, str]) -> dict[str, str]:
        return every_level(value, scales.JENIS_JABATAN, "jenis jabatan")


@dataclass(frozen=True)
class RankProgression:
    """Regular promotion in rank: one step every ``period_years``, up to a ceiling per level.

    Examples
    --------
    >>> rp = RankProgression(4, {j: "III/d" for j in scales.JENIS_JABATAN}, "contoh")
    >>> g = np.array([scales.golongan_index("III/b")], dtype=np.int16)
    >>> tmt = np.array(["2018-04-01"], dtype="datetime64[D]")
    >>> new, new_tmt = rp.project(g, tmt, np.array(["Pengawas"], dtype=object), dt.date(2027, 1, 4))
    >>> scales.GOLONGAN[new[0]], str(new_tmt[0])  # 8 years in grade: two steps, capped at III/d
    ('III/d', '2026-04-01')
    """

    period_years: int
    ceilings: dict[str, str]
    source: str

    def ceiling_codes(self, jenis: np.ndarray) -> np.ndarray:
        """Golongan code of the ceiling of each person's jenis jabatan."""
        codes = {j: scales.golongan_index(g) for j, g in self.ceilings.items()}
        return np.array([codes.get(str(j), -1) for j in jenis], dtype=np.int16)

    def project(
        self, golongan: np.ndarray, tmt_golongan: np.ndarray, jenis: np.ndarray, day: dt.date
    ) -> tuple[np.ndarray, np.ndarray]:
        """Golongan codes and TMT golongan on ``day`` if regular promotion ran on schedule.

        Steps fall due every ``period_years`` complete calendar years from TMT
        golongan (the golongan counterfactual's schedule); a person gets every
        step due by ``day`` up to the ceiling, and the new TMT is the date the
        last step fell due. Missing golongan or TMT: unchanged.
        """
        g = np.asarray(golongan, dtype=np.int16)
        tmt = np.asarray(tmt_golongan, dtype="datetime64[D]")
        known = (g >= 0) & ~np.isnat(tmt)
        months = _complete_months(tmt, day)
        due = np.where(known, np.maximum(months, 0) // (12 * self.period_years), 0)
        room = np.maximum(self.ceiling_codes(jenis).astype(np.int64) - g, 0)
        steps = np.where(known, np.minimum(due, room), 0).astype(np.int64)
        month0 = tmt.astype("datetime64[M]")
        offset = tmt - month0.astype("datetime64[D]")
        shifted = (month0 + (steps * 12 * self.period_years).astype("timedelta64[M]")).astype(
            "datetime64[D]"
        ) + offset
        new_tmt = np.where(steps > 0, shifted, tmt)
        return (g + steps).astype(np.int16), new_tmt

    def apply(self, tables: Tables, day: dt.date) -> tuple[Tables, int]:
        """New tables with every step due by ``day`` applied; and how many people moved up."""
        peg = tables.pegawai
        g = np.asarray(peg["golongan"].cat.codes, dtype=np.int16)
        tmt = peg["tmt_golongan"].to_numpy(dtype="datetime64[D]")
        jenis = peg["jenis_jabatan"].astype(str).to_numpy(dtype=object)
        new_g, new_tmt = self.project(g, tmt, jenis, day)
        changed = new_g != g
        if not changed.any():
            return tables, 0
        peg = peg.copy()
        labels = np.array(scales.GOLONGAN, dtype=object)
        peg["golongan"] = pd.Series(
            scales.categorical(
                np.where(new_g >= 0, labels[np.clip(new_g, 0, None)], None), scales.GOLONGAN
            ),
            index=peg.index,
        )
        peg["tmt_golongan"] = pd.Series(new_tmt, index=peg.index).astype(peg["tmt_golongan"].dtype)
        return replace(tables, pegawai=peg), int(changed.sum())


def _complete_months(start: np.ndarray, day: dt.date) -> np.ndarray:
    """Complete calendar months from each ``start`` to ``day`` (NaT: 0)."""
    month0 = start.astype("datetime64[M]")
    start_day = (start - month0.astype("datetime64[D]")).astype(np.int64) + 1
    months = (np.datetime64(day, "M") - month0).astype(np.int64)
    months = months - (day.day < start_day)
    return np.where(np.isnat(start), 0, months)


def load_rank_progression(path: Path, display: str | None = None) -> RankProgression:
    """Read and check a rank-progression file (``kind: rank_progression``).

    Raises
    ------
    InputError
        Every problem at once as ``file:line``: unknown keys, a golongan that
        does not exist, a jenis jabatan without a ceiling.
    """
    name = display or str(path)
    data, lines = load_yaml(path, name)
    model, problems = validate(RankProgressionFile, data, lines, name)
    if problems:
        raise InputError(problems)
    assert model is not None
    return RankProgression(model.period_years, dict(model.ceilings), model.source)


# --------------------------------------------------------------------------
def year_scenario(ctx: Context, k: int) -> Scenario:
    """The scenario of year ``k``: the date moved ``k`` years, retirements within a year."""
    sc = ctx.loaded.scenario
    day = shift_years(sc.date, k)
    nips = set(ctx.tables.pegawai["nip"])
    posts = set(ctx.tables.jabatan["jabatan_id"])
    return sc.model_copy(
        update={
            "date": day,
            "open": sc.open.model_copy(
                update={
                    "retiring_before": shift_years(day, 1),
                    "posts": list(sc.open.posts) if k == 0 else [],
                }
            ),
            "pins": list(sc.pins) if k == 0 else [],
            "bans": [b for b in sc.bans if b.nip in nips and b.jabatan_id in posts],
        }
    )


def apply_round(ctx: Context, plan: Plan) -> Tables:
    """The tables after a round: retirees gone, placements applied, history extended.

    Parameters
    ----------
    ctx:
        The round's context (its tables, people and posts at the round date).
    plan:
        The round's plan (its placements are applied).
    """
    from engine.plan.pipeline import round_setup

    day = ctx.day
    tables = ctx.tables
    people, posts = ctx.people, ctx.posts
    leaving = round_setup(ctx).leaving
    peg = tables.pegawai.copy()
    jab = tables.jabatan.copy()
    riw = tables.riwayat.copy() if tables.riwayat is not None else None
    when = pd.Timestamp(day)
    post_row = {pid: k for k, pid in enumerate(posts.jabatan_id)}
    person_row = {nip: k for k, nip in enumerate(people.nip)}
    holder = jab["nip_pemangku"].to_numpy(dtype=object).copy()

    # Retirees leave their posts (a post they held may be filled below).
    gone = set(people.nip[leaving].tolist())
    holder[[h in gone for h in holder]] = None
    moves = [(p.nip, p.to.jabatan_id) for p in plan.record.placements]
    for nip, _ in moves:
        home = people.home[person_row[nip]]
        if home >= 0 and holder[home] == nip:
            holder[home] = None
    new_rows = []
    for nip, pid in moves:
        i, j = person_row[nip], post_row[pid]
        holder[j] = nip
        before = {
            "jenis_jabatan": str(people.jenis_jabatan[i]),
            "nama_jabatan": peg.at[peg.index[i], "nama_jabatan"],
            "unit": peg.at[peg.index[i], "unit"],
            "tmt_jabatan": peg.at[peg.index[i], "tmt_jabatan"],
        }
        peg.at[peg.index[i], "jenis_jabatan"] = str(posts.jenis_jabatan[j])
        peg.at[peg.index[i], "nama_jabatan"] = str(posts.nama[j])
        peg.at[peg.index[i], "unit"] = str(posts.unit[j])
        peg.at[peg.index[i], "tmt_jabatan"] = when
        # Close the open history row of the post left; without one (no history,
        # or a history that stops short), record the post left from its TMT.
        open_rows = (
            ((riw["nip"] == nip) & riw["tmt_selesai"].isna()).to_numpy()
            if riw is not None
            else np.zeros(0, dtype=bool)
        )
        if open_rows.any():
            assert riw is not None
            riw.loc[open_rows, "tmt_selesai"] = when
        else:
            new_rows.append({**_history(nip, before), "tmt_selesai": when})
        new_rows.append(
            {
                "nip": nip,
                "jenis_jabatan": str(posts.jenis_jabatan[j]),
                "nama_jabatan": str(posts.nama[j]),
                "unit": str(posts.unit[j]),
                "tmt_mulai": when,
                "tmt_selesai": pd.NaT,
            }
        )
    jab["nip_pemangku"] = pd.Series(holder, index=jab.index, dtype=object)
    keep = ~leaving
    peg = peg.loc[keep]
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
    return replace(tables, pegawai=peg.reset_index(drop=True), jabatan=jab, riwayat=riw, sources={})


def _history(nip: str, before: dict[str, Any]) -> dict[str, Any]:
    return {
        "nip": nip,
        "jenis_jabatan": before["jenis_jabatan"],
        "nama_jabatan": before["nama_jabatan"],
        "unit": before["unit"],
        "tmt_mulai": before["tmt_jabatan"],
    }


@dataclass
class HorizonYear:
    """One yearly round: its context, its plan and the readiness at its start."""

    year: int
    context: Context
    plan: Plan | None
    ready: Readiness
    rank_steps: int
    wall_time: float

    def summary(self, focus: np.ndarray | None = None) -> dict[str, Any]:
        """JSON-ready figures of the year (deterministic: no wall time)."""
        from engine.succession.graph import chain_paths, focus_posts, uncovered_mask

        ctx, plan = self.context, self.plan
        posts = ctx.posts
        focus = focus_posts(posts) if focus is None else focus
        bare = uncovered_mask(self.ready, posts.n) & focus
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


def run_horizon(
    ctx: Context,
    years: int,
    progression: RankProgression | None = None,
    *,
    readiness_years: int = 2,
    solve: bool = True,
    on_year: Callable[[int, dt.date], None] | None = None,
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

    Returns
    -------
    Horizon
        Each year's context, plan and readiness.
    """
    from engine.plan.pipeline import plan_round, with_state
    from engine.succession.graph import readiness

    if years < 1:
        raise InputError([Problem("command line", f"--horizon {years}", allowed="1 or more")])
    t0 = time.perf_counter()
    tables = ctx.tables
    out: list[HorizonYear] = []
    for k in range(years if solve else 1):
        start = time.perf_counter()
        scenario = year_scenario(replace(ctx, tables=tables), k)
        if on_year is not None:
            on_year(k, scenario.date)
        steps = 0
        if progression is not None and k > 0:
            tables, steps = progression.apply(tables, scenario.date)
        ctx_k = with_state(ctx, scenario, tables)
        ready = readiness(ctx_k, years=readiness_years, progression=progression)
        plan = plan_round(ctx_k) if solve else None
        out.append(HorizonYear(k, ctx_k, plan, ready, steps, time.perf_counter() - start))
        if plan is not None and k + 1 < years:
            tables = apply_round(ctx_k, plan)
    return Horizon(out, progression, {"total": time.perf_counter() - t0})
