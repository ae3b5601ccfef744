"""The ordered scales, written out from the regulations (not read back from the code).

Sources: PP 99/2000 (golongan and pangkat), PP 11/2017 jo. PP 17/2020
(S1/D-IV, the managerial levels), PermenPANRB 6/2022 (SKP predikat),
PermenPANRB 17/2021 (functional levels equal to structural ones), PP 94/2021
(sanction levels); ../shared/DOMAIN.md "Posts and ranks".
"""

from __future__ import annotations

import pandas as pd

from engine.inputs import scales


def test_golongan_runs_from_i_a_to_iv_e():
    # I and II and III have ruang a-d, IV has a-e: 4 + 4 + 4 + 5 = 17 steps.
    assert scales.GOLONGAN == (
        "I/a", "I/b", "I/c", "I/d",
        "II/a", "II/b", "II/c", "II/d",
        "III/a", "III/b", "III/c", "III/d",
        "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
    )  # fmt: skip
    assert scales.golongan_index("I/a") == 0
    assert scales.golongan_index("III/d") == 11
    assert scales.golongan_index("IV/b") == 13
    assert scales.golongan_index("IV/e") == 16


def test_pangkat_names_of_golongan_iii_and_iv():
    assert scales.PANGKAT["III/c"] == "Penata"
    assert scales.PANGKAT["IV/a"] == "Pembina"
    assert scales.PANGKAT["IV/d"] == "Pembina Utama Madya"
    assert scales.PANGKAT["IV/e"] == "Pembina Utama"


def test_skp_predikat_worst_first():
    assert scales.SKP_PREDIKAT == (
        "Sangat Kurang",
        "Kurang",
        "Butuh Perbaikan",
        "Baik",
        "Sangat Baik",
    )


def test_the_structural_set_is_the_managerial_levels_pengawas_included():
    # DOMAIN.md: managerial = JPT Utama, Madya, Pratama; Administrator; Pengawas.
    # The move policy of a round (engine.plan.pipeline) reads this set.
    assert {
        "Pengawas",
        "Administrator",
        "JPT Pratama",
        "JPT Madya",
        "JPT Utama",
    } == scales.STRUCTURAL


def test_old_eselon_map_onto_todays_levels():
    assert scales.ESELON == ("IV.b", "IV.a", "III.b", "III.a", "II.b", "II.a", "I.b", "I.a")
    assert [scales.ESELON_JENIS[e] for e in scales.ESELON] == [
        "Pengawas",
        "Pengawas",
        "Administrator",
        "Administrator",
        "JPT Pratama",
        "JPT Pratama",
        "JPT Madya",
        "JPT Madya",
    ]


def test_sanction_levels_lightest_first():
    assert scales.HUKUMAN_TINGKAT == ("ringan", "sedang", "berat")


def test_a_categorical_compares_as_the_regulation_orders():
    col = pd.Series(scales.categorical(["III/c", "IV/a", "III/d", "II/d"], scales.GOLONGAN))
    assert (col >= "III/d").tolist() == [False, True, True, False]
    assert col.cat.ordered
