"""Eligibility at province and national scale: wall time and peak memory.

Two measurements (figures printed, never asserted; run by hand, not by the
test suite):

- ``province``: :func:`engine.demo.synth.make_province` (20,000 people x 5,000
  posts) written as CSV, loaded with :func:`engine.inputs.data.load_tables` and
  derived like a round; then :func:`engine.eligibility.candidates.find_candidates`
  plus :func:`engine.scoring.fit.score_pairs` under 15 rules (the bundled
  golongan and structural rules, with a field-of-study rule for every
  structural post because the bundled one names the demo regency's units).
- ``national``: 300,000 people x 300,000 posts in 600 instansi, built
  with numpy straight into :class:`~engine.inputs.derive.People` /
  :class:`~engine.inputs.derive.Posts` (no CSV), under 15 rules that include two
  equalities (the same unit, the same family of study): eligibility joins
  on them and filters the ranges after, never a cross product.

Each scale runs in its own process so its peak RSS
(``resource.getrusage``) is its own.

Usage::

    .venv/bin/python bench/bench_eligibility.py             # both
    .venv/bin/python bench/bench_eligibility.py province
    .venv/bin/python bench/bench_eligibility.py national --people 300000 --posts 300000
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.inputs import scales  # noqa: E402
from engine.inputs.derive import (  # noqa: E402
    FieldHistory,
    People,
    Posts,
    Sanctions,
    years_between,
)
from engine.inputs.equivalence import bundled_equivalences  # noqa: E402
from engine.inputs.settings import BupTable, Taxonomy, load_bup, load_taxonomy  # noqa: E402
from engine.rules.ruleset import RuleSet, load_rules  # noqa: E402

EQUIVALENCES = bundled_equivalences()

DAY = dt.date(2026, 7, 1)

# Field of study for every structural post of the province (the bundled
# keilmuan rules name the units of the demo regency, which the province
# copies carry with a suffix).
PROVINCE_RULES = """
- id: bench.keilmuan-rumpun
  title: JPT Pratama dan Administrator berlatar pendidikan satu rumpun dengan bidang jabatan.
  applies_to: {jenis_jabatan: [JPT Pratama, Administrator]}
  require: {bidang_keilmuan: {min: family}}
  source: Perbup (contoh) tentang standar kompetensi jabatan
  effective: {from: 2024-01-01}
- id: bench.keilmuan-terkait
  title: Pengawas berlatar pendidikan terkait bidang jabatan.
  applies_to: {jenis_jabatan: Pengawas}
  require: {bidang_keilmuan: {min: related}}
  source: Perbup (contoh) tentang standar kompetensi jabatan
  effective: {from: 2024-01-01}
"""
PROVINCE_BUNDLED = (
    "eselon-2a.golongan",
    "eselon-2b.golongan",
    "eselon-3a.golongan",
    "eselon-3b.golongan",
    "eselon-4a.golongan",
    "eselon-4b.golongan",
    "administrator.pendidikan",
    "pengawas.pendidikan",
    "administrator.skp",
    "pengawas.skp",
    "pengawas.pengalaman",
    "struktural.masa-jabatan",
    "administrator.pelatihan",  # soft: a penalty, not an exclusion
)

# National: 15 rules, two of them equalities (unit, family of study).
NATIONAL_RULES = """
- id: nas.unit
  title: Promosi di dalam instansi sendiri.
  applies_to: {jenis_jabatan: [JPT Pratama, Administrator, Pengawas]}
  require: {unit_kerja: {same_as_post: true}}
  source: contoh (formasi per instansi)
  effective: {from: 2024-01-01}
- id: nas.keilmuan
  title: Satu rumpun bidang keilmuan.
  applies_to: {jenis_jabatan: [JPT Pratama, Administrator, Pengawas]}
  require: {bidang_keilmuan: {min: family}}
  source: contoh
  effective: {from: 2024-01-01}
- id: nas.keilmuan-sama
  title: Bidang yang sama diutamakan.
  applies_to: {jenis_jabatan: [JPT Pratama, Administrator]}
  require: {bidang_keilmuan: {min: exact}}
  hard: false
  penalty: 3
  source: contoh
  effective: {from: 2024-01-01}
