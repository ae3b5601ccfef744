"""Every output in both languages, and none of the other language's words in it (issue 15, item 9).

Each output a user reads (report.md, report.html, plan.xlsx, the comparison's
files, succession's files and pictures, and what every command with --lang
prints: plan, explain, eligible, compare, rerun, succession) is rendered in
Indonesian and in English. The data's own words (names, posts, units, rule
titles, the scenario's name) are taken out first; what remains may hold no
phrase of the other language's catalogue, except the domain terms and legal
titles that stay Indonesian (engine.i18n.KEEP).
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import html
import io
import json
import re
import string
from functools import cache
from pathlib import Path

import openpyxl
import pytest
import yaml
from factories import ROOT, decided_demo
from typer.testing import CliRunner

from engine import i18n
from engine.cli import app
from engine.inputs.progression import load_rank_progression
from engine.plan.changes import explain_changes
from engine.plan.compare import compare_plans
from engine.plan.pipeline import build_plan, load_context
from engine.plan.sections import settings_sources
from engine.report.render import render, render_comparison
from engine.report.succession import render_succession
from engine.succession.analysis import succession_of

LANGS = ("id", "en")
KEEP = {k.lower() for k in i18n.KEEP}


def _fields(text: str) -> list[str]:
    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f is not None)


def _keys(node: object, prefix: str = "") -> set[str]:
    if isinstance(node, dict):
        return set().union(*(_keys(v, f"{prefix}.{k}") for k, v in node.items()), {prefix})
    return {prefix}


@pytest.mark.parametrize("name", sorted(i18n.SECTIONS))
def test_both_languages_say_the_same_things(name):
    """The same keys in both languages, and every template the same fields."""
    section = i18n.SECTIONS[name]
    assert set(section) == set(LANGS)
    assert _keys(section["id"]) == _keys(section["en"])

    def pairs(a: object, b: object):
        if isinstance(a, dict):
            for k in a:
                yield from pairs(a[k], b[k])  # type: ignore[index]
        elif isinstance(a, (tuple, list)):
            assert len(a) == len(b)  # type: ignore[arg-type]
            yield from zip(a, b, strict=True)  # type: ignore[call-overload]
        else:
            yield a, b

    for a, b in pairs(section["id"], section["en"]):
        assert _fields(a) == _fields(b), (a, b)


@cache
def _chunks(lang: str) -> tuple[str, ...]:
    """The literal pieces of ``lang``'s phrases that the other language never uses: a piece
    is what lies between a template's fields, of at least four letters, not a kept term."""
    own = set(i18n.phrases(lang))
    other = "en" if lang == "id" else "id"
    own_pieces = {p for text in i18n.phrases(other) for p in _pieces(text)}
    out = set()
    for text in own:
        for piece in _pieces(text):
            if piece in own_pieces or piece.lower() in KEEP:
                continue
            if sum(ch.isalpha() for ch in piece) >= 4:
                out.add(piece)
    return tuple(sorted(out, key=len, reverse=True))


def _pieces(text: str) -> list[str]:
    literal = "".join(lit for lit, _, _, _ in string.Formatter().parse(text))
    parts = re.split(r"\{[^}]*\}", text) if "{" in text else [literal]
    return [p.strip(" .,:;()'\"-…|") for p in parts if p.strip(" .,:;()'\"-…|")]


@cache
def _data_words() -> tuple[str, ...]:
    """The data's own words: every cell of the demo's tables, rule titles and sources, the
    settings files' sources, scenario names."""
    words: set[str] = set()
    for table in ("pegawai", "jabatan", "riwayat_jabatan"):
        with (ROOT / f"data/demo/{table}.csv").open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                words.update(v for v in row.values() if v)
    ctx = load_context(ROOT / "scenarios/demo.yaml")
    for rule in ctx.ruleset.rules:
        words.update({rule.rule.title, rule.rule.id, str(rule.rule.source)})
    words.update(s.source for s in settings_sources(ctx))  # legal bases, as written
    words.update({"Demo baseline", "Demo dengan keputusan tim", "JPT Pratama wajib S2"})
    return tuple(sorted(words, key=len, reverse=True))


