"""Pseudonyms for names and NIPs in every output.

A NIP encodes a birth date, a TMT and a sex: it is personal data, and its
small space (about 10^8 plausible values) makes a plain hash reversible by
brute force. Pseudonyms are therefore keyed (HMAC-SHA256), and the key is a
secret that nothing in an output can reveal:

- ``TALENTA_PSEUDONYM_KEY`` when it is set (an office that wants the same
  pseudonyms on several machines shares it as it shares any secret);
- otherwise a random 256-bit key made on first use and kept in a key file on
  this machine, readable by its owner only (``TALENTA_PSEUDONYM_KEY_FILE``, or
  ``$XDG_CONFIG_HOME/talenta/pseudonym.key``, by default
  ``~/.config/talenta/pseudonym.key``), so pseudonyms are stable across runs
  on the machine.

The key is never derived from the inputs (the manifest holds their hashes)
and never written into an output folder. A key file that others can read is
refused, as ssh refuses such a private key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import numpy as np

from engine.errors import TalentaError, message, os_reason
from engine.inputs.derive import People

__all__ = [
    "KEY_ENV",
    "KEY_FILE_ENV",
    "PseudonymKeyError",
    "key_file",
    "mask_text",
    "names_of_round",
    "pseudonym",
    "pseudonym_key",
    "pseudonymise_people",
    "refuse_key_inside",
]

KEY_ENV = "TALENTA_PSEUDONYM_KEY"
KEY_FILE_ENV = "TALENTA_PSEUDONYM_KEY_FILE"
KEY_BYTES = 32


class PseudonymKeyError(TalentaError):
    """The pseudonym key cannot be had safely (a key file others can read, or none can be made)."""


def key_file() -> Path:
    """Where this machine's pseudonym key is kept."""
    given = os.environ.get(KEY_FILE_ENV)
    if given:
        return Path(given).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "talenta" / "pseudonym.key"


def _read_key(path: Path) -> bytes:
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        raise PseudonymKeyError(message("key_not_regular", path=path))
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise PseudonymKeyError(
            message("key_readable_by_others", path=path, mode=f"{stat.S_IMODE(mode):o}")
        )
    key = path.read_bytes()
    if len(key) < KEY_BYTES:
        raise PseudonymKeyError(message("key_too_short", path=path, n=len(key), least=KEY_BYTES))
    return key


def _make_key(path: Path) -> bytes:
    """A fresh random key, written owner-only; if another run made one first, theirs."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())
    return key


def pseudonym_key() -> tuple[bytes, str]:
    """The key, and how it was chosen (what the manifest says; never the key itself)."""
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode("utf-8"), f"key from {KEY_ENV}"
    path = key_file()
    try:
        key = _read_key(path) if path.exists() else _make_key(path)
    except OSError as exc:
        raise PseudonymKeyError(
            message(
                "key_unusable",
                path=path,
                reason=os_reason(exc),
                file_env=KEY_FILE_ENV,
                key_env=KEY_ENV,
            )
        ) from None
    return key, "key from this machine's key file"


def refuse_key_inside(out: Path) -> None:
    """Refuse an output folder that holds the key file: an output must never carry the key."""
    if os.environ.get(KEY_ENV):
        return
    key, folder = key_file().resolve(), out.resolve()
    if key == folder or folder in key.parents:
        raise PseudonymKeyError(message("key_inside_out", out=out, key=key_file()))


def pseudonym(nip: str, key: bytes) -> str:
    """Stable pseudonym code of one NIP under ``key`` (10 upper-case hex digits)."""
    return hmac.new(key, nip.encode("utf-8"), hashlib.sha256).hexdigest()[:10].upper()


def pseudonymise_people(people: People) -> tuple[People, str]:
    """``people`` with names and NIPs replaced by pseudonyms, and how the key was chosen."""
    key, source = pseudonym_key()
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