- id: nas.jpt-pendidikan
  title: S1.
  applies_to: {jenis_jabatan: JPT Pratama}
  require: {pendidikan: {min: S1}}
  source: PP 11/2017 jo. PP 17/2020
  effective: {from: 2020-02-28}
- id: nas.adm-pendidikan
  title: S1.
  applies_to: {jenis_jabatan: Administrator}
  require: {pendidikan: {min: S1}}
  source: PP 11/2017 jo. PP 17/2020
  effective: {from: 2020-02-28}
- id: nas.pengawas-pendidikan
  title: D3.
  applies_to: {jenis_jabatan: Pengawas}
  require: {pendidikan: {min: D3}}
  source: PP 11/2017 jo. PP 17/2020
  effective: {from: 2020-02-28}
- id: nas.jpt-golongan
  title: IV/a.
  applies_to: {jenis_jabatan: JPT Pratama}
  require: {golongan: {min: IV/a}}
  source: PP 100/2000 jo. PP 13/2002
  effective: {from: 2002-02-17}
- id: nas.adm-golongan
  title: III/c.
  applies_to: {jenis_jabatan: Administrator}
  require: {golongan: {min: III/c}}
  source: PP 100/2000 jo. PP 13/2002
  effective: {from: 2002-02-17}
- id: nas.pengawas-golongan
  title: III/a.
  applies_to: {jenis_jabatan: Pengawas}
  require: {golongan: {min: III/a}}
  source: PP 100/2000 jo. PP 13/2002
  effective: {from: 2002-02-17}
- id: nas.skp
  title: SKP Baik 2 tahun.
  applies_to: {jenis_jabatan: [JPT Pratama, Administrator, Pengawas]}
  require: {skp: {min: Baik, years: 2}}
  source: PP 11/2017 jo. PP 17/2020
  effective: {from: 2020-02-28}
- id: nas.usia
  title: Usia paling tinggi 56.
  applies_to: {jenis_jabatan: JPT Pratama}
  require: {usia: {max: 56}}
  source: PP 11/2017 jo. PP 17/2020
  effective: {from: 2020-02-28}
- id: nas.hukuman
  title: Tanpa hukuman sedang/berat 5 tahun.
  applies_to: {jenis_jabatan: [JPT Pratama, Administrator, Pengawas]}
  require: {hukuman_disiplin: {levels: [sedang, berat], lookback_years: 5}}
  source: PP 94/2021
  effective: {from: 2021-08-31}
- id: nas.masa-jabatan
  title: 2 tahun dalam jabatan.
  applies_to: {jenis_jabatan: [JPT Pratama, Administrator, Pengawas]}
  require: {masa_jabatan: {min_years: 2}}
  source: PP 100/2000 jo. PP 13/2002, Ps. 7A
  effective: {from: 2002-02-17}
- id: nas.adm-pengalaman
  title: Pengawas 3 tahun.
  applies_to: {jenis_jabatan: Administrator}
  require: {pengalaman: {levels: [Pengawas, Fungsional Ahli Muda], min_years: 3}}
  source: PP 11/2017 jo. PP 17/2020
  effective: {from: 2020-02-28}
- id: nas.masa-kerja
  title: Masa kerja 4 tahun.
  applies_to: {jenis_jabatan: Pengawas}
  require: {masa_kerja: {min_years: 4}}
  source: contoh
  effective: {from: 2020-02-28}
"""


def rules_from(text: str, name: str) -> RuleSet:
    """Load rules from YAML text (through a temporary file, like any rule file)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        return load_rules([path], display=lambda p: p.name)


def allowed_moves(people: People, post_level: int) -> np.ndarray:
    """Promotion only for structural incumbents; others up to the post's level (the demo policy)."""
    structural = np.isin(people.jenis_jabatan, list(scales.STRUCTURAL))
    return np.where(structural, people.level < post_level, people.level <= post_level)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _dates(rng: np.random.Generator, start: str, end: str, n: int) -> np.ndarray:
    lo, hi = np.datetime64(start, "D"), np.datetime64(end, "D")
    return lo + rng.integers(0, int((hi - lo).astype(int)), n).astype("timedelta64[D]")


