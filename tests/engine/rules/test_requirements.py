"""Hand-worked cases for every requirement kind: verdicts, explanations, counterfactuals."""

import calendar
import datetime as dt
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from factories import JABATAN_HEADER, PEGAWAI_HEADER, ROOT, person, post, write_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.eligibility.candidates import post_view
from engine.inputs import scales
from engine.inputs.data import load_tables
from engine.inputs.derive import Posts, derive_people, derive_posts
from engine.inputs.progression import load_rank_progression
from engine.inputs.schema import Effective
from engine.inputs.settings import BupTable, load_bup, load_taxonomy, load_weights
from engine.rules.requirements import CATALOGUE, FAIL, PASS, UNKNOWN, Requirement

DAY = dt.date(2026, 7, 1)
TAXONOMY = load_taxonomy(ROOT / "rules/taksonomi.yaml")
BUP = load_bup(ROOT / "rules/bup.yaml")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp: Path = tmp_path_factory.mktemp("req")
    people = [
        # 0: a fit Kepala Seksi: IV/a, S1 Teknik Sipil, Baik x2, 7.5 yrs in post, age 51
        person(1),
        # 1: III/c, D3, SKP Butuh Perbaikan in 2025, in post since 2025-01-02, age 36, sanction sedang ended 2024-06-30
        person(
            2,
            golongan="III/c",
            tmt_golongan="2023-04-01",
            pendidikan="D3",
            jurusan="Akuntansi",
            tanggal_lahir="1990-02-14",
            tmt_cpns="2014-03-01",
            skp_2025="Butuh Perbaikan",
            tmt_jabatan="2025-01-02",
            jpm="",
            kompetensi="",
            pelatihan="",
            hukuman_tingkat="sedang",
            hukuman_tmt="2023-07-01",
            hukuman_selesai="2024-06-30",
        ),
        # 2: SKP 2025 missing, major in the same family (Perencanaan Wilayah dan Kota), Pelaksana
        person(
            3,
            jurusan="Perencanaan Wilayah dan Kota",
            skp_2025="",
            jenis_jabatan="Pelaksana",
            tanggal_lahir="1969-09-30",
        ),
    ]
    write_csv(tmp / "p.csv", PEGAWAI_HEADER, people)
    write_csv(tmp / "j.csv", JABATAN_HEADER, [post("ADM", bidang="Teknik Sipil")])
    tables = load_tables(tmp / "p.csv", tmp / "j.csv")
    taxonomy = load_taxonomy(ROOT / "rules/taksonomi.yaml")
    bup = load_bup(ROOT / "rules/bup.yaml")
    people_d = derive_people(tables, DAY, taxonomy, bup)
    posts = derive_posts(tables, {n: i for i, n in enumerate(people_d.nip)}, taxonomy)
    return people_d, post_view(posts, 0), taxonomy, posts


def run(world, spec: dict):
    people, view, taxonomy, *_ = world
    req = Requirement.model_validate(spec)
    kind = CATALOGUE[req.kind](taxonomy)
    verdicts = kind.evaluate(req.params, people, view)
    explain = [kind.explain(req.params, people, i, view, "id") for i in range(people.n)]
    explain_en = [kind.explain(req.params, people, i, view, "en") for i in range(people.n)]
    cf = [kind.counterfactual(req.params, people, i, view) for i in range(people.n)]
    return list(verdicts), explain, explain_en, cf


def test_golongan_with_time_counterfactual(world):
    v, ex, en, cf = run(world, {"golongan": {"min": "III/d"}})
    assert v == [PASS, FAIL, PASS]
    assert ex[1] == "golongan III/c; syarat ≥ III/d"
    assert en[1] == "golongan III/c; required ≥ III/d"
    # one step from III/c, in grade since 2023-04-01: regular promotion after 4 years
    assert cf[1].from_date == dt.date(2027, 4, 1)
    assert "perlu golongan III/d" in cf[1].id


def test_pendidikan_s1_equals_d4(world):
    v, ex, *_ = run(world, {"pendidikan": {"min": "D4"}})
    assert v == [PASS, FAIL, PASS]
    assert ex[1] == "pendidikan D3; syarat paling rendah D4"


