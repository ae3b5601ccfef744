"""The one move policy: by level while finding candidates, by place after."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from factories import JABATAN_HEADER, PEGAWAI_HEADER, ROOT, person, post, write_csv

from engine.eligibility.candidates import find_candidates
from engine.eligibility.moves import MovePolicy, person_kecamatan
from engine.inputs.data import load_tables
from engine.inputs.derive import derive_people, derive_posts
from engine.inputs.scenario import MoveSpec
from engine.inputs.settings import load_bup, load_taxonomy
from engine.plan.pipeline import load_context, round_setup

DAY = dt.date(2026, 7, 1)


def test_policy_by_level_and_by_place_on_the_demo():
    ctx = load_context(ROOT / "scenarios/dalam-kecamatan.yaml")
    people, posts = ctx.people, ctx.posts
    setup = round_setup(ctx)
    moves = setup.moves
    assert moves == MovePolicy.of(ctx.loaded.scenario.moves) and moves.within_kecamatan
    cands = find_candidates(
        people, posts, ctx.ruleset, ctx.taxonomy, ctx.day, pool=setup.pool, allowed=moves.allowed
    )
    kept = moves.restrict(cands, people, posts)
    place = person_kecamatan(people, posts)
    assert 0 < len(kept) < len(cands)
    assert (place[kept.person] == posts.kecamatan[kept.post]).all()
    assert kept.excluded == cands.excluded and (kept.considered == cands.considered).all()
    for rid, mask in kept.soft_failed:
        assert len(mask) == len(kept), rid
    # towards(j) is the same rule for one post, and never a person's own post.
    for j in np.unique(kept.post)[:20]:
        ok = setup.pool & moves.towards(people, posts, int(j))
        assert ok[kept.person[kept.post == j]].all()
        assert not ok[people.home == j].any()
    anywhere = MovePolicy.of(
        ctx.loaded.scenario.moves.model_copy(update={"within_kecamatan": False})
    )
    assert anywhere.restrict(cands, people, posts) is cands


def test_promotion_lateral_and_from_outside():
    ctx = load_context(ROOT / "scenarios/demo.yaml")
    people = ctx.people
    level = int(ctx.posts.level.max())
    structural = np.isin(people.jenis_jabatan, ["Pengawas", "Administrator"]) & (
        people.level < level
    )
    assert structural.any()
    assert MovePolicy(promotion=True).allowed(people, level)[structural].all()
    assert not MovePolicy(promotion=False).allowed(people, level)[structural].any()
    same = MovePolicy(promotion=False, lateral=True).allowed(people, level)
    assert (same[structural] == (people.level[structural] == level)).all()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Four people and four posts of one unit, worked out by hand.

    0: Kepala Seksi A (Pengawas, level 2), in Sangir; holds post 0
    1: Kepala Bidang (Administrator, level 3), in Kota; holds post 1
    2: a Pelaksana (level 0) of the unit, no structural post
    3: a Fungsional Ahli Muda (level 2) of a unit with no posts
    4: a Pelaksana of the Inspektorat
    The unit's posts sit two in Sangir and two in Kota: its modal kecamatan is
    Kota by name (a tie of two is broken alphabetically). The Inspektorat's
    three posts (4-6) sit two in Sangir and one in Kota: Sangir, by count.
    """
    tmp = tmp_path_factory.mktemp("moves")
    people = [
        person(1, jenis_jabatan="Pengawas"),
        person(2, jenis_jabatan="Administrator"),
        person(3, jenis_jabatan="Pelaksana"),
        person(4, jenis_jabatan="Fungsional Ahli Muda", unit="Dinas Kesehatan"),
        person(5, jenis_jabatan="Pelaksana", unit="Inspektorat"),
    ]
    posts = [
        post("SEKSI_A", eselon="IV.a", jenis_jabatan="Pengawas", nip_pemangku=people[0]["nip"]),
        post("KABID", kecamatan="Kota", nip_pemangku=people[1]["nip"]),
        post("SEKSI_B", eselon="IV.a", jenis_jabatan="Pengawas"),
        post("KADIS", eselon="II.b", jenis_jabatan="JPT Pratama", kecamatan="Kota"),
        post("INS_1", eselon="IV.a", jenis_jabatan="Pengawas", unit="Inspektorat"),
        post("INS_2", eselon="IV.a", jenis_jabatan="Pengawas", unit="Inspektorat"),
        post(
            "INS_3", eselon="IV.a", jenis_jabatan="Pengawas", unit="Inspektorat", kecamatan="Kota"
        ),
    ]
    write_csv(tmp / "p.csv", PEGAWAI_HEADER, people)
    write_csv(tmp / "j.csv", JABATAN_HEADER, posts)
    tables = load_tables(tmp / "p.csv", tmp / "j.csv")
    taxonomy = load_taxonomy(ROOT / "rules/taksonomi.yaml")
    people_d = derive_people(tables, DAY, taxonomy, load_bup(ROOT / "rules/bup.yaml"))
    return people_d, derive_posts(tables, {n: i for i, n in enumerate(people_d.nip)}, taxonomy)


def test_who_may_move_to_a_level_by_the_policy(small):
    people, _ = small
    assert people.level.tolist() == [2, 3, 0, 2, 0]
    default = MovePolicy()  # promotion and from outside, no lateral moves
    # A Pengawas post: the Pengawas only sideways, the Administrator never; people
    # outside structural posts at their level or below it.
    assert default.allowed(people, 2).tolist() == [False, False, True, True, True]
    assert default.allowed(people, 3).tolist() == [True, False, True, True, True]
    assert default.allowed(people, 1).tolist() == [False, False, True, False, True]
    lateral = MovePolicy(promotion=False, lateral=True, from_outside=False)
    assert lateral.allowed(people, 2).tolist() == [True, False, False, False, False]
    assert lateral.allowed(people, 3).tolist() == [False, True, False, False, False]


def test_the_kecamatan_of_a_person_is_their_posts_or_their_units_most_common(small):
    people, posts = small
    assert person_kecamatan(people, posts).tolist() == ["Sangir", "Kota", "Kota", "", "Sangir"]


def test_towards_a_post_by_level_place_and_not_ones_own(small):
    people, posts = small
    free = MovePolicy(promotion=True, lateral=True)
    # SEKSI_A (0): its holder may not move to it; KABID (1) likewise.
    assert free.towards(people, posts, 0).tolist() == [False, False, True, True, True]
    assert free.at(people, posts, 1).tolist() == [True, False, True, True, True]
    local = MovePolicy(promotion=True, lateral=True, within_kecamatan=True)
    # SEKSI_B (2) is in Sangir: the Kepala Seksi A's kecamatan and the Inspektorat's.
    assert local.towards(people, posts, 2).tolist() == [True, False, False, False, True]
    # KADIS (3) is in Kota: the Kepala Bidang and the Pelaksana of the unit.
    assert local.at(people, posts, 3).tolist() == [False, True, True, False, False]
    places = local.places(people, posts)
    assert local.at(people, posts, 3, places).tolist() == [False, True, True, False, False]
    # over some people only: the same answers, for them, in their order
    who = np.array([4, 1, 0])
    assert local.at(people, posts, 3, places, who).tolist() == [False, True, False]
    assert local.at(people, posts, 3, None, who).tolist() == [False, True, False]
    assert free.at(people, posts, 1, None, who).tolist() == [True, False, True]
    assert free.places(people, posts) is None
    assert MovePolicy.of(MoveSpec(lateral=True, within_kecamatan=True)) == local
    with pytest.raises(dataclasses.FrozenInstanceError):
        local.lateral = False
