"""Succession for people to read: succession.json, .md, GraphML, node-link JSON, SVG pictures.

Takes a :class:`engine.succession.analysis.Succession` (computed by
:mod:`engine.succession`); gives every output file's text in memory
(:func:`render_succession`), then writes each atomically
(:func:`write_succession`); also the rows of the command line's summary
(:func:`summary_rows`, :func:`horizon_rows`, :func:`summary_json`). The
dependency goes one way: report reads succession's results, succession never
imports report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.i18n import CONSOLE, DEFAULT
from engine.i18n import SUCCESSION as MD
from engine.report import svg
from engine.report.publish import publish
from engine.scoring.talent import BoxCounts
from engine.succession.analysis import Succession
from engine.succession.graph import READY_NOW, READY_SOON

if TYPE_CHECKING:  # networkx is loaded only when the graph's files are written
    import networkx as nx

__all__ = [
    "PICTURES",
    "chain_years",
    "graphml",
    "horizon_rows",
    "html",
    "markdown",
    "render_succession",
    "summary_json",
    "summary_rows",
    "write_succession",
]


def _md(value: object) -> str:
    text = str(value)
    for ch in ("\\", "|", "*", "_", "`", "<", ">", "[", "]"):
        text = text.replace(ch, "\\" + ch)
    return text


PICTURES = ("succession-talent-box.svg", "succession-bench.svg", "succession-chains.svg")


def _names(rows: list[dict[str, Any]], n: int = 3) -> str:
    return ", ".join(_md(r["nama"]) for r in rows[:n])


def markdown(s: Succession, lang: str = DEFAULT, pictures: list[str] | None = None) -> str:
    """succession.md: the same as succession.json for reading, linking ``pictures``."""
    t = MD[lang]
    d = s.as_dict()
    y = s.ready.years
    out = [
        f"# {t['title']}: {_md(d['scenario']['name'])}",
        "",
        f"{t['date']}: {d['scenario']['date']}; {t['window']}: {y} {t['years']}.",
        "",
    ]
    out += [f"- {t['summary_keys'].get(k, _md(k))}: {v}" for k, v in d["summary"].items()]
    out.append("")
    if pictures:
        out += [f"## {t['pictures']}", ""]
        out += [f"![{p}]({p})" if p.endswith(".svg") else f"[{p}]({p})" for p in pictures] + [""]
    if s.boxes:
        out += _md_talent(s.boxes, t)
    out += _md_bench(s.bench, t)
    out += _md_uncovered(s.uncovered, t, y)
    out += _md_key_persons(s.key_persons, t, y)
    out += _md_waves(s.waves, t)
    if s.horizon is not None:
        out += _md_horizon(s.horizon.as_dict(), t, lang)
    return "\n".join(out) + "\n"


def _md_talent(b: BoxCounts, t: dict[str, str]) -> list[str]:
    out = [
        f"## {t['talent']} ({_md(b.regime)})",
        "",
        f"| {t['box']} | {t['count']} |",
        "|---|---|",
    ]
    out += [f"| {k} | {b.by_box[k]} |" for k in range(9, -1, -1)]
    out += ["", f"| {t['unit']} | " + " | ".join(str(k) for k in range(9, 0, -1)) + " |"]
    out += ["|---|" + "---|" * 9]
    for unit, counts in b.by_unit.items():
        out.append(
            f"| {_md(unit)} | " + " | ".join(str(counts.get(k, 0)) for k in range(9, 0, -1)) + " |"
        )
    out.append("")
    return out


def _md_bench(bench: list[dict[str, Any]], t: dict[str, str]) -> list[str]:
    out = [
        f"## {t['bench']}",
        "",
        f"| {t['post']} | {t['unit']} | {t['holder']} | {t['now']} | {t['soon']} |",
        "|---|---|---|---|---|",
    ]
    for b in bench:
        if not b["focus"]:
            continue
        holder = (
            f"{_md(b['holder']['nama'])} (BUP {b['holder']['bup']})"
            if b["holder"]
            else t["vacant_holder"]
        )
        out.append(
            f"| {_md(b['jabatan_id'])} {_md(b['nama_jabatan'])}{' ★' if b['kritis'] else ''} "
            f"| {_md(b['unit'])} | {holder} "
            f"| {b[READY_NOW]['count']}: {_names(b[READY_NOW]['names'])} "
            f"| {b[READY_SOON]['count']}: {_names(b[READY_SOON]['names'])} |"
        )
    return out


def _md_uncovered(uncovered: list[dict[str, Any]], t: dict[str, str], y: int) -> list[str]:
    out = ["", f"## {t['uncovered'].format(y=y)}", ""]
    if not uncovered:
        out.append(t["none"])
    for u in uncovered:
        near = u["nearest"]
        rules = ", ".join(f"{_md(r['rule'])} ({r['people']})" for r in near["rules"])
        out.append(
            f"- {_md(u['jabatan_id'])} {_md(u['nama_jabatan'])} ({_md(u['unit'])}): "
            f"{t['blocking']}: **{_md(u['blocking_rule'] or '-')}**; "
            f"{t['nearest']}: {near['people']} × {near['failed']} ({rules or '-'})"
        )
    return out


def _md_key_persons(key: list[dict[str, Any]], t: dict[str, str], y: int) -> list[str]:
    out = [
        "",
        f"## {t['key']}",
        "",
        f"| NIP | {t['people']} | {t['sole_within'].format(y=y)} | {t['sole_now']} |",
        "|---|---|---|---|",
    ]
    for k in key:
        out.append(
            f"| {k['nip']} | {_md(k['nama'])} | {_md(', '.join(k['sole_within']))} "
            f"| {_md(', '.join(k['sole_now']))} |"
        )
    return out


def _md_waves(waves: list[dict[str, Any]], t: dict[str, str]) -> list[str]:
    out = [
        "",
        f"## {t['waves']}",
        "",
        f"| {t['year']} | {t['people']} | {t['posts_opened']} | JPT / Administrator / Pengawas |",
        "|---|---|---|---|",
    ]
    for w in waves:
        lv = w["by_level"]
        out.append(
            f"| {w['year']} | {w['people']} | {len(w['posts'])} "
            f"| {lv.get('JPT Pratama', 0)} / {lv.get('Administrator', 0)} / {lv.get('Pengawas', 0)} |"
        )
    return out


def _md_horizon(years: list[dict[str, Any]], t: dict[str, str], lang: str) -> list[str]:
    out = [
        "",
        f"## {t['horizon']}",
        "",
        f"| {t['year']} | {t['retiring']} | {t['opened']} | {t['filled']} | {t['unfilled']} "
        f"| {t['bare']} | {t['rank']} | {t['chains']} |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for yr in years:
        out.append(
            f"| {yr['date']} | {yr.get('retiring', '-')} | {yr.get('posts_opened', '-')} "
            f"| {yr.get('posts_filled', '-')} | {yr.get('posts_unfilled', '-')} "
            f"| {len(yr['without_ready_successor'])} | {yr['rank_promotions']} "
            f"| {len(yr.get('chains', []))} |"
        )
    for yr in years:
        out += ["", f"### {t['chains']} {yr['date']}", ""]
        if not yr.get("chains"):
            out.append(t["none"])
        for c in yr.get("chains", []):
            path = " ← ".join(
                f"{_md(st['jabatan_id'])} ({_md(st['nama']) if st['nama'] else t['vacant']})"
                for st in c["steps"]
            )
            end = svg.LABELS[lang].get(f"end_{c['end']}", c["end"])
            out.append(f"- {path} ({_md(end)})")
    return out


def render_succession(s: Succession, lang: str = DEFAULT) -> dict[str, str]:
    """Every output file's text, in memory: JSON, Markdown, HTML, GraphML, node-link JSON, SVGs."""
    import networkx as nx  # only the graph's files need it

    pictures: dict[str, str] = {}
    if s.boxes is not None and s.talent_version is not None:
        pictures["succession-talent-box.svg"] = svg.svg_talent_box(s.boxes, s.talent_version, lang)
    pictures["succession-bench.svg"] = svg.svg_bench(s.bench, lang, s.ready.years)
    years = chain_years(s)
    pictures["succession-chains.svg"] = svg.svg_chains_by_year(years, lang)
    texts = {
        "succession.json": json.dumps(s.as_dict(), ensure_ascii=False, indent=2, sort_keys=True)
        + "\n",
        "succession.md": markdown(s, lang, ["succession.html", *pictures]),
        "succession.html": html(s, lang, pictures, years),
        "succession.graphml": graphml(s.graph),
        # For programs: compact, so the C encoder writes it (indentation takes
        # the pure-Python one, seconds for a province's graph).
        "succession-graph.json": json.dumps(
            nx.node_link_data(s.graph, edges="edges"), ensure_ascii=False, sort_keys=True
        )
        + "\n",
    }
    texts.update(pictures)
    return texts