def test_bidang_keilmuan_grades(world):
    v, ex, *_ = run(world, {"bidang_keilmuan": {"min": "exact"}})
    assert v == [PASS, FAIL, FAIL]
    v, ex, *_ = run(world, {"bidang_keilmuan": {"min": "family"}})
    assert v == [PASS, FAIL, PASS]
    assert "kecocokan 'family'" in ex[2]


def test_usia_max_and_counterfactual(world):
    v, *_ = run(world, {"usia": {"max": 56}})
    # person 3 was born 1969-09-30: 56 on 2026-07-01
    assert v == [PASS, PASS, PASS]
    v, _ex, _, cf = run(world, {"usia": {"min": 40}})
    assert v == [PASS, FAIL, PASS]
    assert cf[1].from_date == dt.date(2030, 2, 14)


def test_masa_jabatan_only_for_promotion(world):
    v, _ex, _, cf = run(world, {"masa_jabatan": {"min_years": 2}})
    # post is Administrator (level 3); person 1 is Pengawas (2) since 2025-01-02: a step up, 1.5 yrs
    assert v == [PASS, FAIL, PASS]
    assert cf[1].from_date == dt.date(2027, 1, 2)
    assert cf[1].id == "memenuhi syarat mulai 2027-01-02"


def test_skp_window_and_unknown(world):
    v, ex, *_ = run(world, {"skp": {"min": "Baik", "years": 2}})
    assert v == [PASS, FAIL, UNKNOWN]
    assert (
        ex[1]
        == "SKP 2025: Butuh Perbaikan, 2024: Baik; syarat paling rendah Baik pada tahun 2024-2025"
    )


def test_hukuman_lookback(world):
    v, _, _, cf = run(
        world, {"hukuman_disiplin": {"levels": ["sedang", "berat"], "lookback_years": 5}}
    )
    assert v == [PASS, FAIL, PASS]
    assert cf[1].from_date == dt.date(2029, 6, 30)
    v, *_ = run(world, {"hukuman_disiplin": {"levels": ["berat"]}})
    assert v == [PASS, PASS, PASS]


def test_pelatihan_before_and_within(world):
    v, _ex, *_ = run(world, {"pelatihan": {"any_of": ["PKP"]}})
    assert v == [PASS, FAIL, PASS]
    v, *_ = run(world, {"pelatihan": {"any_of": ["PKA"], "timing": "within"}})
    assert v == [PASS, PASS, PASS]


def test_values_unknown_when_missing(world):
    v, ex, *_ = run(world, {"jpm": {"min": 68}})
    assert v == [PASS, UNKNOWN, PASS]
    assert ex[1] == "JPM -; syarat paling rendah 68"


def test_pengalaman_counts_the_current_post_without_history(world):
    v, ex, _, cf = run(world, {"pengalaman": {"levels": ["Pengawas"], "min_years": 8}})
    # person 0: Pengawas since 2019-01-02 = 7.5 years at 2026-07-01. Nobody has a post
    # history: years as Pengawas before the current post are unknown, not zero.
    assert v == [UNKNOWN, UNKNOWN, UNKNOWN]
    assert "7.5 tahun (tanpa riwayat jabatan: hanya jabatan sekarang tercatat)" in ex[0]
    # Time alone in the current Pengawas post brings the 8 years on 2027-01-02.
    assert cf[0].from_date == dt.date(2027, 1, 2)
    v, *_ = run(world, {"pengalaman": {"levels": ["Pengawas"], "min_years": 7}})
    assert v[0] == PASS  # the current post alone is enough


def test_masa_kerja_and_sisa_bup(world):
    v, *_ = run(world, {"masa_kerja": {"min_years": 20}})
    assert v == [PASS, FAIL, PASS]
    v, _, _, cf = run(world, {"sisa_bup": {"min": 2}})
    # person 3: Pelaksana born 1969-09-30, BUP 58 -> retires 2027-10-01: 1.25 years left
    assert v == [PASS, PASS, FAIL]
    assert "2027-10-01" in cf[2].id


def test_every_kind_has_summary_and_example():
    for name, kind in CATALOGUE.items():
        req = Requirement.model_validate({name: kind.example})
        assert req.kind == name
        assert kind.summary_id and kind.summary_en
    assert np.int8(PASS) == 1


