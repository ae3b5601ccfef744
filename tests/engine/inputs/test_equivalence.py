"""Equivalences as data (rules/kesetaraan.yaml) and the points the talent box reads from
rules/bobot.yaml: each figure changed in a copy of the rules folder changes a verdict.

All people are synthetic. Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from factories import JABATAN_HEADER, PEGAWAI_HEADER, ROOT, person, post, write_csv

from engine.errors import InputError
from engine.inputs import scales
from engine.inputs.equivalence import bundled_equivalences, load_equivalences
from engine.plan.explain import LoadedRound
from engine.round.context import load_context

EQ = bundled_equivalences()


def _round(
    folder: Path,
    people: list[dict[str, str]],
    posts: list[dict[str, str]],
    extra: str = "",
    change: list[tuple[str, str, str]] | None = None,
) -> Path:
    """A round on a copy of the rules folder; ``change``: (file, old, new) edits of that copy."""
    rules = folder / "rules"
    shutil.copytree(ROOT / "rules", rules)
    for name, old, new in change or []:
        text = (rules / name).read_text(encoding="utf-8")
        assert old in text, f"{name} no longer holds {old!r}"
        (rules / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    write_csv(folder / "pegawai.csv", PEGAWAI_HEADER, people)
    write_csv(folder / "jabatan.csv", JABATAN_HEADER, posts)
    path = folder / "round.yaml"
    path.write_text(
        "kind: scenario\nname: Putaran uji\ndate: 2026-07-01\n"
        "data: {pegawai: pegawai.csv, jabatan: jabatan.csv}\n"
        "rules: [rules/struktural.yaml, rules/golongan.yaml]\n"
        "taxonomy: rules/taksonomi.yaml\nweights: rules/bobot.yaml\nbup: rules/bup.yaml\n"
        "equivalences: rules/kesetaraan.yaml\n"
        "open: {vacant: true}\n" + extra,
        encoding="utf-8",
    )
    return path


def _explain(path: Path, i: int = 0, j: int = 0):
    return LoadedRound(load_context(path)).explain(i, j)


# --- pendidikan: S1 = D-IV ------------------------------------------------------------


def test_s1_and_d4_share_a_rank_and_the_ladder_is_strict_elsewhere():
    # SD < SMP < SMA < D1 < D2 < D3 < D4 = S1 < S2 < S3
    assert EQ.pendidikan == {
        "SD": 0, "SMP": 1, "SMA": 2, "D1": 3, "D2": 4, "D3": 5,
        "D4": 6, "S1": 6, "S2": 7, "S3": 8,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("change", "failed"),
    [
        (None, []),  # PP 11/2017: "sarjana atau diploma IV", a D-IV meets an S1 requirement
        ([("kesetaraan.yaml", "- [D4, S1]", "- [D4]\n    - [S1]")], ["administrator.pendidikan"]),
    ],
)
def test_the_d4_s1_equivalence_is_read_from_the_file(tmp_path, change, failed):
    people = [person(1, pendidikan="D4")]
    path = _round(tmp_path, people, [post("ADM-1")], change=change)
    assert _explain(path).failed == failed


# --- jenjang: functional levels beside structural ones --------------------------------


@pytest.mark.parametrize(
    ("jenis", "rank"),
    [
        # Non-managerial, lowest: Pelaksana and the entry level of the skill track.
        ("Pelaksana", 0),
        ("Fungsional Pemula", 0),
        # The skill track above entry, and Ahli Pertama (formerly eselon V).
        ("Fungsional Terampil", 1),
        ("Fungsional Mahir", 1),
        ("Fungsional Penyelia", 1),
        ("Fungsional Ahli Pertama", 1),
        # PermenPANRB 17/2021: Pengawas = Ahli Muda, Administrator = Ahli Madya,
        # JPT Pratama = Ahli Utama.
        ("Pengawas", 2),
        ("Fungsional Ahli Muda", 2),
        ("Administrator", 3),
        ("Fungsional Ahli Madya", 3),
        ("JPT Pratama", 4),
        ("Fungsional Ahli Utama", 4),
        # JPT Madya and Utama above JPT Pratama, one step each.
        ("JPT Madya", 5),
        ("JPT Utama", 6),
    ],
)
def test_level_rank_of_every_jenis_jabatan(jenis, rank):
    assert EQ.jenjang[jenis] == rank


def test_every_jenis_jabatan_has_a_rank_and_the_scale_is_listed_lowest_first():
    assert set(EQ.jenjang) == set(scales.JENIS_JABATAN)
    ranks = [EQ.jenjang[j] for j in scales.JENIS_JABATAN]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize(
    ("change", "policy"),
    [
        # Ahli Madya sits beside Administrator: a person outside structural posts may
        # take a post of their level or above (from_outside), so the move is allowed.
        (None, None),
        # Moved up beside JPT Pratama, the Administrator post is below their level: the
        # round's move policy keeps them out.
        (
            [
                (
                    "kesetaraan.yaml",
                    "- [Fungsional Ahli Madya, Administrator]",
                    "- [Administrator]",
                ),
                (
                    "kesetaraan.yaml",
                    "- [Fungsional Ahli Muda, Pengawas]",
                    "- [Fungsional Ahli Muda, Pengawas, Fungsional Ahli Madya]",
                ),
            ],
            None,
        ),
    ],
)
def test_the_functional_structural_equivalence_is_read_from_the_file(tmp_path, change, policy):
    people = [person(1, jenis_jabatan="Fungsional Ahli Madya", nama_jabatan="Analis Ahli Madya")]
    extra = "moves: {promotion: true, lateral: true, from_outside: true}\n"
    path = _round(tmp_path, people, [post("ADM-1")], extra, change)
    assert _explain(path).policy == policy


# --- skp_angka: the PP 46/2011 bands ----------------------------------------------------


@pytest.mark.parametrize(
    ("change", "verdict"),
    [
        (None, []),  # 78 is in 76-90: Baik
        (
            [("kesetaraan.yaml", "{min: 75.5, value: Baik}", "{min: 80.5, value: Baik}")],
            ["administrator.skp"],  # Baik from 81: 78 is Butuh Perbaikan
        ),
    ],
)
def test_the_pp_46_2011_bands_are_read_from_the_file(tmp_path, change, verdict):
    people = [person(1, skp_2025="78")]
    path = _round(tmp_path, people, [post("ADM-1")], change=change)
    assert _explain(path).failed == verdict


# --- the talent box reads the weights file's points -------------------------------------

# One synthetic Pengawas holding a Teknik Sipil post, jurusan Teknik Sipil (exact match),
# SKP Baik, Baik; JPM 95, kompetensi 4. Kepka BKN 411/2025 box (rules/kotak-talenta.yaml):
#   kinerja = SKP points = 80 (Baik): 70 <= 80 < 90, "as expected"
#   potensial = (kompetensi 40 x 80 + jpm 25 x 95 + kualifikasi 10 x 80 (S1)
#                + kesesuaian_bidang 10 x 100 (exact) + integritas 15 x 100) / 100 = 88.75: high
#   box: high row [6, 8, 9], as expected -> 8.
HOLDER = {"jpm": "95", "kompetensi": "4", "jurusan": "Teknik Sipil"}


@pytest.mark.parametrize(
    ("baik", "box"),
    [
        (None, 8),
        # Baik worth 95: kinerja 95 >= 90, "above": high row, box 9.
        ("95", 9),
    ],
)
def test_the_talent_box_reads_skp_points_from_the_weights_file(tmp_path, baik, box):
    edits = None
    if baik is not None:
        edits = _in_force_in_2026("Baik: 80, Butuh", f"Baik: {baik}, Butuh")
    ctx = _holder(tmp_path, edits)
    assert int(ctx.people.talent_box[0]) == box


@pytest.mark.parametrize(
    ("exact", "box"),
    [
        (None, 8),
        # An exact field match worth 0: potensial (7875 + 0) / 100 = 78.75 < 80, medium:
        # medium row [3, 5, 7], as expected -> 5.
        ("0", 5),
    ],
)
def test_the_talent_box_reads_field_points_from_the_weights_file(tmp_path, exact, box):
    edits = None
    if exact is not None:
        edits = _in_force_in_2026("exact: 100", f"exact: {exact}")
    ctx = _holder(tmp_path, edits)
    assert int(ctx.people.talent_box[0]) == box


def _in_force_in_2026(old: str, new: str) -> list[tuple[str, str, str]]:
    """An edit of the version of rules/bobot.yaml in force on 2026-07-01 (the last one)."""
    text = (ROOT / "rules/bobot.yaml").read_text()
    last = text[text.index("- regime: Kepka BKN 411/2025") :]
    assert old in last
    return [("bobot.yaml", last, last.replace(old, new, 1))]


def _holder(folder: Path, edits):
    people = [person(1, **HOLDER)]
    nip = people[0]["nip"]
    posts = [post("PWS-1", eselon="IV.a", jenis_jabatan="Pengawas", nip_pemangku=nip)]
    extra = "talent_box: rules/kotak-talenta.yaml\n"
    return load_context(_round(folder, people, posts, extra, edits))


# --- the file itself --------------------------------------------------------------------


def test_a_level_missing_from_the_file_is_a_problem_at_its_line(tmp_path):
    text = (ROOT / "rules/kesetaraan.yaml").read_text().replace("    - [S3]\n", "", 1)
    path = tmp_path / "kesetaraan.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        load_equivalences(path, "kesetaraan.yaml")
    line = next(k for k, t in enumerate(text.splitlines(), 1) if t.startswith("  ranks:"))
    assert [str(p) for p in err.value.problems] == [
        f"kesetaraan.yaml:{line}: 'pendidikan.ranks': missing pendidikan: S3"
    ]


def test_bands_out_of_order_are_refused(tmp_path):
    text = (ROOT / "rules/kesetaraan.yaml").read_text().replace("min: 60.5", "min: 80.5", 1)
    path = tmp_path / "kesetaraan.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        load_equivalences(path, "kesetaraan.yaml")
    assert "bands must run from the highest 'min' down" in str(err.value.problems[0])


def test_a_round_before_the_equivalences_is_refused_naming_the_file():
    with pytest.raises(InputError) as err:
        EQ.check(dt.date(2017, 4, 6))
    assert [str(p) for p in err.value.problems] == [
        f"rules/kesetaraan.yaml: no {section} version is in force on the scenario date "
        "2017-04-06; the file covers 2017-04-07 onwards; allowed: a scenario date the file "
        "covers, or a version of the file for that date"
        for section in ("pendidikan", "jenjang")
    ]


def _file(tmp_path: Path, edit) -> Path:
    """The bundled file with ``edit`` applied to its data (a dict), written anew."""
    import yaml

    data = yaml.safe_load((ROOT / "rules/kesetaraan.yaml").read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "kesetaraan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _problems(path: Path) -> str:
    with pytest.raises(InputError) as err:
        load_equivalences(path, "kesetaraan.yaml")
    return " | ".join(str(p) for p in err.value.problems)


def test_a_level_listed_twice_is_refused_naming_it(tmp_path):
    path = _file(tmp_path, lambda d: d["pendidikan"]["ranks"].append(["S3"]))
    assert _problems(path).endswith("'pendidikan.ranks': pendidikan listed more than once: S3")


@pytest.mark.parametrize("section", ["pendidikan", "jenjang", "skp_angka"])
def test_a_legal_basis_of_three_characters_is_enough_and_of_two_is_not(tmp_path, section):
    def source(text):
        return lambda d: d[section].__setitem__("source", text)

    assert load_equivalences(_file(tmp_path, source("PP1"))).versions  # three: read
    assert _problems(_file(tmp_path, source("PP"))).endswith(
        f"'{section}.source': found 'PP': should have at least 3 character(s)"
    )


def test_every_level_in_one_entry_is_one_rank_and_no_entry_at_all_is_refused(tmp_path):
    every = [[label for entry in EQ_RANKS for label in entry]]
    eq = load_equivalences(_file(tmp_path, lambda d: d["jenjang"].__setitem__("ranks", every)))
    assert set(eq.jenjang.values()) == {0} and eq.levels_of(0) == every[0]
    empty = _file(tmp_path, lambda d: d["jenjang"].__setitem__("ranks", []))
    assert _problems(empty).endswith("'jenjang.ranks': should have at least 1 item(s)")


EQ_RANKS = [
    ["Pelaksana", "Fungsional Pemula"],
    ["Fungsional Terampil", "Fungsional Mahir", "Fungsional Penyelia", "Fungsional Ahli Pertama"],
    ["Fungsional Ahli Muda", "Pengawas"],
    ["Fungsional Ahli Madya", "Administrator"],
    ["Fungsional Ahli Utama", "JPT Pratama"],
    ["JPT Madya"],
    ["JPT Utama"],
]


def test_the_levels_of_each_rank_are_the_files_entries_in_order():
    # rules/kesetaraan.yaml's jenjang, read by hand
    assert [EQ.levels_of(k) for k in range(len(EQ_RANKS))] == EQ_RANKS
    assert EQ.levels_of(len(EQ_RANKS)) == []


@pytest.mark.parametrize(
    ("number", "predikat"),
    [
        (100.0, "Sangat Baik"),
        (90.5, "Sangat Baik"),  # a band's lowest number is in the band
        (90.49, "Baik"),
        (75.5, "Baik"),
        (60.5, "Butuh Perbaikan"),
        (50.5, "Kurang"),
        (50.49, "Sangat Kurang"),
        (0.0, "Sangat Kurang"),
    ],
)
def test_a_number_on_a_bands_bound_is_in_that_band(number, predikat):
    assert EQ.predikat(number) == predikat


def _bands(bands):
    return lambda d: d["skp_angka"].__setitem__("bands", bands)


def test_band_bounds_run_from_100_down_to_0(tmp_path):
    top = [{"min": 100, "value": "Sangat Baik"}, {"min": 0, "value": "Baik"}]
    assert load_equivalences(_file(tmp_path, _bands(top))).bands == (
        (100.0, "Sangat Baik"),
        (0.0, "Baik"),
    )
    one = load_equivalences(_file(tmp_path, _bands([{"min": 0, "value": "Baik"}])))
    assert one.bands == ((0.0, "Baik"),) and one.predikat(100) == "Baik"
    above = [{"min": 100.5, "value": "Sangat Baik"}, {"min": 0, "value": "Baik"}]
    assert _problems(_file(tmp_path, _bands(above))).endswith(
        "'skp_angka.bands[0].min': found 100.5: should be at most 100.0"
    )
    below = [{"min": 50, "value": "Baik"}, {"min": -0.5, "value": "Kurang"}]
    assert _problems(_file(tmp_path, _bands(below))).endswith(
        "'skp_angka.bands[1].min': found -0.5: should be at least 0.0"
    )
    assert _problems(_file(tmp_path, _bands([]))).endswith(
        "'skp_angka.bands': should have at least 1 item(s)"
    )


def test_two_bands_with_one_bound_are_refused(tmp_path):
    same = [
        {"min": 75.5, "value": "Baik"},
        {"min": 75.5, "value": "Butuh Perbaikan"},
        {"min": 0, "value": "Kurang"},
    ]
    assert "bands must run from the highest 'min' down" in _problems(_file(tmp_path, _bands(same)))


def test_what_was_read_cannot_be_changed_afterwards():
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        EQ.name = "another file"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        EQ.versions[0].source = "another basis"  # type: ignore[misc]
