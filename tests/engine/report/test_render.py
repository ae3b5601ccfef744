"""The report templates' compiled code, kept between runs (engine.report.render.templates)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import jinja2
import pytest
from factories import ROOT, person, post

from engine.plan.pipeline import build_plan
from engine.report import render as render_module
from engine.report.render import render, templates

RULES = (ROOT / "rules/struktural.yaml").read_text(encoding="utf-8")


@pytest.fixture
def plan(tiny_round):
    kasi = person(1)
    posts = [post("KABID"), post("SEKSI", eselon="IV.a", jenis_jabatan="Pengawas")]
    return build_plan(tiny_round([kasi], posts, RULES))


@pytest.fixture
def temporary(tmp_path, monkeypatch) -> Path:
    """A temporary folder of the test's own, where Jinja2 makes its cache folder."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    """The names of the templates compiled from their text (not loaded from the cache)."""
    names: list[str] = []
    compile_ = jinja2.Environment.compile

    def spy(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return compile_(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return names


def _reports(plan) -> tuple[str, str]:
    files = render(plan, "en")
    return files["report.md"], files["report.html"]


def test_a_template_is_compiled_once_and_read_from_the_cache_after(plan, temporary, compiled):
    first = _reports(plan)
    assert {"report.md.j2", "report.html.j2"} <= set(compiled)
    cache = list(temporary.glob("_jinja2-cache-*/__jinja2_*.cache"))
    assert len(cache) == len(set(compiled))  # one file per template compiled
    compiled.clear()
    assert _reports(plan) == first  # a later run (a new environment): the same reports
    assert compiled == []  # ... and nothing compiled


def test_an_edited_template_is_compiled_again(plan, temporary, compiled, monkeypatch):
    _reports(plan)
    compiled.clear()
    get_source = jinja2.PackageLoader.get_source

    def edited(self, environment, template):
        source, filename, uptodate = get_source(self, environment, template)
        if template == "report.md.j2":
            source += "edited\n"
        return source, filename, uptodate

    monkeypatch.setattr(jinja2.PackageLoader, "get_source", edited)
    md, _ = _reports(plan)
    assert compiled == ["report.md.j2"]
    assert md.endswith("edited\n")


def test_a_cache_that_cannot_be_written_or_read_is_no_cache(plan, temporary, monkeypatch):
    expected = _reports(plan)
    for item in temporary.glob("_jinja2-cache-*/*.cache"):
        item.write_bytes(b"not marshal data")  # corrupt: compiled again

    def refuse(self, bucket):
        raise PermissionError("read-only")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", refuse)
    assert _reports(plan) == expected
    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "load_bytecode", refuse)
    assert _reports(plan) == expected


def test_no_safe_temporary_folder_means_compiling_every_time(plan, temporary, monkeypatch):
    def unsafe(self):
        raise RuntimeError("Cannot determine safe temp directory.")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "_get_default_cache_dir", unsafe)
    assert templates().bytecode_cache is None
    assert render_module._compiled_templates() is None
    assert "report.html" in render(plan, "en")