# --- kotak talenta ---------------------------------------------------------
def with_boxes(world, boxes, regime="Kepka BKN 411/2025"):
    people, view, taxonomy, posts = world
    box = None if boxes is None else np.array(boxes, dtype=np.int8)
    return replace(people, talent_box=box, talent_regime=regime), view, taxonomy, posts


def test_kotak_talenta_pass_fail_unknown(world):
    v, ex, en, cf = run(with_boxes(world, [9, 5, 0]), {"kotak_talenta": {"any_of": [9, 7, 8]}})
    assert v == [PASS, FAIL, UNKNOWN]
    assert ex[0] == "kotak talenta 9 (Kepka BKN 411/2025); syarat kotak 7, 8 atau 9"
    assert en[1] == "talent box 5 (Kepka BKN 411/2025); required box 7, 8 or 9"
    assert cf[1].id == (
        "perlu masuk kotak talenta 7, 8 atau 9 (sekarang kotak 5): kinerja atau potensial lebih tinggi"
    )
    assert cf[1].en == "needs talent box 7, 8 or 9 (now box 5): higher kinerja or potensial"
    assert cf[1].from_date is None
    assert ex[2].startswith("kotak talenta tidak diketahui (data kinerja atau potensial kosong)")
    assert cf[2].id.startswith("perlu data SKP dan potensial")


def test_kotak_talenta_without_a_talent_box_file_is_unknown(world):
    v, ex, en, cf = run(with_boxes(world, None), {"kotak_talenta": {"any_of": [7, 8, 9]}})
    assert v == [UNKNOWN, UNKNOWN, UNKNOWN]
    assert ex[0] == (
        "kotak talenta tidak dihitung (skenario tidak menyebut berkas kotak talenta); "
        "syarat kotak 7, 8 atau 9"
    )
    assert en[0].startswith("talent box not computed (the scenario names no talent-box file)")
    assert cf[0].id == "sebutkan berkas kotak talenta (talent_box) pada skenario"


def test_kotak_talenta_from_the_bundled_talent_box_file(world):
    """Hand-worked boxes under Kepka BKN 411/2025 (rules/kotak-talenta.yaml):

    0: SKP Baik x2 = 80 -> kinerja as expected; potensial (kompetensi 3 = 60 x 40
       + JPM 75 x 25 + S1 80 x 10 + integritas 100 x 15) / 90 = 73.1 -> medium: box 5
    1: SKP (80 + 60) / 2 = 70 -> as expected; no assessment, counted 0 here
       (missing_assessment: zero): potensial (0 x 40 + 0 x 25 + D3 60 x 10 + sanction
       sedang 40 x 15) / 90 = 13.3 -> low: box 2. Counted neutral (the shipped
       default) each measure is the median of those who have it, kompetensi 60 and
       JPM 75: (2400 + 1875 + 600 + 600) / 90 = 60.8 -> medium: box 5.
    2: SKP 2024 Baik only = 80; potensial as person 0: box 5
    """
    from engine.scoring.talent import load_talent_box, talent_box

    people, _, taxonomy, posts = world
    version = load_talent_box(ROOT / "rules/kotak-talenta.yaml").at(DAY)
    weights = load_weights(ROOT / "rules/bobot.yaml").at(DAY)
    assert talent_box(people, posts, taxonomy, version, weights).box.tolist() == [5, 5, 5]
    zero = weights.model_copy(update={"missing_assessment": "zero"})
    box = talent_box(people, posts, taxonomy, version, zero)
    assert box.box.tolist() == [5, 2, 5] and box.regime == "Kepka BKN 411/2025"
    v, ex, *_ = run(
        with_boxes(world, box.box.tolist(), box.regime), {"kotak_talenta": {"any_of": [5]}}
    )
    assert v == [PASS, FAIL, PASS]
    assert ex[1] == "kotak talenta 2 (Kepka BKN 411/2025); syarat kotak 5"


def test_kotak_talenta_params_are_checked():
    with pytest.raises(ValueError, match="numbered 1 to 9"):
        Requirement.model_validate({"kotak_talenta": {"any_of": [7, 10]}})
    with pytest.raises(ValueError, match="named twice"):
        Requirement.model_validate({"kotak_talenta": {"any_of": [7, 7]}})
    req = Requirement.model_validate({"kotak_talenta": {"any_of": [9, 7]}})
    assert req.params.any_of == [7, 9]


