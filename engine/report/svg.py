"""Pictures as self-contained SVG text: the talent box, bench strength, vacancy chains.

Takes what succession computes (:mod:`engine.succession`: box counts and the
talent-box settings, the bench per post, a plan's chains as paths); gives SVG
strings with no script and no external reference, every text escaped, for
embedding in report.html and for the succession-*.svg files.
"""

from __future__ import annotations

import html
from typing import Any

from engine.i18n import PICTURES as LABELS
from engine.scoring.talent import BoxCounts, TalentBoxVersion
from engine.succession.graph import READY_NOW, READY_SOON

__all__ = ["LABELS", "svg_bench", "svg_chains", "svg_chains_by_year", "svg_talent_box"]


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _wrap(text: str, n: int, lines: int = 2) -> list[str]:
    """``text`` in at most ``lines`` lines of ``n`` characters, broken at spaces; the last
    line cut only when the text is longer than all the lines."""
    words, out, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > n:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if len(out) > lines:
        out = [*out[: lines - 1], _cut(" ".join(out[lines - 1 :]), n)]
    return out


def _text(x: float, y: float, s: object, **attrs: object) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{_e(v)}"' for k, v in attrs.items())
    return f'<text x="{x:g}" y="{y:g}"{extra}>{_e(s)}</text>'


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" font-family="sans-serif" font-size="11" '
        f'role="img" aria-label="{_e(title)}"><title>{_e(title)}</title>'
        f'<rect width="100%" height="100%" fill="#ffffff"/>' + "".join(body) + "</svg>\n"
    )


def svg_talent_box(
    counts: BoxCounts, version: TalentBoxVersion, lang: str = "id", names: int = 6
) -> str:
    """The 3 x 3 talent box: per box its number, count and first names; pool boxes shaded.

    Rows are potensial (high at the top), columns kinerja (above expectation
    on the right); the numbering comes from the settings, never from code.
    """
    t = LABELS[lang]
    cw, ch, left, top = 230, 150, 90, 40
    grid = [version.boxes.high, version.boxes.medium, version.boxes.low]
    body = [
        _text(
            left,
            22,
            f"{t['talent_title']} ({counts.regime}): {counts.counted} {t['people']}; "
            f"{t['pool']} {counts.pool_size}",
            font_size=14,
            font_weight="bold",
        )
    ]
    levels_p = t["levels_p"].split("|")[::-1]
    levels_k = t["levels_k"].split("|")
    for r, row in enumerate(grid):
        y0 = top + r * ch
        body.append(_text(left - 8, y0 + ch / 2, levels_p[r], text_anchor="end"))
        for c, number in enumerate(row):
            x0 = left + c * cw
            pool = number in counts.pool
            body.append(
                f'<rect x="{x0}" y="{y0}" width="{cw - 4}" height="{ch - 4}" rx="4" '
                f'fill="{"#d9f0d3" if pool else "#f2f2f2"}" stroke="#888"/>'
            )
            n = counts.by_box.get(number, 0)
            body.append(
                _text(
                    x0 + 8, y0 + 16, f"{t['box']} {number}: {n} {t['people']}", font_weight="bold"
                )
            )
            shown = counts.names.get(number, [])
            for k, (_, nama) in enumerate(shown[:names]):
                body.append(_text(x0 + 8, y0 + 32 + k * 14, _cut(nama, 34)))
            if len(shown) > names:
                body.append(
                    _text(
                        x0 + 8,
                        y0 + 32 + names * 14,
                        f"+{len(shown) - names} {t['more']}",
                        fill="#555",
                    )
                )
    bottom = top + 3 * ch
    for c, label in enumerate(levels_k):
        body.append(_text(left + c * cw + cw / 2, bottom + 14, label, text_anchor="middle"))
    body.append(_text(left + 1.5 * cw, bottom + 32, t["kinerja"], text_anchor="middle"))
    body.append(
        _text(
            16,
            top + 1.5 * ch,
            t["potensial"],
            text_anchor="middle",
            transform=f"rotate(-90 16 {top + 1.5 * ch:g})",
        )
    )
    body.append(_text(left, bottom + 50, f"{t['unknown']}: {counts.by_box.get(0, 0)}"))
    return _svg(left + 3 * cw + 10, bottom + 62, t["talent_title"], body)


