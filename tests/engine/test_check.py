import shutil

import pytest
from factories import JABATAN_HEADER, PEGAWAI_HEADER, ROOT, person, post, write_csv

from engine.check import check_paths
from engine.errors import InputError
from engine.round.context import load_context


def test_bundled_inputs_pass():
    result = check_paths([ROOT / "rules", ROOT / "scenarios", ROOT / "data/demo"])
    assert result.problems == []
    kinds = {what.split(" ")[0] for _, what in result.checked}
    assert kinds >= {
        "rules",
        "taxonomy",
        "weights",
        "bup",
        "scenario",
        "pegawai",
        "jabatan",
        "riwayat",
    }


def test_planted_errors_in_a_copy_of_rules_are_all_reported(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    text = (rules / "struktural.yaml").read_text(encoding="utf-8")
    text = text.replace("require: {pendidikan: {min: S1}}", "require: {pendidikan: {min: S5}}", 1)
    text = text.replace(
        "  source: PP 11/2017 jo. PP 17/2020, Ps. 107 huruf c angka 4", "  sumber: PP 11/2017", 1
    )
    (rules / "struktural.yaml").write_text(text, encoding="utf-8")
    (rules / "bup.yaml").write_text(
        (rules / "bup.yaml").read_text().replace("JPT Pratama: 60", "JPT Pratama: sixty")
    )
    weights = (rules / "bobot.yaml").read_text().replace("keilmuan: 15", "keilmuan: 25", 1)
    (rules / "bobot.yaml").write_text(weights)
    result = check_paths([rules])
    joined = "\n".join(str(p) for p in result.problems)
    assert "struktural.yaml:15: 'require.pendidikan.min': found 'S5'" in joined
    assert "struktural.yaml:34: unknown key 'sumber'" in joined
    assert "required key 'source' is missing" in joined
    assert "bup.yaml:" in joined and "sixty" in joined
    assert "bobot.yaml:" in joined and "sum to 110" in joined
    assert len(result.problems) == 5


def test_unknown_files_and_missing_paths(tmp_path):
    (tmp_path / "x.yaml").write_text("kind: nonsense\n")
    (tmp_path / "t.csv").write_text("a,b\n1,2\n")
    result = check_paths([tmp_path, tmp_path / "missing.yaml"])
    joined = "\n".join(str(p) for p in result.problems)
    assert "x.yaml:1: not a talenta file" in joined
    assert "t.csv:1: not a pegawai, jabatan, riwayat or hukuman table" in joined
    assert "missing.yaml: not found" in joined


def _line_of(path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(k for k, line in enumerate(lines, start=1) if text in line)


def _plant(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_planted_rule_errors_across_files_are_all_reported_with_lines(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    # 1. an unknown requirement kind (golongan.yaml)
    _plant(
        rules / "golongan.yaml",
        "require: {golongan: {min: IV/b}}",
        "require: {golonggan: {min: IV/b}}",
    )
    kind_line = _line_of(rules / "golongan.yaml", "golonggan")
    # 2. a bad value of a closed list, with a did-you-mean (struktural.yaml)
    _plant(
        rules / "struktural.yaml",
        "applies_to: {jenis_jabatan: Administrator}\n  require: {skp:",
        "applies_to: {jenis_jabatan: Adminstrator}\n  require: {skp:",
    )
    enum_line = _line_of(rules / "struktural.yaml", "Adminstrator")
    # 3. a duplicate key (keilmuan.yaml)
    _plant(
        rules / "keilmuan.yaml",
        "  hard: false\n",
        "  hard: false\n  hard: true\n",
    )
    dup_line = _line_of(rules / "keilmuan.yaml", "hard: true")
    # 4. an exception_of naming no rule, and 5. a contradiction with another file
    (rules / "tambahan.yaml").write_text(
        """\
- id: tambahan.pengawas-s1
  title: Pengawas berijazah paling rendah S1 (contoh).
  applies_to: {jenis_jabatan: Pengawas}
  require: {pendidikan: {min: S1}}
  source: Perbup (contoh)
  effective: {from: 2024-01-01}
- id: tambahan.pengecualian
  title: Pengecualian (contoh).
  applies_to: {jenis_jabatan: Pengawas, unit: Inspektorat}
  require: {usia: {max: 50}}
  source: Perbup (contoh)
  effective: {from: 2024-01-01}
  exception_of: pengawas.pendidkan
""",
        encoding="utf-8",
    )
    original = _line_of(rules / "struktural.yaml", "- id: pengawas.pendidikan")
    result = check_paths([rules])
    shown = [str(p) for p in result.problems]
    joined = "\n".join(shown)

    assert f"golongan.yaml:{kind_line}: 'require': unknown key 'golonggan'" in joined
    assert "(did you mean 'golongan'?)" in joined
    enum = next(s for s in shown if "Adminstrator" in s)
    assert f"struktural.yaml:{enum_line}:" in enum and "did you mean 'Administrator'?" in enum
    assert f"keilmuan.yaml:{dup_line}:" in joined and "duplicate key 'hard'" in joined
    assert (
        "tambahan.yaml:7: 'tambahan.pengecualian.exception_of': exception_of names unknown rule 'pengawas.pendidkan'"
        in joined
    )
    assert "did you mean 'pengawas.pendidikan'?" in joined
    clash = next(s for s in shown if "both set 'pendidikan'" in s)
    assert clash.startswith(str(rules / "tambahan.yaml") + ":1: rule 'tambahan.pengawas-s1'")
    assert f"struktural.yaml:{original})" in clash
    assert "exception_of: pengawas.pendidikan" in clash
    # All five in one run, nothing else.
    assert len(result.problems) == 5, joined


def _own_data_project(tmp_path):
    """A copy of the project's scenarios, rules and demo data, and an own-data scenario
    that extends the demo with its own pegawai and jabatan tables."""
    for folder in ("scenarios", "rules", "data/demo"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    own = tmp_path / "data/own"
    own.mkdir()
    a = person(1)
    write_csv(own / "pegawai.csv", PEGAWAI_HEADER, [a])
    write_csv(own / "jabatan.csv", JABATAN_HEADER, [post("KABID")])
    return tmp_path / "scenarios"


def test_a_scenario_is_checked_as_its_round_reads_it(tmp_path):
    scenarios = _own_data_project(tmp_path)
    # Own data, but the demo's post history is inherited through extends: silently.
    (scenarios / "own.yaml").write_text(
        "kind: scenario\nextends: demo.yaml\nname: Data sendiri\n"
        "data: {pegawai: ../data/own/pegawai.csv, jabatan: ../data/own/jabatan.csv}\n",
        encoding="utf-8",
    )
    result = check_paths([scenarios / "own.yaml"])
    joined = "\n".join(str(p) for p in result.problems)
    assert "riwayat_jabatan.csv" in joined and "is not in the pegawai table" in joined
    # The same messages a round gives.
    with pytest.raises(InputError) as err:
        load_context(scenarios / "own.yaml")
    assert {str(p) for p in result.problems} == {str(p) for p in err.value.problems}


def test_a_rule_naming_a_unit_the_data_lacks_fails_the_check_of_its_scenario(tmp_path):
    scenarios = _own_data_project(tmp_path)
    (tmp_path / "rules/lokal.yaml").write_text(
        "- id: lokal.pupr\n"
        "  title: Contoh aturan untuk satu unit.\n"
        "  applies_to: {unit: Dinas Pekerjaan Umum Lama}\n"
        "  require: {jpm: {min: 60}}\n"
        "  source: contoh\n"
        "  effective: {from: 2020-01-01}\n",
        encoding="utf-8",
    )
    (scenarios / "lokal.yaml").write_text(
        "kind: scenario\nextends: demo.yaml\nname: Aturan lokal\n"
        "rules: [../rules/struktural.yaml, ../rules/lokal.yaml]\n",
        encoding="utf-8",
    )
    alone = check_paths([tmp_path / "rules/lokal.yaml"])
    assert alone.problems == []  # a rule file alone names no table
    result = check_paths([scenarios / "lokal.yaml"])
    joined = "\n".join(str(p) for p in result.problems)
    assert (
        "lokal.yaml:1:" in joined
        and "unit 'Dinas Pekerjaan Umum Lama' is not in the jabatan" in joined
    )