# --- unit kerja ------------------------------------------------------------
def test_unit_kerja_same_as_post_and_any_of(world):
    people, view, taxonomy, posts = world
    v, ex, en, cf = run(world, {"unit_kerja": {"same_as_post": True}})
    assert v == [PASS, PASS, PASS]  # all three work at the post's unit
    elsewhere = (people, replace(view, unit="Dinas Kesehatan"), taxonomy, posts)
    v, ex, en, cf = run(elsewhere, {"unit_kerja": {"same_as_post": True}})
    assert v == [FAIL, FAIL, FAIL]
    assert ex[0] == (
        "unit kerja sekarang Dinas Pekerjaan Umum dan Penataan Ruang; "
        "syarat unit jabatan (Dinas Kesehatan)"
    )
    assert cf[0].id == "perlu bertugas lebih dahulu di Dinas Kesehatan"
    v, ex, en, _ = run(world, {"unit_kerja": {"any_of": ["Dinas Kesehatan", "Inspektorat"]}})
    assert v == [FAIL, FAIL, FAIL]
    assert en[0].endswith("required one of: Dinas Kesehatan, Inspektorat")
    with pytest.raises(ValueError, match="either same_as_post"):
        Requirement.model_validate({"unit_kerja": {"same_as_post": False}})


# --- equality form (join keys) agrees with the evaluator --------------------
@pytest.mark.parametrize(
    "spec",
    [
        {"bidang_keilmuan": {"min": "exact"}},
        {"bidang_keilmuan": {"min": "family"}},
        {"unit_kerja": {"same_as_post": True}},
    ],
)
def test_join_keys_agree_with_evaluate(world, spec):
    people, _, taxonomy, _ = world
    codes = np.array([*range(len(taxonomy.fields)), -1], dtype=np.int32)
    n = len(codes)
    units = np.array([["A", "B", None, "C"][k % 4] for k in range(n)], dtype=object)
    many = replace(people, nip=np.arange(n).astype(str), field=codes, unit=units)
    text = np.arange(n).astype(str).astype(object)
    posts = Posts(
        jabatan_id=text,
        nama=text,
        unit=np.array([["A", "B", "D", "C"][k % 4] for k in range(n)], dtype=object),
        eselon=np.full(n, "III.b", dtype=object),
        jenis_jabatan=np.full(n, "Administrator", dtype=object),
        level=np.full(n, 3, dtype=np.int16),
        bidang=np.array([*taxonomy.fields, "?"], dtype=object),
        field=codes.copy(),
        kecamatan=text,
        atasan=np.full(n, -1),
        kritis=np.zeros(n, dtype=bool),
        holder=np.full(n, -1),
    )
    req = Requirement.model_validate(spec)
    kind = CATALOGUE[req.kind](taxonomy)
    person_key, post_key = kind.join_keys(req.params, many, posts)
    for j in range(posts.n):
        v = kind.evaluate(req.params, many, post_view(posts, j))
        expected = np.where(person_key == post_key[j], PASS, FAIL)
        expected[person_key == -1] = UNKNOWN
        assert v.tolist() == expected.tolist(), j
    related = Requirement.model_validate({"bidang_keilmuan": {"min": "related"}})
    assert CATALOGUE["bidang_keilmuan"](taxonomy).join_keys(related.params, many, posts) is None


def test_the_schema_of_a_requirement_asks_for_exactly_one_kind():
    schema = Requirement.model_json_schema()
    assert (schema["minProperties"], schema["maxProperties"]) == (1, 1)
    assert set(schema["properties"]) == set(CATALOGUE)


