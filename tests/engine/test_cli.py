"""The command line as a user meets it: messages and exit codes, never a traceback."""

import subprocess
import sys
from pathlib import Path

from factories import ROOT


def talenta(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The command line, with --lang en unless it says a language (expected messages are English)."""
    lang = () if "--lang" in args or args[:1] == ("--help",) else ("--lang", "en")
    return subprocess.run(
        [sys.executable, "-m", "engine.cli", *args, *lang],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_bad_rule_file_exits_2_with_line(tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text(
        "- id: X Y\n  title: t\n  require: {usia: {max: old}}\n  source: s s\n  effective: {from: 2020-01-01}\n"
    )
    run = talenta("check", str(bad))
    assert run.returncode == 2
    assert "r.yaml:1:" in run.stderr and "r.yaml:3:" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_explain_names_each_rule_and_source():
    nip = (ROOT / "data/demo/pegawai.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    post = (
        (ROOT / "data/demo/jabatan.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    )
    run = talenta("explain", nip, post, "--lang", "en")
    assert run.returncode == 0, run.stderr
    assert "PP 11/2017" in run.stdout or "PP 100/2000" in run.stdout
    # The demo's first pegawai, born 1968-07-14, is 57 on the demo date 2026-07-01
    # (58th birthday 2026-07-14): past the JPT Pratama limit of 56. Of their posts only
    # the current one, Sekretaris Daerah since 2023-02-09, is in the post's field (Ilmu
    # Pemerintahan; the others were Ekonomi and Teknologi Informasi): 40 complete months,
    # short of five years in related fields. Every other hard rule passes (S2 >= S1,
    # 3.4 years in post >= 2, SKP Baik twice, IV/c >= IV/b, no sanction).
    lines = [line.strip() for line in run.stdout.splitlines() if line.strip()]
    assert lines[-1] == "NOT ELIGIBLE: jpt-pratama.pengalaman-bidang, jpt-pratama.usia"
    assert "ELIGIBLE" not in lines[:-1] and "MEMENUHI SYARAT" not in run.stdout


def test_unknown_scenario_is_a_message():
    run = talenta("plan", "no/such.yaml")
    assert run.returncode == 2
    assert "no/such.yaml: file not found" in run.stderr
    assert "Traceback" not in run.stderr


def test_bad_language():
    run = talenta("plan", "--lang", "fr")
    assert run.returncode == 2 and "--lang 'fr'" in run.stderr


def test_rerun_from_manifest_is_identical_and_refuses_changed_inputs(tmp_path):
    import shutil

    for sub in ("scenarios", "rules", "data"):
        shutil.copytree(ROOT / sub, tmp_path / sub)
    first = talenta("plan", "--out", "out", "--quiet", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    again = talenta("rerun", "out/plan.json", "--out", "out2", "--lang", "id", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "identik" in again.stdout  # the console speaks Indonesian by default
    assert (tmp_path / "out/plan.json").read_bytes() == (tmp_path / "out2/plan.json").read_bytes()
    bobot = tmp_path / "rules/bobot.yaml"
    bobot.write_text(bobot.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    changed = talenta("rerun", "out/plan.json", "--out", "out3", cwd=tmp_path)
    assert changed.returncode == 2
    assert "input 'weights' changed since the plan was made" in changed.stderr
    assert not (tmp_path / "out3").exists()


def test_explain_applies_the_scenarios_move_policy():
    """Issue 14 item 13: explain uses the round's one move policy (within the kecamatan)."""
    from engine.eligibility.moves import person_kecamatan
    from engine.plan.pipeline import build_plan

    plan = build_plan(ROOT / "scenarios/demo.yaml")
    ctx = plan.context
    kec = person_kecamatan(ctx.people, ctx.posts)
    row = {nip: i for i, nip in enumerate(ctx.people.nip)}
    col = {pid: j for j, pid in enumerate(ctx.posts.jabatan_id)}
    crossing = next(
        p
        for p in plan.record.placements
        if kec[row[p.nip]] != ctx.posts.kecamatan[col[p.to.jabatan_id]]
    )
    args = ("explain", crossing.nip, crossing.to.jabatan_id, "--lang", "en")
    free = talenta(*args)
    assert free.returncode == 0, free.stderr
    assert free.stdout.strip().splitlines()[-1] == "ELIGIBLE"
    within = talenta(*args, "--scenario", "scenarios/dalam-kecamatan.yaml")
    assert within.returncode == 0, within.stderr
    assert within.stdout.strip().splitlines()[-1] == (
        "NOT ELIGIBLE: the scenario's move policy does not allow a move to this post"
    )


def test_help_shows_flags_without_type_noise():
    """Issue 15 item 14: '--quiet' is a flag, not '--quiet <bool>'."""
    for command in ("plan", "explain", "succession", "compare"):
        run = talenta(command, "--help")
        assert run.returncode == 0, run.stderr
        assert "<bool>" not in run.stdout, command
        assert "--help" in run.stdout


def test_explain_keeps_every_rule_id_whole_on_a_narrow_terminal():
    """Issue 15 item 14: on 80 columns each rule id stands whole at the start of its line."""
    import os

    from engine.eligibility.candidates import verdicts
    from engine.plan.pipeline import load_context

    nip = (ROOT / "data/demo/pegawai.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    post = (
        (ROOT / "data/demo/jabatan.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    )
    run = subprocess.run(
        [sys.executable, "-m", "engine.cli", "explain", nip, post, "--lang", "en"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert run.returncode == 0, run.stderr
    ctx = load_context(ROOT / "scenarios/demo.yaml")
    i = list(ctx.people.nip).index(nip)
    j = list(ctx.posts.jabatan_id).index(post)
    ids = [
        v.rule_id for v in verdicts(ctx.people, ctx.posts, ctx.ruleset, ctx.taxonomy, ctx.day, i, j)
    ]
    starts = [line.split()[0] for line in run.stdout.splitlines() if line and not line[0].isspace()]
    assert ids and all(rid in starts for rid in ids), (ids, starts)


def test_the_readme_lists_every_command():
    """Issue 15 item 14: every command of the CLI has a row in the README's table."""
    from engine.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert "rerun" in names
    for name in names:
        assert f"| `talenta {name}" in readme, name


def test_an_unquoted_nip_in_a_pin_gets_a_hint_to_quote_it(tiny_round, tmp_path):
    """Issue 15, item 13: YAML reads an unquoted NIP as a number; the message says to quote it."""
    from factories import person, post

    a = person(1)
    scenario = tiny_round(
        [a],
        [post("KABID")],
        extra=f"pins:\n  - {{nip: {a['nip']}, jabatan_id: KABID}}\n"
        "bans:\n  - {nip: '" + a["nip"] + "', jabatan_id: 0042}\n",
    )
    run = talenta("plan", str(scenario), "--out", str(tmp_path / "out"))
    assert run.returncode == 2
    err = "".join(run.stderr.split())  # the console wraps lines anywhere
    line = next(k for k, row in enumerate(scenario.read_text().splitlines(), 1) if "pins:" in row)
    assert f"scenario.yaml:{line + 1}:'pins[0].nip'" in err
    assert f"quoteitexactlyasthetablehasit:nip:'{a['nip']}'" in err
    # A post id loses its leading zeros: 0042 is read as 42.
    assert "'bans[0].jabatan_id':found42" in err and "jabatan_id:'42'" in err
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()
