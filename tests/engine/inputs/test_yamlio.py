import errno
import os
from pathlib import Path

import pytest

from engine.errors import InputError
from engine.inputs import yamlio
from engine.inputs.yamlio import load_yaml


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "f.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str | bytes) -> list[str]:
    with pytest.raises(InputError) as info:
        load_yaml(write(tmp_path, text))
    return [str(p) for p in info.value.problems]


def test_values_and_lines_are_kept(tmp_path):
    data, lines = load_yaml(write(tmp_path, "a: 1\nb:\n  - x\n  - {c: 2024-01-01}\n"))
    assert data == {"a": 1, "b": ["x", {"c": __import__("datetime").date(2024, 1, 1)}]}
    assert lines[("a",)] == 1
    assert lines[("b", 1, "c")] == 4
    assert lines.line_of(("b", 1, "c", "deeper")) == 4


def test_duplicate_keys_are_reported_with_both_lines(tmp_path):
    (msg,) = problems(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert ":3:" in msg and "duplicate key 'a'" in msg and "first at line 1" in msg


def test_python_tags_never_construct_objects(tmp_path):
    (msg,) = problems(tmp_path, "a: !!python/object/apply:os.system ['echo hacked']\n")
    assert "tag" in msg and ":1:" in msg


def test_alias_bomb_is_an_error_not_a_hang(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for k in range(1, 9):
        prev = chr(ord("a") + k - 1)
        cur = chr(ord("a") + k)
        bomb += f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    msgs = problems(tmp_path, bomb)
    assert any("too many values" in m for m in msgs)


def test_tabs_syntax_error_has_a_line(tmp_path):
    (msg,) = problems(tmp_path, "a:\n\t- 1\n")
    assert "f.yaml:2" in msg and "syntax" in msg


def test_binary_and_latin1_bytes(tmp_path):
    assert "NUL" in problems(tmp_path, b"a: \x00\x01")[0]
    msg = problems(tmp_path, "a: Caf\xe9\n".encode("latin-1"))[0]
    assert "not UTF-8" in msg and ":1" in msg


def test_bom_is_accepted(tmp_path):
    data, _ = load_yaml(write(tmp_path, "\ufeffa: 1\n".encode()))
    assert data == {"a": 1}


# ------------------------------------------------ libyaml and the pure-Python composer
# Documents are composed by libyaml when PyYAML has it, and read again by the
# pure-Python composer when libyaml refuses them or a value has a problem: the
# pure-Python composer is the oracle of both the values and the messages.


def _pure(text: str, name: str = "f.yaml"):
    from engine.inputs import yamlio

    saved, yamlio._C_LOADER = yamlio._C_LOADER, None
    try:
        return yamlio._parse(text, name)
    finally:
        yamlio._C_LOADER = saved


def _fast(text: str, name: str = "f.yaml"):
    from engine.inputs import yamlio

    return yamlio._fast_parse(text, name)


ROOT = Path(__file__).resolve().parents[3]
PROJECT_YAML = sorted(
    p.relative_to(ROOT)
    for folder in ("rules", "scenarios", "mapping")
    for p in (ROOT / folder).rglob("*.yaml")
)

needs_libyaml = pytest.mark.skipif(
    not getattr(__import__("yaml"), "__with_libyaml__", False), reason="PyYAML without libyaml"
)


@needs_libyaml
@pytest.mark.parametrize("relative", PROJECT_YAML, ids=str)
def test_libyaml_reads_every_project_file_as_the_pure_composer_does(relative):
    text = (ROOT / relative).read_text(encoding="utf-8")
    fast = _fast(text, str(relative))
    assert fast is not None  # a clean file is read by libyaml
    value, lines = _pure(text, str(relative))
    assert repr(fast[0]) == repr(value)  # repr: 1 and True, 1.0 and 1 told apart
    assert dict(fast[1]) == dict(lines)


@needs_libyaml
def test_scalar_styles_and_tags_are_read_alike():
    text = (
        "plain: yes\nquoted: '1'\ndouble: \"2024-01-01\"\nint: 0777\noct: 0o17\nhex: 0x1F\n"
        "float: 1e3\nnull: ~\ndate: 2024-01-01\ntagged: !!int '12'\nstr: !!str 12\n"
        "literal: |\n  a\n  b\nfolded: >\n  c\n  d\nflow: {a: [1, 'x', null]}\n"
        "anchor: &x [1, 2]\nalias: *x\n"
    )
    fast = _fast(text)
    assert fast is not None
    assert fast[0] == {
        "plain": "yes",
        "quoted": "1",
        "double": "2024-01-01",
        "int": 777,
        "oct": 15,
        "hex": 31,
        "float": 1000.0,
        "null": None,
        "date": __import__("datetime").date(2024, 1, 1),
        "tagged": 12,
        "str": 12,  # a tag on a plain scalar is not kept apart (see _scalar)
        "literal": "a\nb\n",
        "folded": "c d\n",
        "flow": {"a": [1, "x", None]},
        "anchor": [1, 2],
        "alias": [1, 2],
    }
    assert repr(fast[0]) == repr(_pure(text)[0])
    assert dict(fast[1]) == dict(_pure(text)[1])


@needs_libyaml
@pytest.mark.parametrize(
    "text",
    [
        "a: 1\n\tb: 2\n",  # a tab as indentation: a syntax error
        "a: [1, 2\n",  # an unclosed flow sequence
        "a: 1\na: 2\n",  # a duplicate key (a problem of the values)
        "a: !!python/object:os.system x\n",  # a tag
        "a: \x1b[2J\n",  # a control character
    ],
)
def test_a_refused_document_says_what_the_pure_composer_says(tmp_path, text):
    assert _fast(text) is None  # not taken from libyaml
    with pytest.raises(InputError) as pure:
        _pure(text, str(tmp_path / "f.yaml"))
    assert problems(tmp_path, text) == [str(p) for p in pure.value.problems]


@needs_libyaml
def test_a_clean_document_is_composed_by_libyaml(tmp_path, monkeypatch):
    import yaml

    loaders = []
    compose = yaml.compose

    def spy(stream, Loader):
        loaders.append(Loader)
        return compose(stream, Loader=Loader)

    monkeypatch.setattr(yaml, "compose", spy)
    load_yaml(write(tmp_path, "fresh: 20260705\n"))  # text no other test parses: not cached
    assert loaders == [yaml.CSafeLoader]


# The parser's and the operating system's words in the run's language (issue 15, item 9).


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("id", 'f.yaml:2: kesalahan sintaks YAML pada kolom 5; kata pengurai YAML: '
               '"mapping values are not allowed here"'),
        ("en", 'f.yaml:2: YAML syntax error at column 5; the YAML parser says: '
               '"mapping values are not allowed here"'),
    ],
)  # fmt: skip
def test_a_syntax_error_names_line_and_column_and_quotes_the_parser(tmp_path, lang, expected):
    with pytest.raises(InputError) as info:
        load_yaml(write(tmp_path, "a: 1\nb: c: d\n"))  # 'c:' at column 5 of line 2
    (problem,) = info.value.problems
    assert problem.render(lang).endswith(expected)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("id", "f.yaml: tidak dapat dibaca: izin ditolak"),
     ("en", "f.yaml: cannot be read: permission denied")],
)  # fmt: skip
def test_a_file_the_system_refuses_is_told_in_the_run_language(
    tmp_path, monkeypatch, lang, expected
):
    path = write(tmp_path, "a: 1\n")

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(yamlio.os, "open", refused)  # tests run as root: chmod stops nothing
    with pytest.raises(InputError) as info:
        load_yaml(path, display="f.yaml")
    (problem,) = info.value.problems
    assert problem.render(lang) == expected