def svg_bench(
    bench: list[dict[str, Any]], lang: str = "id", window: int = 2, only_focus: bool = False
) -> str:
    """Bench strength as one small panel per unit, two columns of panels.

    Each post is a row: its name (greyed when it is not a JPT, Administrator
    or kritis post; kritis posts carry a star), then the number of people
    ready now (green) and ready soon (amber), each with up to five squares;
    a post with nobody within the window is marked red.
    """
    t = LABELS[lang]
    rows_by_unit: dict[str, list[dict[str, Any]]] = {}
    for b in bench:
        if only_focus and not b["focus"]:
            continue
        rows_by_unit.setdefault(b["unit"], []).append(b)
    pw, rh, head, gap, top = 560, 15, 20, 12, 48
    name_w, col_w = 300, 110
    heights = [0.0, 0.0]
    body = [
        _text(10, 20, t["bench_title"], font_size=14, font_weight="bold"),
        '<rect x="10" y="28" width="10" height="10" fill="#2e8b57"/>',
        _text(24, 37, t["now"]),
        '<rect x="130" y="28" width="10" height="10" fill="#e6a23c"/>',
        _text(144, 37, t["soon"].format(y=window)),
        _text(300, 37, t["critical"], fill="#333"),
    ]
    for unit in sorted(rows_by_unit):
        rows = rows_by_unit[unit]
        col = 0 if heights[0] <= heights[1] else 1
        x0, y0 = 10 + col * (pw + 10), top + heights[col]
        height = head + len(rows) * rh + 8
        body.append(
            f'<rect x="{x0}" y="{y0:g}" width="{pw}" height="{height}" rx="4" '
            f'fill="#fafafa" stroke="#bbb"/>'
        )
        body.append(_text(x0 + 6, y0 + 14, _cut(unit, 80), font_weight="bold"))
        for k, b in enumerate(rows):
            y = y0 + head + k * rh
            star = "★ " if b["kritis"] else ""
            name = _cut(f"{star}{b['nama_jabatan']}", 48)
            body.append(_text(x0 + 6, y + 11, name, **({"fill": "#777"} if not b["focus"] else {})))
            if not b[READY_NOW]["count"] and not b[READY_SOON]["count"]:
                body.append(_text(x0 + name_w, y + 11, t["none"].format(y=window), fill="#c0392b"))
                continue
            for c, (key, colour) in enumerate(((READY_NOW, "#2e8b57"), (READY_SOON, "#e6a23c"))):
                n = b[key]["count"]
                x = x0 + name_w + c * col_w
                body.append(_text(x + 28, y + 11, n, text_anchor="end", fill=colour))
                for q in range(min(n, 5)):
                    body.append(
                        f'<rect x="{x + 34 + q * 11}" y="{y + 2:g}" width="9" height="9" '
                        f'fill="{colour}"/>'
                    )
                if n > 5:
                    body.append(_text(x + 34 + 5 * 11, y + 11, "…", fill=colour))
        heights[col] += height + gap
    return _svg(2 * pw + 30, top + max(heights) + 4, t["bench_title"], body)


def svg_chains(chains: list[dict[str, Any]], lang: str = "id", title: str | None = None) -> str:
    """Vacancy chains, grouped by the unit of the post that opened them.

    Each chain is a row of boxes, the opened post first; an arrow from a box
    to the one on its left shows the person moving up from that post.
    """
    t = LABELS[lang]
    body = [_text(10, 20, title or t["chains_title"], font_size=14, font_weight="bold")]
    y, width = _chain_rows(body, chains, t, 36.0)
    return _svg(width, y + 8, title or t["chains_title"], body)


def svg_chains_by_year(
    years: list[tuple[str, list[dict[str, Any]]]], lang: str = "id", title: str | None = None
) -> str:
    """The vacancy chains of several rounds in one picture, each round under its year label.

    ``years`` gives, in order, each round's date (ISO) and its chains.
    """
    t = LABELS[lang]
    body = [_text(10, 20, title or t["chains_title"], font_size=14, font_weight="bold")]
    y, width = 36.0, 600.0
    for label, chains in years:
        body.append(f'<rect x="4" y="{y:g}" width="100%" height="24" fill="#e8edf3"/>')
        heading = t["year"].format(year=label[:4], date=label)
        body.append(_text(10, y + 17, heading, font_size=13, font_weight="bold"))
        y, w = _chain_rows(body, chains, t, y + 28)
        width = max(width, w)
        y += 8
    return _svg(width, y + 8, title or t["chains_title"], body)


def _chain_rows(
    body: list[str], chains: list[dict[str, Any]], t: dict[str, str], y: float
) -> tuple[float, float]:
    """Draw ``chains`` from height ``y`` into ``body``; return the height below them and the
    width they take."""
    bw, bh, gap, rh = 230, 62, 34, 74
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for c in chains:
        by_unit.setdefault(c["steps"][0]["unit"], []).append(c)
    width = 600.0
    if not chains:
        body.append(_text(10, y + 14, t["no_chains"]))
        y += 24
    ends = {"outside": t["end_outside"], "unfilled": t["end_unfilled"], "cycle": t["end_cycle"]}
    for unit in sorted(by_unit):
        body.append(_text(10, y + 14, unit, font_weight="bold"))
        y += 22
        for c in by_unit[unit]:
            for k, s in enumerate(c["steps"]):
                x = 10 + k * (bw + gap)
                filled = s["nama"] is not None
                who = s["nama"] if filled else t["vacant"]
                # The whole name, the post's id (two posts of one name in two kecamatan
                # differ there) and the unit, also as the box's tooltip.
                full = f"{s['nama_jabatan']} ({s['jabatan_id']}), {s['unit']}: {who}"
                body.append(
                    f"<g><title>{_e(full)}</title>"
                    f'<rect x="{x}" y="{y:g}" width="{bw}" height="{bh}" rx="4" '
                    f'fill="{"#eaf2fb" if filled else "#fdecea"}" stroke="#7a9cc6"/>'
                )
                for n, line in enumerate(_wrap(s["nama_jabatan"], 32)):
                    body.append(_text(x + 6, y + 14 + 12 * n, line, font_weight="bold"))
                body.append(_text(x + 6, y + 40, _cut(s["jabatan_id"], 40), fill="#555"))
                body.append(_text(x + 6, y + 54, _cut(who, 38)) + "</g>")
                if k:
                    ax = x - gap + 4
                    body.append(
                        f'<path d="M{x - 2} {y + bh / 2:g} L{ax + 6} {y + bh / 2:g}" '
                        f'stroke="#555" fill="none"/>'
                        f'<path d="M{ax} {y + bh / 2:g} l8 -4 l0 8 z" fill="#555"/>'
                    )
            x_end = 10 + len(c["steps"]) * (bw + gap)
            body.append(_text(x_end - gap + 6, y + 34, ends.get(c["end"], c["end"]), fill="#555"))
            width = max(width, x_end + 190)
            y += rh
    return y, width
