"""Shared fixtures. All people and posts in tests are synthetic; names are invented."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import JABATAN_HEADER, PEGAWAI_HEADER, ROOT, SCENARIO_TEMPLATE, write_csv

RIWAYAT_HEADER = ["nip", "jenis_jabatan", "tmt_mulai", "tmt_selesai", "jabatan_id", "bidang"]


@pytest.fixture
def tiny_round(tmp_path: Path):
    """Build a tiny round in tmp_path: returns a function(people, posts, rules_yaml, extra) -> scenario path."""

    def make(
        people: list[dict[str, str]],
        posts: list[dict[str, str]],
        rules_yaml: str | None = None,
        extra: str = "",
        history: list[dict[str, str]] | None = None,
    ) -> Path:
        write_csv(tmp_path / "pegawai.csv", PEGAWAI_HEADER, people)
        write_csv(tmp_path / "jabatan.csv", JABATAN_HEADER, posts)
        rules = tmp_path / "rules.yaml"
        rules.write_text(
            rules_yaml
            if rules_yaml is not None
            else (ROOT / "rules/struktural.yaml").read_text(encoding="utf-8"),
            encoding="utf-8",
        )
        scenario = tmp_path / "scenario.yaml"
        text = SCENARIO_TEMPLATE.format(rules=rules, root=ROOT, extra=extra)
        if history is not None:  # riwayat_jabatan rows (docs/data.md)
            write_csv(tmp_path / "riwayat_jabatan.csv", RIWAYAT_HEADER, history)
            text = text.replace(
                "  jabatan: jabatan.csv\n",
                "  jabatan: jabatan.csv\n  riwayat: riwayat_jabatan.csv\n",
            )
        scenario.write_text(text, encoding="utf-8")
        return scenario

    return make


@pytest.fixture(autouse=True)
def _pseudonym_key_file(tmp_path_factory, monkeypatch):
    """Tests never make a pseudonym key in the user's home: one key file per session."""
    key_dir = tmp_path_factory.getbasetemp() / "pseudonym-key"
    monkeypatch.setenv("TALENTA_PSEUDONYM_KEY_FILE", str(key_dir / "pseudonym.key"))


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The tests' expected messages are written in English, so each test shows talenta's
    messages in English, as ``--lang en`` does; tests/engine/test_i18n.py checks the
    Indonesian default and that every message exists in both languages."""
    from engine.errors import _LANGUAGE

    token = _LANGUAGE.set("en")
    yield
    _LANGUAGE.reset(token)