def national_instance(
    seed: int,
    n_people: int = 300_000,
    n_posts: int = 300_000,
    n_units: int = 600,
    *,
    taxonomy: Taxonomy,
    bup: BupTable,
    day: dt.date = DAY,
    missing: float = 0.0,
) -> tuple[People, Posts]:
    """A synthetic national round built with numpy: posts in ``n_units`` instansi and their people.

    Each instansi leans to three fields of study (its posts and most of its
    people); 80 % of posts are held, by a person of the post's level and
    unit; everyone else is a Pelaksana or functional official. ``missing``
    is the share of people with no known field (to exercise UNKNOWN).
    """
    rng = np.random.default_rng(seed)
    n_fields = len(taxonomy.fields)
    unit_names = np.array([f"Instansi {u:04d}" for u in range(n_units)], dtype=object)
    unit_fields = rng.integers(0, n_fields, (n_units, 3))

    # Posts: JPT 5 %, Administrator 35 %, Pengawas 60 %.
    post_unit = np.sort(rng.integers(0, n_units, n_posts))
    jenis_post = rng.choice(
        np.array(["JPT Pratama", "Administrator", "Pengawas"], dtype=object),
        n_posts,
        p=[0.05, 0.35, 0.60],
    )
    eselon = np.where(
        jenis_post == "JPT Pratama",
        "II.b",
        np.where(jenis_post == "Administrator", "III.b", "IV.a"),
    ).astype(object)
    post_field = unit_fields[post_unit, rng.integers(0, 3, n_posts)].astype(np.int32)
    held = rng.random(n_posts) < 0.8
    n_held = int(held.sum())
    if n_people < n_held:
        raise ValueError(f"n_people={n_people} is below the {n_held} held posts")

    # People: first the incumbents of the held posts, then the others.
    n_other = n_people - n_held
    held_posts = np.flatnonzero(held)
    other_levels = np.array(
        ["Pelaksana", "Fungsional Ahli Pertama", "Fungsional Ahli Muda", "Fungsional Terampil"],
        dtype=object,
    )
    jenis = np.concatenate(
        [jenis_post[held_posts], rng.choice(other_levels, n_other, p=[0.5, 0.25, 0.15, 0.1])]
    )
    unit_of = np.concatenate([post_unit[held_posts], rng.integers(0, n_units, n_other)])
    lean = rng.random(n_people) < 0.85
    field = np.where(
        lean,
        unit_fields[unit_of, rng.integers(0, 3, n_people)],
        rng.integers(0, n_fields, n_people),
    ).astype(np.int32)
    if missing:
        field[rng.random(n_people) < missing] = -1
    level = np.array([EQUIVALENCES.jenjang[j] for j in jenis], dtype=np.int16)
    home = np.full(n_people, -1, dtype=np.int64)
    home[:n_held] = held_posts
    holder = np.full(n_posts, -1, dtype=np.int64)
    holder[held_posts] = np.arange(n_held)

    # Golongan rises with level; education mostly S1; SKP mostly Baik.
    g_base = np.array([6, 7, 8, 9, 10, 11, 12])[level]  # II/c .. III/d by level
    golongan = np.clip(g_base + rng.integers(-1, 4, n_people), 0, len(scales.GOLONGAN) - 1)
    pendidikan = rng.choice(
        np.array([5, 6, 7, 2], dtype=np.int8), n_people, p=[0.15, 0.6, 0.2, 0.05]
    )
    skp = rng.choice(
        np.array([4, 3, 2, -1], dtype=np.int8), (n_people, 2), p=[0.2, 0.74, 0.04, 0.02]
    )
    born = _dates(rng, "1966-07-02", "1996-01-01", n_people)
    tmt_cpns = born + (365.25 * rng.uniform(22, 28, n_people)).astype("timedelta64[D]")
    tmt_cpns = np.minimum(tmt_cpns, np.datetime64("2022-01-01"))
    tmt_golongan = _dates(rng, "2016-01-01", "2025-12-31", n_people)
    tmt_jabatan = np.maximum(_dates(rng, "2014-01-01", "2026-01-01", n_people), tmt_cpns)
    hukuman = np.where(rng.random(n_people) < 0.02, rng.integers(0, 3, n_people), -1).astype(
        np.int8
    )
    hukuman_selesai = np.where(
        hukuman >= 0, _dates(rng, "2015-01-01", "2026-06-01", n_people), np.datetime64("NaT")
    ).astype("datetime64[D]")
    hukuman_tmt = hukuman_selesai - np.timedelta64(365, "D")
    in_post = np.nan_to_num(years_between(tmt_jabatan, day), nan=0.0).clip(min=0)
    experience = {j: np.zeros(n_people) for j in scales.JENIS_JABATAN}
    for j in np.unique(jenis):
        experience[j][jenis == j] = in_post[jenis == j]
    # Administrators came from Pengawas posts: 3-8 years there before.
    adm = jenis == "Administrator"
    experience["Pengawas"][adm] = rng.uniform(1, 8, int(adm.sum()))
    retire = bup.retirement_dates(born, jenis, day)
    nip = np.array([f"{i:018d}" for i in range(n_people)], dtype=object)
    people = People(
        date=day,
        nip=nip,
        nama=nip,
        jenis_kelamin=np.where(rng.random(n_people) < 0.45, "P", "L").astype(object),
        unit=unit_names[unit_of],
        jenis_jabatan=jenis,
        level=level,
        golongan=golongan.astype(np.int16),
        pendidikan=pendidikan,
        pendidikan_label=np.array(
            [next(k for k, v in EQUIVALENCES.pendidikan.items() if v == r) for r in pendidikan],
            dtype=object,
        ),
        field=field,
        jurusan=np.array(taxonomy.fields, dtype=object)[np.maximum(field, 0)],
        born=born,
        tmt_cpns=tmt_cpns,
        tmt_golongan=tmt_golongan,
        tmt_jabatan=tmt_jabatan,
        usia=np.floor(years_between(born, day)),
        masa_kerja=years_between(tmt_cpns, day),
        masa_golongan=years_between(tmt_golongan, day),
        masa_jabatan=years_between(tmt_jabatan, day),
        skp_years=[day.year - 1, day.year - 2],
        skp=skp,
        jpm=np.where(rng.random(n_people) < 0.7, rng.uniform(50, 95, n_people), np.nan),
        kompetensi=np.where(rng.random(n_people) < 0.7, rng.integers(1, 6, n_people), np.nan),
        pelatihan=[{}] * n_people,
        hukuman=hukuman,
        sanctions=Sanctions(
            person=np.flatnonzero(hukuman >= 0),
            level=hukuman[hukuman >= 0],
            tmt=hukuman_tmt[hukuman >= 0],
            selesai=hukuman_selesai[hukuman >= 0],
        ),
        experience=experience,
        experience_known=np.ones(n_people, dtype=bool),
        experience_from_history=True,  # every level's years on record, as from a post history
        # The post history: since CPNS in the field of the person's major.
        field_history=FieldHistory(
            person=np.arange(n_people),
            field=field.astype(np.int32),
            start=tmt_cpns,
            end=np.full(n_people, np.datetime64(day, "D")),
            complete=np.ones(n_people, dtype=bool),
        ),
        bup=retire,
        sisa_bup=years_between(np.full(n_people, np.datetime64(day, "D")), retire),
        home=home,
    )
    posts = Posts(
        jabatan_id=np.array([f"J{j:06d}" for j in range(n_posts)], dtype=object),
        nama=np.array([f"Jabatan {j}" for j in range(n_posts)], dtype=object),
        unit=unit_names[post_unit],
        eselon=eselon,
        jenis_jabatan=jenis_post,
        level=np.array([EQUIVALENCES.jenjang[j] for j in jenis_post], dtype=np.int16),
        bidang=np.array(taxonomy.fields, dtype=object)[post_field],
        field=post_field,
        kecamatan=unit_names[post_unit],
        atasan=np.full(n_posts, -1, dtype=np.int64),
        kritis=np.zeros(n_posts, dtype=bool),
        holder=holder,
    )
    return people, posts


