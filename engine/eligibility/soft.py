"""Which soft rules each eligible pair fails, one bit per rule.

A province round has a hundred million eligible pairs and a handful of soft
rules; a bool array per rule and a float64 penalty per pair cost 8 + k bytes
a pair. Here each pair keeps one row of bytes (bit ``e % 8`` of byte
``e // 8`` for the ``e``-th soft rule), and its penalty is computed from the
bits when asked for, by the same additions in the same order as the rules
apply (``0.0``, then each soft rule's penalty where it fails, rule by rule),
so the values are the ones a float64 penalty array would hold, bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["PenaltyView", "SoftFailures"]


class SoftFailures:
    """The soft rules (``ids``, ``penalties``) each pair fails, bit-packed (``bits``)."""

    def __init__(self, ids: Sequence[str], penalties: Sequence[float], bits: np.ndarray):
        self.ids = list(ids)
        self.penalties = [float(p) for p in penalties]
        self.bits = bits  # (pairs, ceil(len(ids) / 8)) uint8
        self._table: np.ndarray | None = None  # byte_penalties, made when first read
        if bits.ndim != 2 or bits.shape[1] != self.width(len(self.ids)):
            raise ValueError(f"bits of shape {bits.shape} for {len(self.ids)} soft rules")

    @staticmethod
    def width(n_rules: int) -> int:
        """Bytes per pair for ``n_rules`` soft rules."""
        return (n_rules + 7) // 8

    @classmethod
    def empty(cls, ids: Sequence[str], penalties: Sequence[float], n: int) -> SoftFailures:
        """``n`` pairs that fail no soft rule (to be filled in place)."""
        return cls(ids, penalties, np.zeros((n, cls.width(len(ids))), dtype=np.uint8))

    @classmethod
    def pack(
        cls, ids: Sequence[str], penalties: Sequence[float], failed: dict[str, np.ndarray], n: int
    ) -> SoftFailures:
        """``n`` pairs from one bool array per rule that some pair fails (rules absent: none)."""
        out = cls.empty(ids, penalties, n)
        for e, rid in enumerate(out.ids):
            mask = failed.get(rid)
            if mask is not None:
                out.bits[:, e // 8] |= mask.view(np.uint8) << np.uint8(e % 8)
        return out

    def __len__(self) -> int:
        return int(self.bits.shape[0])

    def __repr__(self) -> str:
        return f"SoftFailures({self.ids} x {len(self)} pairs)"

    def mask(self, e: int, index: object = slice(None)) -> np.ndarray:
        """Bool per pair of ``index``: whether it fails the ``e``-th soft rule."""
        return (self.bits[index, e // 8] >> np.uint8(e % 8)) & np.uint8(1) == 1

    def failed_at(self, k: int) -> list[str]:
        """The soft rules pair ``k`` fails (none past the pairs: a stay arc fails none)."""
        if not 0 <= k < len(self):
            return []
        row = self.bits[k].tolist()
        return [rid for e, rid in enumerate(self.ids) if row[e // 8] >> (e % 8) & 1]

    def penalty(self, index: object = slice(None)) -> np.ndarray:
        """float64 penalty of the pairs ``index``: the failed soft rules' penalties added
        in rule order, as :mod:`engine.eligibility.candidates` adds them.

        Up to 8 soft rules (one byte a pair) it is one lookup of the byte in
        :meth:`byte_penalties`, whose entries are made by those additions."""
        if self.bits.shape[1] == 1:
            return self.byte_penalties()[self.bits[index, 0]]
        rows = self.bits[index]
        return self._sum(rows)

    def _sum(self, rows: np.ndarray) -> np.ndarray:
        out = np.zeros(rows.shape[:-1])
        for e, p in enumerate(self.penalties):
            out += np.where((rows[..., e // 8] >> np.uint8(e % 8)) & np.uint8(1), p, 0.0)
        return out

    def byte_penalties(self) -> np.ndarray:
        """The penalty of each of the 256 values of a pair's byte (up to 8 soft rules),
        by the same additions in the same rule order as :meth:`penalty` makes per
        pair, so a lookup gives the same float to the bit."""
        if self._table is None:
            self._table = self._sum(np.arange(256, dtype=np.uint8)[:, None])
        return self._table

    def subset(self, keep: np.ndarray) -> SoftFailures:
        """The pairs where ``keep`` holds (or the indices ``keep``)."""
        return SoftFailures(self.ids, self.penalties, self.bits[keep])

    def unpacked(self) -> list[tuple[str, np.ndarray]]:
        """``(rule id, bool mask over pairs)`` per soft rule: a bool array per rule
        (for tests and small rounds; :meth:`failed_at` answers one pair)."""
        return [(rid, self.mask(e)) for e, rid in enumerate(self.ids)]


class PenaltyView:
    """The penalty of each pair, as an array is indexed, computed from the bits when asked."""

    def __init__(self, soft: SoftFailures):
        self.soft = soft

    def __len__(self) -> int:
        return len(self.soft)

    def __getitem__(self, index: object) -> np.ndarray | float:
        if isinstance(index, int | np.integer):
            return self.soft.penalty(np.array([index])).item()
        return self.soft.penalty(index)

    def __array__(self, dtype: object = None, copy: object = None) -> np.ndarray:
        return np.asarray(self.soft.penalty(), dtype=dtype)

    def tolist(self) -> list[float]:
        return self.soft.penalty().tolist()
