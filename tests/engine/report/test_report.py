"""Reports: complete, self-contained, escaped; written whole or not at all."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest
from factories import ROOT, person, post

from engine.plan.pipeline import build_plan
from engine.report.render import render, write_atomic, write_outputs

RULES = (ROOT / "rules/struktural.yaml").read_text(encoding="utf-8")
EVIL_NAME = '<script>alert("x")</script> Contoh'
EVIL_UNIT = '=HYPERLINK("http://example.invalid","klik")'


@pytest.fixture
def evil_plan(tiny_round):
    kasi = person(1, nama=EVIL_NAME, unit=EVIL_UNIT)
    posts = [
        post("KABID", nama_jabatan="<b>Kabid</b>", unit=EVIL_UNIT),
        post(
            "SEKSI",
            eselon="IV.a",
            jenis_jabatan="Pengawas",
            unit=EVIL_UNIT,
            nip_pemangku=kasi["nip"],
        ),
    ]
    return build_plan(tiny_round([kasi], posts, RULES))


def test_data_never_becomes_markup_or_a_formula(evil_plan):
    out = render(evil_plan, "en")
    html = out["report.html"]
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html and "&lt;b&gt;Kabid&lt;/b&gt;" in html
    assert "<script" not in out["report.md"].lower()
    book = openpyxl.load_workbook(io.BytesIO(out["plan.xlsx"]))
    values = [
        c.value
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert not any(v.startswith("=") for v in values)
    assert any(v.startswith("'=HYPERLINK") for v in values)


def test_the_solvers_message_reaches_every_output(evil_plan):
    """What the solver says about a plan (e.g. a dropped tie-break) is shown, escaped."""
    m = evil_plan.record.manifest
    assert m.solver.message == ""  # nothing to say here
    solver = m.solver.model_copy(update={"message": "fewest moves <not> proven"})
    manifest = m.model_copy(update={"solver": solver})
    evil_plan.record = evil_plan.record.model_copy(update={"manifest": manifest})
    out = render(evil_plan, "en")
    assert "(fewest moves <not> proven)" in out["report.md"]
    assert "fewest moves &lt;not&gt; proven" in out["report.html"]
    book = openpyxl.load_workbook(io.BytesIO(out["plan.xlsx"]))
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert any(isinstance(v, str) and "fewest moves <not> proven" in v for v in cells)


def test_workbook_has_the_promised_sheets(evil_plan):
    book = openpyxl.load_workbook(io.BytesIO(render(evil_plan, "id")["plan.xlsx"]))
    assert book.sheetnames == [
        "Ringkasan",
        "Penempatan",
        "Tiga nama per jabatan terbuka",
        "Jabatan yang tidak terisi",
        "Rantai kekosongan",
        "Manifes",
    ]
    ws = book["Penempatan"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert [c.value for c in ws[1]][:4] == ["ID jabatan", "Jabatan", "Unit kerja", "NIP"]


def test_english_report(evil_plan):
    html = render(evil_plan, "en")["report.html"]
    assert "Placement plan" in html and 'lang="en"' in html


def test_failed_render_writes_nothing_and_keeps_the_old_report(evil_plan, tmp_path, monkeypatch):
    out = tmp_path / "out"  # not tmp_path itself: it holds the round's inputs (issue 19)
    write_outputs(evil_plan, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    import engine.report.render as report

    def broken(*args, **kwargs):
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(report, "plan_sheets", broken)
    with pytest.raises(RuntimeError):
        write_outputs(evil_plan, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_write_atomic_leaves_no_temporary_file_on_error(tmp_path, monkeypatch):
    target = tmp_path / "plan.json"
    write_atomic(target, "old")

    def boom(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)
def test_report_renders_in_headless_chromium(tmp_path):
    plan = build_plan(ROOT / "scenarios/demo.yaml")
    write_outputs(plan, tmp_path)
    flags = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tempfile.mkdtemp()}",
        "--enable-logging=stderr",
        "--v=0",
    ]
    page = (tmp_path / "report.html").as_uri()
    dom = subprocess.run([*flags, "--dump-dom", page], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0
    assert "Ringkasan" in dom.stdout and 'id="shortlists"' in dom.stdout
    assert dom.stdout.count("<svg") >= 1
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    shot = tmp_path / "report.png"
    subprocess.run(
        [*flags, "--window-size=1280,2400", f"--screenshot={shot}", page],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.stat().st_size > 20_000
    assert Path(shot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_report_names_origins_rules_chains_and_every_talent(tmp_path):
    """Issue 15 item 10: the unit a person leaves, rule titles on demand, chain boxes that
    tell posts apart, and every name of the talent box."""
    import csv
    import html as html_lib

    from engine.plan.pipeline import build_plan

    plan = build_plan(ROOT / "scenarios/demo.yaml")
    out = render(plan, "id")
    page = html_lib.unescape(out["report.html"])
    record = plan.record
    for p in record.placements:
        assert f"{p.origin.nama_jabatan} ({p.origin.unit})" in out["report.md"].replace("\\", "")
    # Rule titles behind a details element, not a wall of ids.
    some = record.placements[0]
    for rid in some.rules_passed:
        assert record.manifest.rules[rid].title in page
    assert page.count("<details") >= len(record.placements)
    # Each chain box carries the post's id and its whole name (tooltip).
    chains = page[page.index('id="chains"') : page.index("</svg>", page.index('id="chains"'))]
    for c in record.chains:
        for s in c.steps:
            assert s.post.jabatan_id in chains
            assert f"<title>{s.post.nama_jabatan} ({s.post.jabatan_id})" in chains
    # Every person of the talent box is named (in collapsible lists), not "+141 more".
    people = list(csv.DictReader((ROOT / "data/demo/pegawai.csv").open(encoding="utf-8")))
    box = page[page.index('id="talent-box"') : page.index('id="succession"')]
    assert all(p["nip"] in box for p in people)