def foreign(text: str, lang: str) -> list[str]:
    """Phrases of the language other than ``lang`` found in ``text`` (the data taken out)."""
    text = html.unescape(text).replace("\\", "")
    # The data first: a legal basis holds slashes ("PP 94/2021") a path pattern would cut.
    for word in _data_words():
        if len(word) >= 3:
            text = text.replace(word, " ")
    text = re.sub(r"[\w.-]+\.(svg|html|json|md|xlsx)\b", " ", text)  # file names
    text = re.sub(r"[\w.-]*/[\w./-]+", " ", text)  # paths
    text = re.sub(r"'[a-z_]+'", " ", text)  # values of the rule language, quoted ('related')
    other = "en" if lang == "id" else "id"
    return [
        piece for piece in _chunks(other) if re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text)
    ]


def _cells(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    lines = [book.sheetnames[k] for k in range(len(book.sheetnames))]
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            lines.append(" | ".join("" if v is None else str(v) for v in row))
    return "\n".join(lines)


def _visible(page: str) -> str:
    """An HTML page's text and its attributes' text (titles, labels), without its style."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return re.sub(r"<[^>]*?(?:title|aria-label)=\"([^\"]*)\"[^>]*>|<[^>]+>", r" \1 ", page)


@pytest.fixture(scope="module")
def decided(tmp_path_factory):
    return decided_demo(tmp_path_factory.mktemp("decided"))


@pytest.fixture(scope="module")
def outputs(decided):
    """Every file output, per language: name -> text."""
    plan = build_plan(decided)
    base = build_plan(decided.parent / "demo.yaml")
    other = build_plan(decided.parent / "jpt-s2.yaml")
    ctx = load_context(decided)
    s = succession_of(ctx, load_rank_progression(ROOT / "rules/kenaikan-pangkat.yaml"), 1)
    out: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        texts: dict[str, str] = {}
        for name, content in render(plan, lang).items():
            if name.endswith(".xlsx"):
                texts[name] = _cells(content)  # type: ignore[arg-type]
            elif name.endswith((".md", ".html")):
                texts[name] = _visible(content) if name.endswith(".html") else content  # type: ignore[assignment]
        comparison = compare_plans(
            [base.record, other.record, plan.record], i18n.REPORT[lang], lang
        )
        explain_changes(comparison, [base, other, plan], lang)
        for name, content in render_comparison(comparison, lang).items():
            if name.endswith(".xlsx"):
                texts[name] = _cells(content)  # type: ignore[arg-type]
            elif name.endswith(".html"):
                texts[name] = _visible(content)  # type: ignore[arg-type]
            elif name.endswith(".md"):
                texts[name] = content  # type: ignore[assignment]
        for name, content in render_succession(s, lang).items():
            if name.endswith((".md", ".svg", ".html")):
                texts[name] = _visible(content) if name.endswith(("svg", "html")) else content
        out[lang] = texts
    return out


def _commands(decided: Path, tmp: Path, lang: str) -> dict[str, str]:
    """What every command with --lang prints, on a wide and a narrow console."""
    folder = decided.parent
    pegawai = next(csv.DictReader((ROOT / "data/demo/pegawai.csv").open(encoding="utf-8")))
    post = next(csv.DictReader((ROOT / "data/demo/jabatan.csv").open(encoding="utf-8")))
    runs = {
        "plan": ["plan", str(decided), "--out", str(tmp / f"plan-{lang}")],
        "rerun": ["rerun", str(tmp / f"plan-{lang}/plan.json"), "--out", str(tmp / f"re-{lang}")],
        "explain": ["explain", pegawai["nip"], post["jabatan_id"], "--scenario", str(decided)],
        "eligible": ["eligible", post["jabatan_id"], "--scenario", str(decided)],
        "compare": [
            "compare",
            str(folder / "demo.yaml"),
            str(decided),
            "--out",
            str(tmp / f"compare-{lang}"),
        ],
        "succession": [
            "succession",
            str(decided),
            "--horizon",
            "1",
            "--out",
            str(tmp / f"succession-{lang}"),
        ],
    }
    printed = {}
    with contextlib.chdir(folder.parent):  # the manifest's paths are relative to it
        for name, args in runs.items():
            for width in ("160", "80"):
                if width == "80" and name not in {"explain", "eligible"}:
                    continue
                result = CliRunner().invoke(app, [*args, "--lang", lang], env={"COLUMNS": width})
                assert result.exit_code == 0, (name, result.output)
                printed[f"{name} ({width} columns)"] = result.output
    return printed


@pytest.fixture(scope="module")
def printed(decided, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("console")
    return {lang: _commands(decided, tmp, lang) for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
def test_no_file_output_holds_a_word_of_the_other_language(outputs, lang):
    expected = {
        "report.md",
        "report.html",
        "plan.xlsx",
        "compare.md",
        "compare.html",
        "compare.xlsx",
        "succession.md",
        "succession.html",
        "succession-bench.svg",
        "succession-chains.svg",
        "succession-talent-box.svg",
    }
    assert expected <= set(outputs[lang])
    found = {name: foreign(text, lang) for name, text in outputs[lang].items()}
    assert {name: hits for name, hits in found.items() if hits} == {}
    # Each is in its own language: its title is there.
    title = {"id": "Rencana penempatan", "en": "Placement plan"}[lang]
    assert title in outputs[lang]["report.md"] and title in outputs[lang]["report.html"]
    succession = {"id": "Rencana suksesi", "en": "Succession plan"}[lang]
    assert succession in outputs[lang]["succession.html"]


@pytest.mark.parametrize("lang", LANGS)
def test_no_command_prints_a_word_of_the_other_language(printed, lang):
    assert len(printed[lang]) == 8
    found = {name: foreign(text, lang) for name, text in printed[lang].items()}
    assert {name: hits for name, hits in found.items() if hits} == {}
    verdict = {"id": "MEMENUHI SYARAT", "en": "ELIGIBLE"}[lang]
    assert verdict in printed[lang]["explain (160 columns)"]


def test_the_console_and_the_report_default_to_indonesian(decided, tmp_path):
    run = CliRunner().invoke(app, ["plan", str(decided), "--out", str(tmp_path)])
    assert run.exit_code == 0, run.output
    assert "jabatan terbuka" in run.output and "ditulis:" in run.output
    assert "Rencana penempatan" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_the_check_finds_a_planted_word_of_the_other_language(outputs):
    """The detector itself: a catalogue phrase of the other language is found."""
    english = outputs["en"]["report.md"]
    assert foreign(english, "en") == []
    assert "Rencana penempatan" in foreign(english + "\nRencana penempatan", "en")
    assert "rotasi" in foreign(english + " (rotasi)", "en")
    indonesian = outputs["id"]["succession.md"]
    assert "Vacancy chains" in foreign(indonesian + "\n## Vacancy chains", "id")


# Messages about the user's input: every command prints them in its --lang.


def _talenta(capsys, monkeypatch, *args: str) -> tuple[int, str]:
    """Run the real entry point (engine.cli.main) as the shell would; its code and all it printed."""
    from engine.cli import main

    monkeypatch.setattr("sys.argv", ["talenta", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    said = capsys.readouterr()
    return code, said.out + said.err


# The line of the first 'applies_to:' of rules/golongan.yaml, which the spoiled copy misspells.
_APPLIES_LINE = 1 + next(
    k
    for k, line in enumerate(
        (ROOT / "rules/golongan.yaml").read_text(encoding="utf-8").splitlines()
    )
    if "applies_to:" in line
)


@pytest.fixture(scope="module")
def spoiled(tmp_path_factory) -> dict[str, list[str]]:
    """Files with one mistake each, and the command line that reads them."""
    tmp = tmp_path_factory.mktemp("spoiled")
    with (ROOT / "data/demo/pegawai.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows[1][rows[0].index("tanggal_lahir")] = "31/02/1980"  # a bad cell
    with (tmp / "pegawai.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    (tmp / "jabatan.csv").write_bytes((ROOT / "data/demo/jabatan.csv").read_bytes())
    scenario = (ROOT / "scenarios/demo.yaml").read_text(encoding="utf-8")
    scenario = scenario.replace("../", f"{ROOT}/") + "allow_outside_paths: true\n"
    (tmp / "ok.yaml").write_text(scenario)
    (tmp / "key.yaml").write_text(scenario.replace("committee:", "comittee:"))  # did you mean
    (tmp / "value.yaml").write_text(scenario.replace("stability_bonus: 5", "stability_bonus: -x"))
    rules = (ROOT / "rules/golongan.yaml").read_text(encoding="utf-8")
    (tmp / "rules.yaml").write_text(rules.replace("applies_to:", "aplies_to:", 1))
    (tmp / "kind.yaml").write_text(rules.replace("{golongan: {min", "{golongn: {min", 1))
    return {
        "bad CSV cell": ["check", str(tmp / "pegawai.csv"), str(tmp / "jabatan.csv")],
        "unknown YAML key": ["check", str(tmp / "key.yaml")],
        "bad scenario value": ["plan", str(tmp / "value.yaml"), "--out", str(tmp / "out")],
        "rule file key": ["check", str(tmp / "rules.yaml")],
        "rule file kind": ["check", str(tmp / "kind.yaml")],
        "unknown NIP": ["explain", "999", "J999", "--scenario", str(tmp / "ok.yaml")],
    }


@cache
def _schema_words() -> tuple[str, ...]:
    """The keys and kinds a user writes in a scenario or a rule file (the schemas' property
    names and constants): named as they are in both languages, like the data's values."""
    words: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            words.update(node.get("properties", {}))
            words.update(str(v) for v in node.get("enum", []))
            if "const" in node:
                words.add(str(node["const"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name in ("scenario", "rules"):
        walk(json.loads((ROOT / f"schemas/{name}.schema.json").read_text(encoding="utf-8")))
    return tuple(sorted(words, key=len, reverse=True))


def _without_keys(text: str) -> str:
    for word in _schema_words():
        text = re.sub(rf"(?<![\w']){re.escape(word)}(?![\w'])", " ", text)
    return text


PROBLEMS_FOUND = {"id": "masalah ditemukan:", "en": "found:"}


@pytest.mark.parametrize("lang", LANGS)
def test_every_problem_is_told_in_the_run_language(spoiled, capsys, monkeypatch, lang):
    told = {}
    for name, args in spoiled.items():
        code, said = _talenta(capsys, monkeypatch, *args, "--lang", lang)
        assert code == 2 and "Traceback" not in said, (name, said)
        assert PROBLEMS_FOUND[lang] in said, (name, said)
        told[name] = said
    found = {name: foreign(_without_keys(said), lang) for name, said in told.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}
    # Where, what, what is allowed and the hint: the same structure in both languages.
    expect = {
        "id": [
            ("bad CSV cell", "pegawai.csv:2: 'tanggal_lahir': '31/02/1980' bukan tanggal"),
            ("bad CSV cell", "yang diterima: YYYY-MM-DD, misalnya 2024-01-31"),
            ("unknown YAML key", "kunci 'comittee' tidak dikenal; yang diterima: "),
            ("unknown YAML key", "(maksud Anda 'committee'?)"),
            ("bad scenario value", "'stability_bonus': ditemukan '-x': harus berupa angka"),
            ("rule file key", f"rules.yaml:{_APPLIES_LINE}: kunci 'aplies_to' tidak dikenal"),
            ("rule file kind", "'require': kunci 'golongn' tidak dikenal"),
            ("rule file kind", "(maksud Anda 'golongan'?)"),
            ("unknown NIP", "baris perintah: NIP 999 tidak ada di tabel pegawai"),
        ],
        "en": [
            ("bad CSV cell", "pegawai.csv:2: 'tanggal_lahir': '31/02/1980' is not a date"),
            ("bad CSV cell", "allowed: YYYY-MM-DD, e.g. 2024-01-31"),
            ("unknown YAML key", "unknown key 'comittee'; allowed: "),
            ("unknown YAML key", "(did you mean 'committee'?)"),
            ("bad scenario value", "'stability_bonus': found '-x': should be a number"),
            ("rule file key", f"rules.yaml:{_APPLIES_LINE}: unknown key 'aplies_to'"),
            ("rule file kind", "'require': unknown key 'golongn'"),
            ("rule file kind", "(did you mean 'golongan'?)"),
            ("unknown NIP", "command line: NIP 999 is not in the pegawai table"),
        ],
    }[lang]
    flat = {name: " ".join(said.split()) for name, said in told.items()}  # lines wrapped at 80
    missing = [(name, text) for name, text in expect if text not in flat[name]]
    assert missing == [], {name: told[name] for name, _ in missing}


def test_messages_are_indonesian_unless_the_run_says_english(spoiled, capsys, monkeypatch):
    code, said = _talenta(capsys, monkeypatch, *spoiled["bad CSV cell"])
    said = " ".join(said.split())
    assert code == 2 and "bukan tanggal" in said and "is not a date" not in said
    code, said = _talenta(capsys, monkeypatch, "check", "nowhere.yaml", "--lang", "fr")
    assert code == 2 and "--lang 'fr' bukan bahasa yang dikenal" in " ".join(said.split())


@pytest.mark.parametrize("lang", LANGS)
def test_check_says_ok_in_the_run_language(capsys, monkeypatch, lang):
    code, said = _talenta(capsys, monkeypatch, "check", str(ROOT / "rules"), "--lang", lang)
    assert code == 0, said
    assert foreign(said, lang) == []
    done = {"id": "file diperiksa, tidak ada masalah", "en": "file(s) checked, no problems"}
    assert done[lang] in said
    assert {"id": "(aturan ", "en": "(rules "}[lang] in said


@pytest.mark.parametrize("lang", LANGS)
def test_import_siasn_and_serve_speak_the_run_language(lang):
    from engine.app.web import start_lines
    from engine.inputs.siasn.report import Entry, Log, summary

    log = Log(written={"pegawai.csv": 3}, left_out=[{"nip": "x"}], readiness=["a"])
    log.guessed.append(Entry("pegawai", "golongan", "kode", 2, []))
    lines = summary(log, lang)
    serve = start_lines("http://127.0.0.1:8765/", True, (Path("scenarios/demo.yaml"), 1.25), lang)
    said = "\n".join([*lines, *serve])
    assert foreign(said, lang) == []
    assert lines[:3] == {
        "id": ["pegawai.csv: 3 baris", "pegawai yang tidak diambil: 1", "nilai yang ditebak: 2 (aturannya di laporan)"],
        "en": ["pegawai.csv: 3 rows", "people left out: 1", "values guessed: 2 (rules in the report)"],
    }[lang]  # fmt: skip
    assert serve[0].endswith({"id": "dimuat dalam 1.2 detik", "en": "loaded in 1.2 s"}[lang])


# The SIASN import's report: the committed SIASN-shaped files of the demo
# (tests/engine/inputs/siasn/fixtures) imported in each language.

SIASN_FIXTURES = ROOT / "tests/engine/inputs/siasn/fixtures"


def _imported(out: Path, lang: str) -> dict[str, str]:
    from engine.errors import set_messages_language
    from engine.inputs.siasn.run import Options, import_siasn

    def run() -> None:
        set_messages_language(lang)
        import_siasn([SIASN_FIXTURES / "siasn"], out, Options())

    contextvars.copy_context().run(run)
    return {name: (out / name).read_text(encoding="utf-8") for name in IMPORT_REPORT}


IMPORT_REPORT = ("import-report.md", "import-report.json")


@pytest.fixture(scope="module")
def import_reports(tmp_path_factory) -> dict[str, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("import")
    return {lang: _imported(tmp / lang, lang) for lang in LANGS}


def _siasn_data_words(report: str) -> str:
    """The report without the data's own words: SIASN's answers, the names of people,
    the mapping's rules for its judgements (kode.yaml), all shown as written."""
    words = {"Data tidak ditemukan", "Pensiunan Contoh"}  # SIASN's answer, a person's name
    codes = yaml.safe_load((ROOT / "mapping/siasn/kode.yaml").read_text(encoding="utf-8"))
    for table in codes.values():
        if isinstance(table, dict):
            words |= {v["rule"] for v in table.get("values", {}).values() if isinstance(v, dict)}
    for word in sorted(words, key=len, reverse=True):
        report = report.replace(word, " ")
    return report


def _read_in(name: str, text: str) -> str:
    """What a person reads of a report: the JSON's values, without its stable keys (the
    keys, the settings' values and each note's why_key are for a program)."""
    if not name.endswith(".json"):
        return text

    def values(node: object, key: str = "") -> list[str]:
        if isinstance(node, dict):
            return [v for k, n in node.items() if k not in {"settings", "why_key"}
                    for v in values(n, k)]  # fmt: skip
        if isinstance(node, list):
            return [v for n in node for v in values(n, key)]
        return [str(node)] if isinstance(node, str) else []

    return "\n".join(values(json.loads(text)))


@pytest.mark.parametrize("lang", LANGS)
def test_the_siasn_import_report_holds_no_word_of_the_other_language(import_reports, lang):
    reports = import_reports[lang]
    found = {
        name: foreign(_siasn_data_words(_read_in(name, text)), lang)
        for name, text in reports.items()
    }
    assert {name: hits for name, hits in found.items() if hits} == {}
    md, data = reports["import-report.md"], json.loads(reports["import-report.json"])
    heading = {"id": "# Laporan impor SIASN", "en": "# SIASN import report"}[lang]
    assert md.startswith(heading)
    # Each note in the run's language, its message's key kept for a program.
    unused = {
        "id": "dibaca, tidak dipakai: pendidikan terakhir diambil dari data-utama",
        "en": "read, not used: the last degree comes from data-utama",
    }[lang]
    assert unused in md
    rows = {(e["table"], e["why"], e["why_key"]) for e in data["rows_not_mapped"]}
    assert ("rw-pendidikan", unused, "siasn_log_read_not_used") in rows
    assert data["settings"]["cpns"] == "included"  # a stable key and value, not words
    left = {"id": "tidak aktif: kedudukan hukum 99", "en": "not in service: kedudukan hukum 99"}
    assert [p["why"] for p in data["left_out"]] == [left[lang]]