def run_province(seed: int) -> None:
    from engine.demo.synth import make_province, write
    from engine.eligibility.candidates import find_candidates
    from engine.inputs.data import load_tables
    from engine.inputs.derive import derive_people, derive_posts
    from engine.inputs.settings import load_weights
    from engine.scoring.fit import score_pairs

    taxonomy = load_taxonomy(ROOT / "rules/taksonomi.yaml")
    bup = load_bup(ROOT / "rules/bup.yaml")
    weights = load_weights(ROOT / "rules/bobot.yaml").at(DAY)
    t0 = time.perf_counter()
    data = make_province(seed, n_posts=5000, n_people=20000, as_of=DAY)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write(data, folder)
        del data
        tables = load_tables(
            folder / "pegawai.csv",
            folder / "jabatan.csv",
            folder / "riwayat_jabatan.csv",
            majors=list(taxonomy.field_of_major),
            fields=taxonomy.fields,
        )
    people = derive_people(tables, DAY, taxonomy, bup)
    posts = derive_posts(tables, {n: i for i, n in enumerate(people.nip)}, taxonomy)
    del tables
    bundled = load_rules([ROOT / "rules/struktural.yaml", ROOT / "rules/golongan.yaml"])
    extra = rules_from(PROVINCE_RULES, "bench-province.yaml")
    ruleset = RuleSet(
        [r for r in bundled.rules if r.rule.id in PROVINCE_BUNDLED] + extra.rules,
        bundled.files + extra.files,
    )
    setup = time.perf_counter() - t0
    before = peak_mb()
    pool = np.ones(people.n, dtype=bool)
    t1 = time.perf_counter()
    cands = find_candidates(people, posts, ruleset, taxonomy, DAY, pool=pool, allowed=allowed_moves)
    t2 = time.perf_counter()
    scores = score_pairs(people, posts, cands.person, cands.post, cands.penalty, taxonomy, weights)
    t3 = time.perf_counter()
    print(
        f"province: {people.n:,} people x {posts.n:,} posts x {len(ruleset.rules)} rules "
        f"(synth + CSV + load + derive {setup:.1f} s, not timed)\n"
        f"  find_candidates {t2 - t1:6.2f} s   {len(cands):,} eligible pairs\n"
        f"  score_pairs     {t3 - t2:6.2f} s   mean fit {scores.fit.mean():.1f}\n"
        f"  total           {t3 - t1:6.2f} s   peak RSS {peak_mb():,.0f} MB "
        f"(before eligibility {before:,.0f} MB)"
    )


