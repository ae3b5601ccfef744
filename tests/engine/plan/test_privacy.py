"""--pseudonymise: no name or NIP of the input in any output; stable pseudonyms; a key
that nothing in an output reveals."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
import re
import stat
import subprocess
import sys

import openpyxl
import pytest
from factories import ROOT

from engine.plan.pipeline import build_plan
from engine.plan.privacy import (
    KEY_ENV,
    KEY_FILE_ENV,
    PseudonymKeyError,
    pseudonym,
    pseudonym_key,
)
from engine.report.render import render


def _texts(contents: dict) -> str:
    parts = []
    for name, content in contents.items():
        if name.endswith(".xlsx"):
            book = openpyxl.load_workbook(io.BytesIO(content))
            parts += [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row]
        else:
            parts.append(content)
    return "\n".join(parts)


def test_no_name_or_nip_leaks_and_pseudonyms_are_stable(monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    rows = list(csv.DictReader((ROOT / "data/demo/pegawai.csv").open(encoding="utf-8")))
    first = build_plan(ROOT / "scenarios/demo.yaml", pseudonymise=True)
    text = _texts(render(first, "id"))
    for row in rows:
        assert row["nip"] not in text
        assert row["nama"].split(",")[0] not in text
    assert first.record.manifest.pseudonymised == "key from this machine's key file"
    again = build_plan(ROOT / "scenarios/demo.yaml", pseudonymise=True)
    assert again.record.placements == first.record.placements
    # Another key gives other pseudonyms for the same people.
    monkeypatch.setenv(KEY_ENV, "another secret")
    other = build_plan(ROOT / "scenarios/demo.yaml", pseudonymise=True)
    assert other.record.placements[0].nip != first.record.placements[0].nip
    assert other.record.manifest.pseudonymised == f"key from {KEY_ENV}"
    plain = build_plan(ROOT / "scenarios/demo.yaml")
    assert plain.record.manifest.pseudonymised is False
    # The plan itself is the same plan: same posts filled, same objective.
    assert plain.record.objective == first.record.objective


def test_the_key_is_random_owner_only_and_stable(tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    path = tmp_path / "keys" / "pseudonym.key"
    monkeypatch.setenv(KEY_FILE_ENV, str(path))
    key, source = pseudonym_key()
    assert path.read_bytes() == key and len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert pseudonym_key() == (key, source)  # made once, then read
    # Another machine (another key file) makes another key.
    monkeypatch.setenv(KEY_FILE_ENV, str(tmp_path / "other.key"))
    assert pseudonym_key()[0] != key


def test_a_key_file_others_can_read_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    path = tmp_path / "pseudonym.key"
    path.write_bytes(os.urandom(32))
    path.chmod(0o644)
    monkeypatch.setenv(KEY_FILE_ENV, str(path))
    with pytest.raises(PseudonymKeyError, match="chmod 600"):
        pseudonym_key()


def _candidate_keys(folder, inputs) -> set[bytes]:
    """Everything in the output folder (and the inputs) someone might try as the key."""
    keys: set[bytes] = set()
    for path in [*folder.iterdir(), *inputs]:
        data = path.read_bytes()
        keys |= {data, hashlib.sha256(data).digest(), hashlib.sha256(data).hexdigest().encode()}
        text = data.decode("utf-8", errors="ignore")
        for token in set(re.findall(r"[0-9a-fA-F]{16,}", text)):
            keys.add(token.encode())
            if len(token) % 2 == 0:
                keys.add(bytes.fromhex(token))
        for token in set(re.findall(r"[\w./:+-]{4,}", text)):
            keys.add(token.encode())
    return keys


def test_nothing_in_a_pseudonymised_output_reproduces_a_pseudonym(tmp_path, monkeypatch):
    """The attack the old key allowed: HMAC(anything found in the outputs, NIP) == pseudonym."""
    monkeypatch.delenv(KEY_ENV, raising=False)
    out = tmp_path / "out"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "engine.cli",
            "plan",
            "--out",
            str(out),
            "--pseudonymise",
            "--quiet",
        ],
        cwd=ROOT,
        check=True,
        env=os.environ,
    )
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    placed = plan["placements"][0]
    rows = list(csv.DictReader((ROOT / "data/demo/pegawai.csv").open(encoding="utf-8")))
    nips = [r["nip"] for r in rows]
    # The pseudonym is real: the machine's key reproduces it for one of the NIPs.
    key, _ = pseudonym_key()
    assert placed["nip"] in {f"PSN-{pseudonym(n, key)}" for n in nips}
    inputs = [ROOT / "data/demo/pegawai.csv", ROOT / "data/demo/jabatan.csv"]
    candidates = _candidate_keys(out, inputs)
    assert len(candidates) > 100  # the search is not empty
    target = placed["nip"].removeprefix("PSN-").lower()
    for candidate in candidates:
        for nip in nips:
            digest = hmac.new(candidate, nip.encode(), hashlib.sha256).hexdigest()[:10]
            assert digest != target, "a pseudonym was reproduced from the output folder"


def test_an_output_folder_holding_the_key_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    out = tmp_path / "out"
    monkeypatch.setenv(KEY_FILE_ENV, str(out / "pseudonym.key"))
    run = subprocess.run(
        [
            *(sys.executable, "-m", "engine.cli", "plan", "--out", str(out), "--pseudonymise"),
            *("--lang", "en"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    assert run.returncode == 2
    assert "holds the pseudonym key file" in run.stderr
    assert not out.exists()