def chain_years(s: Succession) -> list[tuple[str, list[dict[str, Any]]]]:
    """The vacancy chains of each round, labelled by its date: every horizon year, or the
    date's own round when there is no horizon."""
    if s.horizon is not None:
        return [(y["date"], y.get("chains", [])) for y in s.horizon.as_dict()]
    return [(s.context.day.isoformat(), s.chains)]


def html(
    s: Succession,
    lang: str,
    pictures: dict[str, str],
    years: list[tuple[str, list[dict[str, Any]]]],
) -> str:
    """succession.html: the report shell of report.html, each picture under its title with
    its table beside it; self-contained (the SVGs are inline)."""
    from engine.report.render import templates

    ends = svg.LABELS[lang]
    return (
        templates()
        .get_template("succession.html.j2")
        .render(
            {
                "t": MD[lang],
                "lang": lang,
                "d": s.as_dict(),
                "y": s.ready.years,
                "boxes": s.boxes,
                "bench": [b for b in s.bench if b["focus"]],
                "pictures": pictures,
                "chain_years": years,
                "ends": [(k, ends[f"end_{k}"]) for k in ("outside", "unfilled", "cycle")],
            }
        )
    )


_GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_GRAPHML_HEAD = (
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)


def graphml(g: nx.DiGraph) -> str:
    """The graph as GraphML text: what ``networkx.generate_graphml`` writes, in one pass.

    networkx builds an element tree of the whole graph first (tens of
    seconds for a province's graph); this writes each node and edge as a
    line. Every attribute is a str, int, float or bool (the successor
    graph's contract); a key's type is that of its first value, as networkx
    does. ``networkx.parse_graphml`` reads it back to the same graph.
    """
    keys: dict[tuple[str, str], str] = {}
    key_lines: list[str] = []

    def data(domain: str, attrs: dict[str, Any], indent: str) -> list[str]:
        out = []
        for name, value in attrs.items():
            k = keys.get((domain, name))
            if k is None:
                k = keys[(domain, name)] = f"d{len(keys)}"
                key_lines.append(
                    f'  <key id="{k}" for="{domain}" attr.name={_quote(name)} '
                    f'attr.type="{_GRAPHML_TYPES[type(value)]}" />'
                )
            out.append(f'{indent}<data key="{k}">{_escape(str(value))}</data>')
        return out

    body = ['  <graph edgedefault="directed">']
    for node, attrs in g.nodes(data=True):
        body += [f"    <node id={_quote(node)}>", *data("node", attrs, "      "), "    </node>"]
    for u, v, attrs in g.edges(data=True):
        body += [
            f"    <edge source={_quote(u)} target={_quote(v)}>",
            *data("edge", attrs, "      "),
            "    </edge>",
        ]
    body += [*data("graph", dict(g.graph), "    "), "  </graph>", "</graphml>"]
    return "\n".join([_GRAPHML_HEAD, *key_lines, *body]) + "\n"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _quote(text: object) -> str:
    quoted = _escape(str(text)).replace('"', "&quot;")
    return '"' + quoted.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#09;") + '"'


