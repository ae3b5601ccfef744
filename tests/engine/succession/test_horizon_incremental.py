"""A later horizon year done with less work gives what the whole computation gives.

- the tables moved on column-wise (:func:`engine.succession.horizon.apply_round`)
  equal the tables moved on one placement at a time (a reference written
  here, row by row as the rule reads: the mover takes the new post, the open
  history row is closed or the post left recorded, a row for the new post);
- the posts nobody is ready for, found alone
  (:func:`engine.succession.readiness.bare_posts`), are the bench's own
  (``uncovered_mask`` of the whole :func:`readiness`), also when the posts
  nobody is ready for now are many (random posts' eligible pairs dropped);
- a horizon that keeps no arrays (the command's) reports every year as one
  that keeps them.

On the demo and on a second synthetic regency (another seed).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from engine.demo import synth
from engine.inputs.progression import load_rank_progression
from engine.plan.pipeline import load_context, plan_round, round_setup, with_state
from engine.succession.graph import uncovered_mask
from engine.succession.horizon import apply_round, run_horizon, year_scenario
from engine.succession.readiness import bare_posts, readiness

ROOT = Path(__file__).resolve().parents[3]
PROGRESSION = load_rank_progression(ROOT / "rules/kenaikan-pangkat.yaml")


@pytest.fixture(scope="module", params=["demo", "seed 7"])
def context(request, tmp_path_factory):
    if request.param == "demo":
        return load_context(ROOT / "scenarios/demo.yaml")
    folder = tmp_path_factory.mktemp("regency")
    synth.write(synth.make_regency(seed=7), folder / "data/demo")
    shutil.copytree(ROOT / "rules", folder / "rules")
    (folder / "scenarios").mkdir()
    shutil.copyfile(ROOT / "scenarios/demo.yaml", folder / "scenarios/demo.yaml")
    return load_context(folder / "scenarios/demo.yaml")


@pytest.fixture(scope="module")
def year_0(context):
    ctx = with_state(context, year_scenario(context, 0), context.tables)
    return ctx, plan_round(ctx, evidence=False)


def _moved_one_by_one(ctx, plan):
    """The tables after the round, one placement at a time (the reference)."""
    peg, jab = ctx.tables.pegawai.copy(), ctx.tables.jabatan.copy()
    riw = ctx.tables.riwayat.copy()
    when = pd.Timestamp(ctx.day)
    leaving = round_setup(ctx).leaving
    gone = set(ctx.people.nip[leaving])
    added = []
    holder = jab["nip_pemangku"].to_numpy(dtype=object).copy()
    holder[[h in gone for h in holder]] = None
    for p in plan.record.placements:
        i = int(np.flatnonzero(peg["nip"].to_numpy() == p.nip)[0])
        j = int(np.flatnonzero(jab["jabatan_id"].to_numpy() == p.to.jabatan_id)[0])
        home = int(ctx.people.home[i])
        if home >= 0 and holder[home] == p.nip:
            holder[home] = None
        left = peg.iloc[i]
        is_open = (riw["nip"] == p.nip) & riw["tmt_selesai"].isna()
        if is_open.any():
            riw.loc[is_open, "tmt_selesai"] = when
        else:
            added.append(
                {
                    "nip": p.nip,
                    "jenis_jabatan": str(left["jenis_jabatan"]),
                    "nama_jabatan": left["nama_jabatan"],
                    "unit": left["unit"],
                    "tmt_mulai": left["tmt_jabatan"],
                    "tmt_selesai": when,
                }
            )
        new = {
            "jenis_jabatan": str(ctx.posts.jenis_jabatan[j]),
            "nama_jabatan": str(ctx.posts.nama[j]),
            "unit": str(ctx.posts.unit[j]),
        }
        for column, value in new.items():
            peg.iat[i, peg.columns.get_loc(column)] = value
        peg.iat[i, peg.columns.get_loc("tmt_jabatan")] = when
        added.append({"nip": p.nip, **new, "tmt_mulai": when, "tmt_selesai": pd.NaT})
    for p in plan.record.placements:
        holder[int(np.flatnonzero(jab["jabatan_id"].to_numpy() == p.to.jabatan_id)[0])] = p.nip
    jab["nip_pemangku"] = pd.Series(holder, index=jab.index, dtype=object)
    return peg.loc[~leaving].reset_index(drop=True), jab, riw, added, gone


def test_tables_moved_on_column_wise_equal_one_placement_at_a_time(year_0):
    ctx, plan = year_0
    assert len(plan.record.placements) > 20  # the round moves people
    peg, jab, riw, added, gone = _moved_one_by_one(ctx, plan)
    got = apply_round(ctx, plan)
    pd.testing.assert_frame_equal(got.pegawai, peg)
    pd.testing.assert_frame_equal(got.jabatan, jab)
    # The history: the old rows (open ones closed), then the added rows in
    # placement order, the retirees' rows gone.
    n_old = len(riw)
    kept = riw.loc[~riw["nip"].isin(gone)]
    old_part = got.riwayat.iloc[: len(kept)].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        old_part.astype({"jenis_jabatan": str}),
        kept.reset_index(drop=True).astype({"jenis_jabatan": str}),
    )
    new_part = got.riwayat.iloc[len(kept) :]
    wanted = [r for r in added if r["nip"] not in gone]
    assert len(got.riwayat) == len(kept) + len(wanted) and n_old >= len(kept)
    for (_, row), want in zip(new_part.iterrows(), wanted, strict=True):
        assert row["nip"] == want["nip"]
        assert str(row["jenis_jabatan"]) == want["jenis_jabatan"]
        assert (row["nama_jabatan"], row["unit"]) == (want["nama_jabatan"], want["unit"])
        assert row["tmt_mulai"] == want["tmt_mulai"]
        assert (pd.isna(row["tmt_selesai"]) and pd.isna(want["tmt_selesai"])) or (
            row["tmt_selesai"] == want["tmt_selesai"]
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bare_posts_are_the_benchs_uncovered_posts(year_0, seed):
    ctx, plan = year_0
    rng = np.random.default_rng(seed)
    # Nobody ready now for a random third of the posts: their ready-soon
    # people decide whether they are bare.
    dropped = rng.random(ctx.posts.n) < 1 / 3
    keep = ~dropped[plan.candidates.post]
    now = plan.candidates.subset(keep)
    fit = plan.scores.fit[: len(plan.candidates)][keep]
    whole = readiness(ctx, years=2, progression=PROGRESSION, today=(now, fit))
    expected = uncovered_mask(whole, ctx.posts.n)
    soon = whole.n_soon > 0
    assert (dropped & soon).any()  # posts only ready-soon people keep from being bare
    got = bare_posts(ctx, now.post, years=2, progression=PROGRESSION)
    assert np.array_equal(got, expected)


def test_a_horizon_without_arrays_reports_every_year_as_one_with_them(context):
    lean = run_horizon(context, 3, PROGRESSION, keep_arrays=False)
    whole = run_horizon(context, 3, PROGRESSION, keep_arrays=True)
    for a, b in zip(lean.years, whole.years, strict=True):
        assert np.array_equal(a.bare, b.bare)
    assert json.dumps(lean.as_dict(), sort_keys=True) == json.dumps(whole.as_dict(), sort_keys=True)
