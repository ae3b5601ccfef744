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
from dataclasses import replace

import numpy as np

from engine.inputs.derive import People

__all__ = ["KEY_ENV", "pseudonym", "pseudonymise_people"]

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
