"""Succession rendered for reading: Markdown tables and self-contained, escaped SVG."""

from __future__ import annotations

import numpy as np
import pytest
from factories import ROOT

from engine.inputs.progression import load_rank_progression
from engine.plan.pipeline import load_context
from engine.report.succession import render_succession
from engine.report.svg import svg_bench, svg_chains, svg_talent_box
from engine.scoring.talent import box_counts, talent_box
from engine.succession.analysis import analyse
from engine.succession.graph import READY_NOW, READY_SOON

PROGRESSION = load_rank_progression(ROOT / "rules/kenaikan-pangkat.yaml")


@pytest.fixture(scope="module")
def demo():
    ctx = load_context(ROOT / "scenarios/demo.yaml")
    return analyse(ctx, progression=PROGRESSION)


@pytest.fixture(scope="module")
def demo_texts(demo):
    return render_succession(demo, "en")


def test_demo_every_jpt_and_administrator_post_shows_its_bench(demo, demo_texts):
    posts = demo.context.posts
    wanted = {
        str(posts.jabatan_id[j])
        for j in np.flatnonzero(np.isin(posts.jenis_jabatan, ["JPT Pratama", "Administrator"]))
    }
    shown = {b["jabatan_id"] for b in demo.bench if b["focus"]}
    assert wanted <= shown
    md = demo_texts["succession.md"]
    for pid in wanted:
        assert f"| {pid.replace('_', chr(92) + '_')} " in md
    for b in demo.bench:
        if b["jabatan_id"] in wanted:
            assert b[READY_NOW]["count"] + b[READY_SOON]["count"] > 0 or any(
                u["jabatan_id"] == b["jabatan_id"] for u in demo.uncovered
            )


def test_svg_escapes_every_text(demo):
    counts = box_counts(
        talent_box(
            demo.context.people,
            demo.context.posts,
            demo.context.taxonomy,
            demo.talent_version,
            demo.context.weights,
        ),
        demo.context.people,
        demo.talent_version,
    )
    counts.names[9].insert(0, ("1", '<script>alert("x")</script> & Co'))
    svg = svg_talent_box(counts, demo.talent_version)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp; Co" in svg
    bench = [dict(demo.bench[0], unit="Dinas <A&B>", nama_jabatan='Kepala "X"')]
    svg = svg_bench(bench)
    assert "Dinas &lt;A&amp;B&gt;" in svg and "&quot;X&quot;" in svg
    chains = [
        {
            "start": "P",
            "end": "outside",
            "length": 1,
            "posts": ["P"],
            "steps": [
                {
                    "jabatan_id": "P",
                    "nama_jabatan": "<b>",
                    "unit": "U&U",
                    "nip": "1",
                    "nama": "O'Brien",
                    "from_jabatan_id": None,
                }
            ],
        }
    ]
    svg = svg_chains(chains, "en")
    assert "&lt;b&gt;" in svg and "U&amp;U" in svg and "O&#x27;Brien" in svg
    for text in (svg, svg_bench(demo.bench)):
        assert text.startswith("<svg") and text.rstrip().endswith("</svg>")


@pytest.fixture(scope="module")
def horizon_texts():
    from engine.succession.analysis import succession_of

    ctx = load_context(ROOT / "scenarios/demo.yaml")
    s = succession_of(ctx, PROGRESSION, 2)
    return s, render_succession(s, "id")


def _style(page: str) -> str:
    return page[page.index("<style>") : page.index("</style>")]


def test_succession_writes_an_html_report_in_the_plans_shell(horizon_texts):
    """Issue 15 item 12: succession.html, the report shell of report.html, each picture
    under its title with its table beside it, self-contained."""
    import re
    from html.parser import HTMLParser

    from engine.plan.pipeline import build_plan
    from engine.report.render import render

    s, texts = horizon_texts
    page = texts["succession.html"]
    report = render(build_plan(ROOT / "scenarios/demo.yaml"), "id")["report.html"]
    assert _style(page) == _style(report)  # one shell, one look
    assert page.startswith('<!doctype html>\n<html lang="id">')
    # No network: nothing fetched, no script.
    assert not re.search(r'(src|href)="(https?:)?//', page) and "<script" not in page
    HTMLParser().feed(page)
    # Each picture is a figure with a caption and the very SVG of its file, and a table beside.
    pairs = page.split('<div class="pair">')[1:]
    assert len(pairs) == 3
    for pair, (name, caption) in zip(
        pairs,
        (
            ("succession-talent-box.svg", "Gambar 1. Kotak talenta"),
            ("succession-bench.svg", "Gambar 2. Kekuatan bangku cadangan"),
            ("succession-chains.svg", "Gambar 3. Rantai kekosongan per tahun"),
        ),
        strict=True,
    ):
        figure, side = pair.split('<div class="side">', 1)
        assert f"<figcaption>{caption}" in figure
        assert texts[name].strip() in figure
        assert side.lstrip().startswith("<table")
    # The talent box's table gives the counts of the box's picture.
    talent = pairs[0].split('<div class="side">', 1)[1]
    assert f'<td class="num">{s.boxes.by_box[9]}</td>' in talent
    # Every year of the horizon is labelled on the chains picture and counted in its table.
    chains_svg = texts["succession-chains.svg"]
    years = s.horizon.as_dict()
    assert len(years) == 2
    for y in years:
        assert f"Tahun {y['date'][:4]} (putaran {y['date']})" in chains_svg
        assert f'<tr><td>{y["date"]}</td><td class="num">{len(y["chains"])}</td>' in pairs[2]
    # The Markdown links the HTML report.
    assert "[succession.html](succession.html)" in texts["succession.md"]


def test_graphml_reads_back_as_networkx_writes_it():
    """The one-pass GraphML writer against networkx's own, on the demo's graph and a hostile one."""
    import networkx as nx

    from engine.report.succession import graphml
    from engine.succession.analysis import succession_of

    ctx = load_context(ROOT / "scenarios/demo.yaml")
    g = succession_of(ctx, load_rank_progression(ROOT / "rules/kenaikan-pangkat.yaml"), 0).graph
    odd = nx.DiGraph(date="2027-01-04", window_years=2)
    odd.add_node('jabatan:a"<&>\n', nama="x < y & 'z' \"w\"", n=3, f=1.5, b=True)
    odd.add_node("pegawai:1", kind="person", b=False)
    odd.add_edge('jabatan:a"<&>\n', "pegawai:1", kind="held_by", fit=2.0)
    for graph in (g, odd):
        ours = nx.parse_graphml(graphml(graph))
        theirs = nx.parse_graphml("\n".join(nx.generate_graphml(graph)))
        assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
        assert list(ours.edges(data=True)) == list(theirs.edges(data=True))
        assert ours.graph == theirs.graph
        assert ours.number_of_edges() == graph.number_of_edges() > 0