def run_national(seed: int, n_people: int, n_posts: int, n_units: int) -> None:
    from engine.eligibility.candidates import find_candidates
    from engine.inputs.settings import load_weights
    from engine.scoring.fit import score_pairs

    taxonomy = load_taxonomy(ROOT / "rules/taksonomi.yaml")
    bup = load_bup(ROOT / "rules/bup.yaml")
    weights = load_weights(ROOT / "rules/bobot.yaml").at(DAY)
    t0 = time.perf_counter()
    people, posts = national_instance(seed, n_people, n_posts, n_units, taxonomy=taxonomy, bup=bup)
    ruleset = rules_from(NATIONAL_RULES, "bench-national.yaml")
    setup = time.perf_counter() - t0
    before = peak_mb()
    pool = np.ones(people.n, dtype=bool)
    t1 = time.perf_counter()
    cands = find_candidates(people, posts, ruleset, taxonomy, DAY, pool=pool, allowed=allowed_moves)
    t2 = time.perf_counter()
    scores = score_pairs(people, posts, cands.person, cands.post, cands.penalty, taxonomy, weights)
    t3 = time.perf_counter()
    print(
        f"national: {people.n:,} people x {posts.n:,} posts in {n_units:,} units x "
        f"{len(ruleset.rules)} rules (instance built in {setup:.1f} s, not timed)\n"
        f"  find_candidates {t2 - t1:6.2f} s   {len(cands):,} eligible pairs "
        f"(cross product would be {people.n * posts.n:,})\n"
        f"  score_pairs     {t3 - t2:6.2f} s   mean fit {scores.fit.mean():.1f}\n"
        f"  total           {t3 - t1:6.2f} s   peak RSS {peak_mb():,.0f} MB "
        f"(before eligibility {before:,.0f} MB)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", nargs="?", choices=["province", "national", "all"], default="all")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument("--posts", type=int, default=300_000)
    parser.add_argument("--units", type=int, default=600)
    args = parser.parse_args(argv)
    if args.scale == "all":
        for scale in ("province", "national"):
            cmd = [sys.executable, __file__, scale, "--seed", str(args.seed)]
            if scale == "national":
                cmd += ["--people", str(args.people), "--posts", str(args.posts)]
                cmd += ["--units", str(args.units)]
            subprocess.run(cmd, check=True)
    elif args.scale == "province":
        run_province(args.seed)
    else:
        run_national(args.seed, args.people, args.posts, args.units)


if __name__ == "__main__":
    main()