def test_golongan_at_most_one_rank_and_two_steps_to_go(world):
    people, view, taxonomy, posts = world
    # Person 0 at I/a, the lowest rank (code 0): a rank like any other, not a missing one.
    lowest = replace(people, golongan=np.array([0, *people.golongan[1:]]))
    v, ex, en, _ = run((lowest, view, taxonomy, posts), {"golongan": {"max": "III/c"}})
    assert v == [PASS, PASS, FAIL]  # I/a and III/c (the bound itself) pass, IV/a does not
    assert ex[0] == "golongan I/a; syarat ≤ III/c"
    assert en[2] == "golongan IV/a; required ≤ III/c"
    v, *_ = run(world, {"golongan": {"min": "III/c", "max": "III/c"}})
    assert v == [FAIL, PASS, FAIL]
    # III/c since 2023-04-01 to III/d: one step of four years, due 2023-04-01 + 4 years,
    # a promotion date itself (1 April): 2027-04-01.
    _, _, _, cf = run(world, {"golongan": {"min": "III/d"}})
    assert cf[1].from_date == dt.date(2027, 4, 1)
    assert "(1 tingkat lagi" in cf[1].id
    # IV/a is two steps away, above the Pengawas ceiling III/d: no date, the ceiling named.
    _, _, _, cf = run(world, {"golongan": {"min": "IV/a"}})
    assert cf[1].from_date is None
    assert "(2 tingkat lagi" in cf[1].id and "paling tinggi III/d" in cf[1].id


def test_pendidikan_sd_is_the_lowest_level_not_a_missing_one(world):
    people, view, taxonomy, posts = world
    # Person 0 with SD (rank 0): known, below SMP, at SD.
    sd = replace(
        people,
        pendidikan=np.array([0, *people.pendidikan[1:]]),
        pendidikan_label=np.array(["SD", *people.pendidikan_label[1:]], dtype=object),
    )
    v, ex, *_ = run((sd, view, taxonomy, posts), {"pendidikan": {"min": "SMP"}})
    assert v == [FAIL, PASS, PASS]
    assert ex[0] == "pendidikan SD; syarat paling rendah SMP"
    v, *_ = run((sd, view, taxonomy, posts), {"pendidikan": {"min": "SD"}})
    assert v == [PASS, PASS, PASS]


@pytest.mark.parametrize("kind", ["masa_kerja", "masa_golongan", "masa_jabatan"])
def test_a_span_of_years_is_0_to_60(kind):
    for years in (0, 60):
        assert Requirement.model_validate({kind: {"min_years": years}}).params.min_years == years
    for years in (-0.5, 60.5):
        with pytest.raises(ValueError, match="min_years"):
            Requirement.model_validate({kind: {"min_years": years}})


def test_a_span_is_explained_in_each_language(world):
    # Person 1 entered service on 2014-03-01: 12.3 years on 2026-07-01.
    _, ex, en, _ = run(world, {"masa_kerja": {"min_years": 20}})
    assert ex[1] == "masa kerja 12.3 tahun; syarat paling sedikit 20 tahun"
    assert en[1] == "years of service 12.3 years; required at least 20 years"


# -- age by birthday: the verdict flips exactly on the anniversary (issue 14 item 1) ----


ANY_DAY_BUP = BupTable(
    (
        BUP.versions[0].model_copy(
            update={"effective": Effective.model_validate({"from": "1900-01-01"})}
        ),
    )
)


def _birthday(born: dt.date, age: int) -> dt.date:
    """Oracle: the birthday at ``age``; born on 29 February, 1 March in a common year."""
    year = born.year + age
    if (born.month, born.day) == (2, 29) and not calendar.isleap(year):
        return dt.date(year, 3, 1)
    return dt.date(year, born.month, born.day)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    born=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(1985, 12, 31)),
    age=st.integers(min_value=30, max_value=60),
)
def test_an_age_verdict_flips_exactly_on_the_birthday(born, age):
    # The days drawn reach back before the BUP file's first version (2017-04-07); the
    # retirement ages do not matter here, so one version covers every day.
    tmt = dt.date(born.year + 22, 1, 1).isoformat()
    row = person(1, tanggal_lahir=born.isoformat(), tmt_cpns=tmt, tmt_golongan=tmt)
    row["tmt_jabatan"] = tmt
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        write_csv(tmp / "p.csv", PEGAWAI_HEADER, [row])
        write_csv(tmp / "j.csv", JABATAN_HEADER, [post("ADM")])
        tables = load_tables(tmp / "p.csv", tmp / "j.csv")
    birthday = _birthday(born, age)
    kind = CATALOGUE["usia"]()
    at_most = Requirement.model_validate({"usia": {"max": age - 1}}).params
    at_least = Requirement.model_validate({"usia": {"min": age}}).params
    for day, before in ((birthday - dt.timedelta(days=1), True), (birthday, False)):
        people = derive_people(tables, day, TAXONOMY, ANY_DAY_BUP)
        assert people.usia[0] == (age - 1 if before else age)
        assert kind.evaluate(at_most, people, None)[0] == (PASS if before else FAIL)
        assert kind.evaluate(at_least, people, None)[0] == (FAIL if before else PASS)
        if before:  # the counterfactual date is the day the verdict flips
            assert kind.counterfactual(at_least, people, 0, None).from_date == birthday


