"""bidang_keilmuan: the explanation names the person's major, the post's field and the grade."""

from factories import person

from engine.rules.kind import FAIL, PASS


def test_the_explanation_names_the_major_the_field_and_the_match(judge):
    # rules/taksonomi.yaml: Teknik Sipil is a field of its own family, Perencanaan Wilayah
    # dan Kota a major of the field Perencanaan Wilayah (another family), Akuntansi of
    # the field Akuntansi. The post's field is Teknik Sipil.
    got = judge(
        {"bidang_keilmuan": {"min": "family"}},
        [
            person(1, jurusan="Teknik Sipil"),
            person(2, jurusan="Teknik Konstruksi"),
            person(3, jurusan="Akuntansi"),
        ],
    )
    assert got.verdicts == [PASS, PASS, FAIL]
    assert got.id[0] == (
        "jurusan Teknik Sipil, bidang jabatan Teknik Sipil: kecocokan 'exact'; "
        "syarat paling lemah 'family'"
    )
    assert got.en[2] == (
        "major Akuntansi, post field Teknik Sipil: match 'none'; required at least 'family'"
    )
    assert got.cf[2].id == "perlu jurusan dalam bidang Teknik Sipil (kecocokan 'family' atau lebih)"
    assert got.cf[2].from_date is None
