"""kenaikan_jenjang: the levels climbed, explained in each language, and the post to hold first."""

from factories import person

from engine.rules.kind import FAIL, PASS


def test_the_levels_climbed_are_explained_and_the_step_to_take_first_named(judge):
    # The post is an Administrator post (level 3, scales.LEVEL_RANK).
    got = judge(
        {"kenaikan_jenjang": {"max_steps": 1}},
        [
            person(1, jenis_jabatan="Pengawas"),  # level 2: one up
            person(2, jenis_jabatan="Pelaksana"),  # level 0: three up
            person(3, jenis_jabatan="JPT Pratama", golongan="IV/c"),  # level 4: one down
        ],
    )
    assert got.verdicts == [PASS, FAIL, PASS]
    assert got.id[0] == (
        "jabatan sekarang Pengawas, jabatan yang dituju Administrator: "
        "naik 1 jenjang; syarat paling banyak 1"
    )
    assert got.en[1] == (
        "current post Pelaksana, post applied for Administrator: 3 level(s) up; allowed at most 1"
    )
    assert "naik 0 jenjang" in got.id[2]  # a step down climbs no level
    assert "0 level(s) up" in got.en[2]
    # One level below Administrator: Fungsional Ahli Muda and Pengawas (level 2).
    assert got.cf[1].id == "perlu menduduki jabatan Fungsional Ahli Muda / Pengawas lebih dahulu"
    assert got.cf[1].en == "needs to hold a Fungsional Ahli Muda / Pengawas post first"
    two = judge({"kenaikan_jenjang": {"max_steps": 2}}, [person(1, jenis_jabatan="Pelaksana")])
    assert two.verdicts == [FAIL]
    assert two.cf[0].id == (
        "perlu menduduki jabatan Fungsional Terampil / Fungsional Mahir / Fungsional Penyelia / "
        "Fungsional Ahli Pertama lebih dahulu"
    )
