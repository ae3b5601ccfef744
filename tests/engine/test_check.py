import shutil

from factories import ROOT

from engine.check import check_paths


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
    assert "struktural.yaml:11: 'require.pendidikan.min': found 'S5'" in joined
    assert "struktural.yaml:19: unknown key 'sumber'" in joined
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
    assert "t.csv:1: not a pegawai, jabatan or riwayat table" in joined
    assert "missing.yaml: not found" in joined