# -- golongan: the earliest date under regular promotion (issue 14 item 4) -------------


def _golongan_world(tmp: Path, rows: list[dict[str, str]], progression=None):
    write_csv(tmp / "p.csv", PEGAWAI_HEADER, rows)
    write_csv(tmp / "j.csv", JABATAN_HEADER, [post("ADM")])
    tables = load_tables(tmp / "p.csv", tmp / "j.csv")
    return derive_people(tables, DAY, TAXONOMY, BUP, progression)


def test_the_golongan_date_is_a_promotion_date_on_which_the_rule_passes(tmp_path):
    people = _golongan_world(
        tmp_path,
        [
            # III/b since 2022-09-01: 4 years due 2026-09-01, in effect on 1 October 2026
            # (III/c); the next step 4 years later, 2030-10-01 (III/d).
            person(1, golongan="III/b", tmt_golongan="2022-09-01"),
            # III/b since 2018-04-01: the step due 2022-04-01 is not in the data, so the next
            # can come on the first promotion date after 2026-07-01: 2026-10-01, then 2030-10-01.
            person(2, golongan="III/b", tmt_golongan="2018-04-01"),
            # A Pengawas: regular promotion stops at III/d (rules/kenaikan-pangkat.yaml).
            person(3, golongan="III/c", tmt_golongan="2018-04-01"),
        ],
    )
    kind = CATALOGUE["golongan"]()
    need_3d = Requirement.model_validate({"golongan": {"min": "III/d"}}).params
    assert kind.counterfactual(need_3d, people, 0, None).from_date == dt.date(2030, 10, 1)
    cf = kind.counterfactual(need_3d, people, 1, None)
    assert cf.from_date == dt.date(2030, 10, 1)  # not the scenario date 2026-07-01
    assert "paling cepat 2030-10-01" in cf.id
    need_4a = Requirement.model_validate({"golongan": {"min": "IV/a"}}).params
    cf = kind.counterfactual(need_4a, people, 2, None)
    assert cf.from_date is None and "stops at III/d" in cf.en
    # The rule passes on the date given: project the golongan to it with the same schedule.
    rp = people.rank_progression
    for i in (0, 1):
        when = kind.counterfactual(need_3d, people, i, None).from_date
        g, _ = rp.project(
            people.golongan[[i]], people.tmt_golongan[[i]], people.jenis_jabatan[[i]], when
        )
        assert g[0] == scales.golongan_index("III/d")
    g, _ = rp.project(
        people.golongan[[0]], people.tmt_golongan[[0]], people.jenis_jabatan[[0]],
        dt.date(2030, 9, 30),
    )  # fmt: skip
    assert g[0] == scales.golongan_index("III/c")  # the day before: one step only


def test_the_golongan_date_follows_the_rank_progression_file(tmp_path):
    text = (ROOT / "rules/kenaikan-pangkat.yaml").read_text(encoding="utf-8")
    assert "period_years: 4" in text and 'promotion_dates: ["04-01", "10-01"]' in text
    changed = tmp_path / "kp.yaml"
    changed.write_text(
        text.replace("period_years: 4", "period_years: 2").replace(
            'promotion_dates: ["04-01", "10-01"]', 'promotion_dates: ["01-01"]'
        ),
        encoding="utf-8",
    )
    rows = [person(1, golongan="III/b", tmt_golongan="2022-09-01")]
    (tmp_path / "a").mkdir()
    people = _golongan_world(tmp_path / "a", rows, load_rank_progression(changed))
    need = Requirement.model_validate({"golongan": {"min": "III/d"}}).params
    # 2 years from 2022-09-01 were due 2024-09-01 and not in the data: the next promotion
    # date after 2026-07-01 is 2027-01-01 (III/c), then 2029-01-01 (III/d).
    cf = CATALOGUE["golongan"]().counterfactual(need, people, 0, None)
    assert cf.from_date == dt.date(2029, 1, 1)
