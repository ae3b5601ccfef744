from pathlib import Path

import openpyxl
import pytest
from factories import JABATAN_HEADER, PEGAWAI_HEADER, person, post, write_csv

from engine.errors import InputError
from engine.inputs.data import load_tables


def tables(tmp_path: Path, people, posts, delimiter=","):
    write_csv(tmp_path / "p.csv", PEGAWAI_HEADER, people, delimiter)
    write_csv(tmp_path / "j.csv", JABATAN_HEADER, posts, delimiter)
    return load_tables(tmp_path / "p.csv", tmp_path / "j.csv")


def messages(tmp_path: Path, people, posts) -> list[str]:
    with pytest.raises(InputError) as info:
        tables(tmp_path, people, posts)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_typed_tables_from_either_delimiter(tmp_path, delimiter):
    a = person(1)
    t = tables(
        tmp_path,
        [a, person(2, skp_2024="84.5")],
        [post("X", nip_pemangku=a["nip"], eselon="IV.a", jenis_jabatan="Pengawas")],
        delimiter,
    )
    peg = t.pegawai
    assert peg["golongan"].cat.ordered and next(iter(peg["golongan"].cat.categories)) == "I/a"
    assert peg["golongan"].iloc[0] > "III/d"
    # PP 46/2011 number 84.5 reads as Baik (76-90).
    assert peg["skp_2024"].iloc[1] == "Baik"
    assert peg["pelatihan"].iloc[0] == {"PKP": 2015}
    assert t.jabatan["kritis"].dtype == bool
    assert len(t.sources["pegawai"]) == 64


def test_every_problem_is_listed_with_file_line_and_column(tmp_path):
    a, b = person(1), person(2, golongan="3d", jenis_kelamin="P")
    b["nip"] = a["nip"]  # duplicate, and its encoded sex contradicts the row
    msgs = messages(tmp_path, [a, b], [post("X", nip_pemangku="199001012015011001")])
    joined = "\n".join(msgs)
    assert "p.csv:3: 'golongan': '3d' is not allowed" in joined
    assert "p.csv:3: 'nip': NIP" in joined and "appears twice (first at line 2)" in joined
    assert "encodes sex L but jenis_kelamin is P" in joined
    assert (
        "j.csv:2: 'nip_pemangku': incumbent NIP 199001012015011001 is not in the pegawai table"
        in joined
    )


def test_nip_must_encode_birth_date_and_tmt(tmp_path):
    a = person(1)
    a["nip"] = "19750511" + a["nip"][8:]
    c = person(3)
    c["nip"] = c["nip"][:8] + "200104" + c["nip"][14:]
    joined = "\n".join(messages(tmp_path, [a, c], [post("X")]))
    assert "encodes birth date 1975-05-11 but tanggal_lahir is 1975-05-10" in joined
    assert "encodes TMT CPNS 2001-04 but tmt_cpns is 2000-03-01" in joined


def test_missing_and_unknown_columns(tmp_path):
    people = [person(1)]
    write_csv(
        tmp_path / "p.csv",
        [h if h != "golongan" else "golongn" for h in PEGAWAI_HEADER],
        [{**people[0], "golongn": "IV/a"}],
    )
    write_csv(tmp_path / "j.csv", JABATAN_HEADER, [post("X")])
    with pytest.raises(InputError) as info:
        load_tables(tmp_path / "p.csv", tmp_path / "j.csv")
    joined = str(info.value)
    assert "unknown column 'golongn'" in joined and "did you mean 'golongan'?" in joined
    assert "required column 'golongan' is missing" in joined


def test_parent_cycle_and_double_incumbent(tmp_path):
    a = person(1)
    posts = [
        post("A", atasan_id="B"),
        post("B", atasan_id="A", nip_pemangku=a["nip"], eselon="IV.a", jenis_jabatan="Pengawas"),
        post("C", nip_pemangku=a["nip"], eselon="IV.a", jenis_jabatan="Pengawas"),
    ]
    joined = "\n".join(messages(tmp_path, [a], posts))
    assert "parents form a cycle: A -> B -> A" in joined
    assert "is already incumbent of 'B'" in joined


def test_incumbent_level_must_match_post(tmp_path):
    a = person(1, jenis_jabatan="Pelaksana")
    joined = "\n".join(messages(tmp_path, [a], [post("X", nip_pemangku=a["nip"])]))
    assert "holds post 'X' (Administrator) but jenis_jabatan is 'Pelaksana'" in joined


def test_xlsx_is_read_like_csv(tmp_path):
    a = person(1)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(PEGAWAI_HEADER)
    sheet.append([a[h] for h in PEGAWAI_HEADER])
    book.save(tmp_path / "p.xlsx")
    write_csv(tmp_path / "j.csv", JABATAN_HEADER, [post("X")])
    t = load_tables(tmp_path / "p.xlsx", tmp_path / "j.csv")
    assert t.pegawai["nip"].iloc[0] == a["nip"]
    sheet["D2"] = "not a date"
    book.save(tmp_path / "p.xlsx")
    with pytest.raises(InputError) as info:
        load_tables(tmp_path / "p.xlsx", tmp_path / "j.csv")
    assert "p.xlsx: row 2, 'tanggal_lahir'" in str(info.value)


def test_empty_file(tmp_path):
    (tmp_path / "p.csv").write_text("")
    write_csv(tmp_path / "j.csv", JABATAN_HEADER, [post("X")])
    with pytest.raises(InputError, match="file is empty"):
        load_tables(tmp_path / "p.csv", tmp_path / "j.csv")


def test_only_rows_whose_nip_may_disagree_are_looked_at_one_by_one():
    # Row 0 agrees (born 1990-01-01, CPNS 2015-01, digit 1 = L); row 1's NIP says born
    # 1990-01-02; row 2's sex digit is 3; row 3 is not a NIP; row 4 has no birth date.
    import pandas as pd

    from engine.inputs.data import _nip_rows_to_check

    nips = pd.Series(
        [
            "199001012015011001",
            "199001022015011001",
            "199001012015013001",
            "abc",
            "199001012015011001",
        ],
        dtype=object,
    )
    born = pd.to_datetime(pd.Series(["1990-01-01"] * 4 + [None]))
    tmt = pd.to_datetime(pd.Series(["2015-01-01"] * 5))
    sex = pd.Series(["L"] * 5, dtype="category")
    assert _nip_rows_to_check(nips, born, tmt, sex).tolist() == [1, 2, 3, 4]


def test_a_nip_sex_digit_other_than_1_or_2_is_reported(tmp_path):
    a = person(1)
    a["nip"] = a["nip"][:14] + "3" + a["nip"][15:]
    joined = "\n".join(messages(tmp_path, [a], [post("X")]))
    assert f"p.csv:2: 'nip': NIP {a['nip']} has sex digit 3" in joined
