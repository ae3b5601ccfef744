"""Pseudonyms for names and NIPs in every output.

A NIP encodes a birth date, a TMT and a sex: it is personal data, and its
small space (about 10^8 plausible values) makes a plain hash reversible by
brute force. Pseudonyms are therefore keyed (HMAC-SHA256): the key is
``TALENTA_PSEUDONYM_KEY`` when set, else derived from the pegawai input
file's bytes, so the same inputs give the same pseudonyms (stable across
runs and reports) while someone holding only the outputs cannot reverse
them.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import numpy as np

from engine.inputs.derive import People

__all__ = ["KEY_ENV", "mask_text", "names_of_round", "pseudonym", "pseudonymise_people"]

KEY_ENV = "TALENTA_PSEUDONYM_KEY"


def pseudonym(nip: str, key: bytes) -> str:
    """Stable pseudonym code of one NIP under ``key`` (10 upper-case hex digits)."""
    return hmac.new(key, nip.encode("utf-8"), hashlib.sha256).hexdigest()[:10].upper()


def pseudonymise_people(people: People, input_sha256: str) -> tuple[People, str]:
    """``people`` with names and NIPs replaced by pseudonyms, and how the key was chosen."""
    env = os.environ.get(KEY_ENV)
    if env:
        key, source = env.encode("utf-8"), f"key from {KEY_ENV}"
    else:
        key, source = bytes.fromhex(input_sha256), "key derived from the pegawai input"
    codes = [pseudonym(str(n), key) for n in people.nip]
    return (
        replace(
            people,
            nip=np.array([f"PSN-{c}" for c in codes], dtype=object),
            nama=np.array([f"Pegawai {c[:6]}" for c in codes], dtype=object),
        ),
        source,
    )


# A NIP written whole, or with the spaces of its printed form
# ("19700315 199503 1 001"), or any run of 8 or more digits (a NIP's part).
_NIP_LIKE = re.compile(r"(?<!\d)(?:\d{8}[ .\-]?\d{6}[ .\-]?\d[ .\-]?\d{3}|\d{8,})(?!\d)")


def mask_text(text: str, names: Iterable[str] = (), key: bytes | None = None) -> str:
    """``text`` with every NIP-like digit run and every name of ``names`` masked.

    For messages of a pseudonymised run, errors included: a NIP becomes
    ``NIP-xxxxxxxx`` (a hash under ``key``, by default a random one: give one
    key to every message of a run and the same NIP reads the same in all of
    them, while nobody can reverse it), a name ``(name)``. Names shorter than three letters are left alone (they
    would mask parts of words).

    >>> mask_text("NIP 197003151995031001 appears twice", [])[:8]
    'NIP NIP-'
    >>> mask_text("'Contoh Nama' is not allowed", ["Contoh Nama"])
    "'(name)' is not allowed"
    """
    key = secrets.token_bytes(32) if key is None else key
    out = _NIP_LIKE.sub(lambda m: "NIP-" + pseudonym(m.group(0), key)[:8], text)
    for name in sorted({n for n in names if len(n.strip()) >= 3}, key=len, reverse=True):
        out = out.replace(name, "(name)")
    return out


def names_of_round(scenario: Path) -> list[str]:
    """The names in the pegawai table a scenario names, as far as it can be read; else none."""
    from engine.inputs.data import read_table
    from engine.inputs.scenario import load_scenario

    try:
        loaded = load_scenario(scenario)
        frame, _ = read_table(loaded.resolve(loaded.scenario.data.pegawai))
    except Exception:  # a broken scenario or table: its own error says why; mask NIPs only
        return []
    if "nama" not in frame.columns:
        return []
    return [str(n) for n in frame["nama"] if str(n).strip()]
