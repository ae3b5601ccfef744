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
