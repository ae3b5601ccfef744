"""Multi-year horizon: rank progression on schedule, retirements at BUP, placements applied."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from factories import (
    JABATAN_HEADER,
    PEGAWAI_HEADER,
    ROOT,
    SCENARIO_TEMPLATE,
    person,
    post,
    write_csv,
)

from engine.check import check_paths
from engine.errors import InputError
from engine.inputs import scales
from engine.inputs.data import load_tables
from engine.inputs.progression import RankProgression, load_rank_progression
from engine.plan.pipeline import load_context
from engine.report.succession import render_succession
from engine.succession.analysis import analyse
from engine.succession.horizon import carry_skp, run_horizon

RULES = (ROOT / "rules/struktural.yaml").read_text(encoding="utf-8") + (
    ROOT / "rules/golongan.yaml"
).read_text(encoding="utf-8")
PROGRESSION = load_rank_progression(ROOT / "rules/kenaikan-pangkat.yaml")


def _g(label: str) -> int:
    return scales.golongan_index(label)


def test_rank_progression_hand_worked():
    """A step due after 4 complete years in grade takes effect on the next 1 April or
    1 October (rules/kenaikan-pangkat.yaml); never above the ceiling of the level."""
    rp = PROGRESSION
    golongan = np.array([_g("III/b"), _g("III/b"), _g("IV/a"), _g("III/d"), -1], dtype=np.int16)
    tmt = np.array(
        ["2018-04-01", "2018-04-01", "2010-01-01", "2015-01-01", "2010-01-01"],
        dtype="datetime64[D]",
    )
    jenis = np.array(
        ["Pengawas", "Pengawas", "Pengawas", "Administrator", "Pelaksana"], dtype=object
    )
    new, new_tmt = rp.project(golongan, tmt, jenis, dt.date(2027, 1, 4))
    # 8 years: two steps to III/d (the Pengawas ceiling), due on 1 April 2022 and 2026, both
    # promotion dates; IV/a is above the Pengawas ceiling: unchanged; Administrator III/d
    # since 2015-01-01: due 2019-01-01, in effect 2019-04-01, the next 2023-04-01 (a third
    # would come 2027-04-01), and the ceiling IV/b allows two; missing golongan: unchanged.
    assert [scales.GOLONGAN[g] if g >= 0 else None for g in new] == [
        "III/d",
        "III/d",
        "IV/a",
        "IV/b",
        None,
    ]
    assert [str(d) for d in new_tmt] == [
        "2026-04-01",
        "2026-04-01",
        "2010-01-01",
        "2023-04-01",
        "2010-01-01",
    ]
    # A day before the second step falls due: one step.
    new, new_tmt = rp.project(golongan[:1], tmt[:1], jenis[:1], dt.date(2026, 3, 31))
    assert scales.GOLONGAN[new[0]] == "III/c" and str(new_tmt[0]) == "2022-04-01"


def test_bad_rank_progression_file_lists_every_problem_with_its_line(tmp_path):
    path = tmp_path / "pangkat.yaml"
    path.write_text(
        "kind: rank_progression\n"
        "source: contoh uji\n"
        "effective: {from: 2002-01-01}\n"
        "period_years: 4\n"
        "periode: 4\n"
        "ceilings:\n"
        "  Pelaksana: IV/f\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_rank_progression(path, "pangkat.yaml")
    text = str(err.value)
    assert "pangkat.yaml:5: unknown key 'periode'" in text
    assert "pangkat.yaml:7:" in text and "IV/f" in text
    result = check_paths([path])
    assert result.problems and all("pangkat.yaml" in p.file for p in result.problems)
    assert check_paths([ROOT / "rules/kenaikan-pangkat.yaml"]).checked == [
        (str(ROOT / "rules/kenaikan-pangkat.yaml"), "rank_progression")
    ]


def test_rank_progression_doctest_example():
    rp = RankProgression(4, {j: "III/d" for j in scales.JENIS_JABATAN}, "contoh")
    new, _ = rp.project(
        np.array([_g("III/a")], dtype=np.int16),
        np.array(["2020-01-01"], dtype="datetime64[D]"),
        np.array(["Pelaksana"], dtype=object),
        dt.date(2024, 1, 1),
    )
    # Due 2024-01-01, in effect on the next promotion date, 2024-04-01.
    assert scales.GOLONGAN[new[0]] == "III/a"
    new, new_tmt = rp.project(
        np.array([_g("III/a")], dtype=np.int16),
        np.array(["2020-01-01"], dtype="datetime64[D]"),
        np.array(["Pelaksana"], dtype=object),
        dt.date(2024, 4, 1),
    )
    assert scales.GOLONGAN[new[0]] == "III/b" and str(new_tmt[0]) == "2024-04-01"


def _organisation():
    """On 2026-07-01 (the tiny round's date):

    - R heads KABID and reaches BUP (58) on 2027-04-01: leaves in year 0;
    - R2 heads KABID2 and reaches BUP on 2027-12-01: leaves in year 1;
    - A (Kepala Seksi since 2019, IV/a) is eligible for KABID now;
    - C (Kepala Seksi, III/b since 2022-09-01) needs III/c for a III.b post: the
      regular step falls due 2026-09-01 (in effect 2026-10-01), so C is eligible from year 1 only
      with rank progression;
    - P (Pelaksana since 2015) is eligible for a seksi.
    """
    r = person(1, jenis_jabatan="Administrator", tanggal_lahir="1969-03-10")
    r2 = person(2, jenis_jabatan="Administrator", tanggal_lahir="1969-11-10")
    a = person(3)
    c = person(4, golongan="III/b", tmt_golongan="2022-09-01", jpm="60")
    p = person(
        5,
        jenis_jabatan="Pelaksana",
        golongan="III/b",
        tmt_jabatan="2015-01-01",
        tanggal_lahir="1985-01-01",
    )
    posts = [
        post("KABID", nip_pemangku=r["nip"]),
        post("KABID2", nip_pemangku=r2["nip"]),
        post(
            "SEKSI_A",
            eselon="IV.a",
            jenis_jabatan="Pengawas",
            atasan_id="KABID",
            nip_pemangku=a["nip"],
        ),
        post(
            "SEKSI_C",
            eselon="IV.a",
            jenis_jabatan="Pengawas",
            atasan_id="KABID2",
            nip_pemangku=c["nip"],
        ),
    ]
    return {"R": r, "R2": r2, "A": a, "C": c, "P": p}, posts


@pytest.fixture(scope="module")
def horizon(tmp_path_factory):
    """The organisation's 3-year horizon, run once for the tests that only read it."""
    people, posts = _organisation()
    folder = tmp_path_factory.mktemp("horizon")
    write_csv(folder / "pegawai.csv", PEGAWAI_HEADER, list(people.values()))
    write_csv(folder / "jabatan.csv", JABATAN_HEADER, posts)
    (folder / "rules.yaml").write_text(RULES, encoding="utf-8")
    scenario = folder / "scenario.yaml"
    scenario.write_text(
        SCENARIO_TEMPLATE.format(rules=folder / "rules.yaml", root=ROOT, extra=""),
        encoding="utf-8",
    )
    ctx = load_context(scenario)
    return people, ctx, run_horizon(ctx, 3, PROGRESSION)


def test_year_0_retirement_opens_a_post_filled_through_a_chain(horizon):
    people, _, hz = horizon
    y0 = hz.years[0].summary()
    assert y0["date"] == "2026-07-01" and y0["retiring"] == 1
    moves = {(p.nip, p.to.jabatan_id) for p in hz.years[0].plan.record.placements}
    assert moves == {(people["A"]["nip"], "KABID"), (people["P"]["nip"], "SEKSI_A")}
    (chain,) = y0["chains"]
    assert chain["posts"] == ["KABID", "SEKSI_A"] and chain["end"] == "outside"


def test_next_year_tables_carry_the_moves_retirements_and_rank_steps(horizon):
    people, _, hz = horizon
    ctx1 = hz.years[1].context
    assert ctx1.day == dt.date(2027, 7, 1)
    peg = ctx1.tables.pegawai.set_index("nip")
    assert people["R"]["nip"] not in peg.index
    a = peg.loc[people["A"]["nip"]]
    assert (a["jenis_jabatan"], a["nama_jabatan"]) == ("Administrator", "Jabatan KABID")
    assert a["tmt_jabatan"] == dt.datetime(2026, 7, 1)
    jab = ctx1.tables.jabatan.set_index("jabatan_id")
    assert jab.loc["KABID", "nip_pemangku"] == people["A"]["nip"]
    assert jab.loc["SEKSI_A", "nip_pemangku"] == people["P"]["nip"]
    riw = ctx1.tables.riwayat
    rows = riw[riw["nip"] == people["A"]["nip"]].sort_values("tmt_mulai")
    assert rows["jenis_jabatan"].astype(str).tolist() == ["Pengawas", "Administrator"]
    assert str(rows["tmt_selesai"].iloc[0].date()) == "2026-07-01"
    assert rows["tmt_selesai"].isna().tolist() == [False, True]
    # C's step fell due on 2026-09-01 and took effect on 1 October 2026.
    c = peg.loc[people["C"]["nip"]]
    assert (c["golongan"], str(c["tmt_golongan"].date())) == ("III/c", "2026-10-01")
    assert hz.years[1].rank_steps >= 1


def test_rank_progression_makes_the_next_round_possible(horizon):
    people, ctx, hz = horizon
    moves1 = {(p.nip, p.to.jabatan_id) for p in hz.years[1].plan.record.placements}
    assert (people["C"]["nip"], "KABID2") in moves1
    y1 = hz.years[1].summary()
    assert y1["retiring"] == 1 and y1["chains"][0]["end"] == "unfilled"
    # Without rank progression C stays III/b: KABID2 stays empty, blocked by golongan.
    frozen = run_horizon(ctx, 2, None)
    unfilled = {u["jabatan_id"]: u for u in frozen.years[1].summary()["unfilled"]}
    assert unfilled["KABID2"]["blocking_rule"] == "eselon-3b.golongan"


def test_horizon_is_deterministic(horizon):
    _, ctx, hz = horizon
    again = run_horizon(ctx, 3, PROGRESSION)
    assert json.dumps(again.as_dict(), sort_keys=True) == json.dumps(hz.as_dict(), sort_keys=True)


def test_chains_in_the_graph_are_exactly_the_plans_placements(horizon):
    _, _, hz = horizon
    for year in hz.years:
        s = analyse(year.context, year.plan, ready=year.ready, progression=PROGRESSION)
        placed = {
            (s.graph.nodes[u]["nip"], s.graph.nodes[v]["jabatan_id"])
            for u, v, d in s.graph.edges(data=True)
            if d.get("placed")
        }
        plan = {(p.nip, p.to.jabatan_id) for p in year.plan.record.placements}
        assert placed == plan
        steps = {(st["nip"], st["jabatan_id"]) for c in s.chains for st in c["steps"] if st["nip"]}
        assert steps == plan
        for _, _, d in s.graph.edges(data=True):
            if d.get("placed"):
                assert d["readiness"] == "ready_now" and d["chain"]


def test_horizon_years_must_be_positive(tiny_round):
    people, posts = _organisation()
    ctx = load_context(tiny_round(list(people.values()), posts, RULES))
    with pytest.raises(InputError):
        run_horizon(ctx, 0, PROGRESSION)


def test_cli_succession_writes_every_output(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from engine.cli import app

    out = tmp_path / "out"
    monkeypatch.chdir(ROOT)
    run = CliRunner().invoke(app, ["succession", "--horizon", "1", "--out", str(out), "--quiet"])
    assert run.exit_code == 0, run.output
    names = {p.name for p in out.iterdir()}
    assert {
        "succession.json",
        "succession.md",
        "succession.graphml",
        "succession-graph.json",
        "succession-talent-box.svg",
        "succession-bench.svg",
        "succession-chains.svg",
        "succession-run.json",
    } <= names
    assert not [n for n in names if n.endswith(".tmp")]
    data = json.loads((out / "succession.json").read_text(encoding="utf-8"))
    assert len(data["horizon"]) == 1 and data["horizon"][0]["date"] == "2026-07-01"
    # The placements marked on the graph are exactly the year-0 chains' steps.
    graph = json.loads((out / "succession-graph.json").read_text(encoding="utf-8"))
    nodes = {n["id"]: n for n in graph["nodes"]}
    placed = {
        (nodes[e["source"]]["nip"], nodes[e["target"]]["jabatan_id"])
        for e in graph["edges"]
        if e.get("placed")
    }
    steps = {(s["nip"], s["jabatan_id"]) for c in data["chains"] for s in c["steps"] if s["nip"]}
    assert placed == steps and placed
    md = (out / "succession.md").read_text(encoding="utf-8")
    assert "](succession-talent-box.svg)" in md and "](succession-chains.svg)" in md


def test_cli_bad_horizon_or_window_is_a_message():
    from engine.cli import succession

    with pytest.raises(InputError, match="--horizon -1"):
        succession(horizon=-1)
    with pytest.raises(InputError, match="--window 9"):
        succession(window=9)


def test_render_with_horizon_lists_each_year(horizon):
    _, _, hz = horizon
    y0 = hz.years[0]
    s = analyse(y0.context, y0.plan, ready=y0.ready, progression=PROGRESSION, horizon=hz)
    texts = render_succession(s, "en")
    md = texts["succession.md"]
    for year in ("2026-07-01", "2027-07-01", "2028-07-01"):
        assert f"### Vacancy chains {year}" in md
    assert "KABID ← SEKSI\\_A" not in md  # chains name the people too
    assert "KABID (" in md
    data = json.loads(texts["succession.json"])
    assert [y["year"] for y in data["horizon"]] == [0, 1, 2]


def test_a_projected_year_carries_the_latest_skp_forward(tmp_path):
    a = person(1, skp_2024="Baik", skp_2025="Sangat Baik")
    b = person(2, skp_2024="Kurang", skp_2025="")
    write_csv(tmp_path / "p.csv", PEGAWAI_HEADER, [a, b])
    write_csv(tmp_path / "j.csv", JABATAN_HEADER, [post("KABID")])
    tables = load_tables(tmp_path / "p.csv", tmp_path / "j.csv")
    assert carry_skp(tables, dt.date(2026, 7, 1)) is tables  # 2025 is on file: nothing to add
    peg = carry_skp(tables, dt.date(2028, 7, 1)).pegawai
    # A round on 2028-07-01 reads 2027 and 2026: each takes the latest predikat on record
    # (a: Sangat Baik of 2025; b: 2025 is empty, so Kurang of 2024).
    assert peg["skp_2026"].tolist() == peg["skp_2027"].tolist() == ["Sangat Baik", "Kurang"]
    assert "skp_2028" not in peg.columns
    assert tables.pegawai.columns.tolist().count("skp_2026") == 0  # the input is not modified


def test_a_retirees_sanction_history_leaves_with_them(tmp_path):
    """R (retiring in year 0) and P (staying) each have a light sanction of
    2015 on record. Year 1's tables keep P's row only, as the loader would
    check them (every NIP of a history is a pegawai row), and the later
    years run on them."""
    people, posts = _organisation()
    write_csv(tmp_path / "pegawai.csv", PEGAWAI_HEADER, list(people.values()))
    write_csv(tmp_path / "jabatan.csv", JABATAN_HEADER, posts)
    (tmp_path / "hukuman.csv").write_text(
        "nip,hukuman_tingkat,hukuman_tmt,hukuman_selesai\n"
        f"{people['R']['nip']},ringan,2015-02-02,2015-08-02\n"
        f"{people['P']['nip']},ringan,2015-03-03,2015-09-03\n",
        encoding="utf-8",
    )
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    text = SCENARIO_TEMPLATE.format(rules=tmp_path / "rules.yaml", root=ROOT, extra="")
    text = text.replace(
        "  jabatan: jabatan.csv\n", "  jabatan: jabatan.csv\n  hukuman: hukuman.csv\n"
    )
    (tmp_path / "scenario.yaml").write_text(text, encoding="utf-8")
    hz = run_horizon(load_context(tmp_path / "scenario.yaml"), 3, PROGRESSION)
    assert [y.year for y in hz.years] == [0, 1, 2]
    assert hz.years[0].summary()["retiring"] == 1
    for year in hz.years[1:]:
        assert year.context.tables.hukuman["nip"].tolist() == [people["P"]["nip"]]