def succession_files(s: Succession, lang: str = "id") -> dict[str, str]:
    """Every output file's text, ``succession-run.json`` included.

    ``succession-run.json`` carries the timings (the other files do not depend
    on the time or the machine).
    """
    texts = render_succession(s, lang)
    timings = dict(s.timings)
    if s.horizon is not None:
        timings |= {f"year_{y.year}": y.wall_time for y in s.horizon.years}
        timings |= {f"horizon_{k}": v for k, v in s.horizon.timings.items()}
    texts["succession-run.json"] = (
        json.dumps({"timings_s": {k: round(v, 4) for k, v in timings.items()}}, indent=2) + "\n"
    )
    return texts


def write_succession(s: Succession, out: Path, lang: str = "id") -> list[Path]:
    """Render every output in memory, then publish the files together
    (:mod:`engine.report.publish`); refuse an ``out`` that holds an input. Return the paths."""
    return publish(dict(succession_files(s, lang)), out, s.context.input_files.values())


def summary_rows(
    data: dict[str, Any], window: int, wall: float, lang: str = DEFAULT
) -> list[tuple[str, str]]:
    """The command line's summary of succession.json's ``data``: (label, value) rows."""
    s = data["summary"]
    c = CONSOLE[lang]
    label = c["succession_rows"]
    return [
        (label[key].format(window=window), str(value))
        for key, value in (
            ("focus_posts", s["focus_posts"]),
            ("focus_with_ready_now", s["focus_with_ready_now"]),
            ("focus_without_ready_successor", s["focus_without_ready_successor"]),
            ("key_persons", s["key_persons"]),
            ("graph", f"{s['graph_nodes']} / {s['graph_edges']}"),
            ("wall_time", c["seconds"].format(s=wall)),
        )
    ]


def horizon_rows(data: dict[str, Any]) -> list[tuple[str, ...]]:
    """One row per horizon year, in the order of the console's ``horizon_head``."""
    return [
        (
            y["date"],
            str(y["retiring"]),
            str(y["posts_opened"]),
            str(y["posts_filled"]),
            str(y["posts_unfilled"]),
            str(len(y["without_ready_successor"])),
            str(y["rank_promotions"]),
            str(len(y["chains"])),
        )
        for y in data["horizon"]
    ]


def summary_json(data: dict[str, Any], wall: float) -> str:
    """The command line's ``--json`` summary: the figures and each year without its lists."""
    return json.dumps(
        {
            "summary": data["summary"],
            "years": [
                {k: v for k, v in y.items() if k not in {"chains", "unfilled"}}
                for y in data["horizon"]
            ],
            "wall_time_s": round(wall, 3),
        },
        ensure_ascii=False,
    )
