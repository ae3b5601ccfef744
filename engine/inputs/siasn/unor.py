"""The ref-unor tree: each unit's agency (OPD), and the posts with their leaders.

Takes the ``ref-unor`` records; gives a :class:`Tree` that names the OPD of
any unor id and the posts (unors whose EselonId is an echelon of kode.yaml).

The OPD of a unor is found by walking up ``DiatasanId`` from the unor itself
to the first unor that is its own ``IndukUnorId`` (SIASN marks an agency so);
when a unor on the way has no ``IndukUnorId``, the walk stops at the unor
just below the root (the regency or province itself).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine.errors import message
from engine.inputs.siasn.values import Context, section

__all__ = ["Tree", "build_tree"]


@dataclass
class Tree:
    """The unit tree, keyed by lower-case unor id."""

    nodes: pd.DataFrame  # the unor section of kolom.yaml, one row per unor, plus 'key'
    opd: dict[str, str]  # unor id -> name of its OPD

    def opd_of(self, ids: pd.Series) -> pd.Series:
        """The OPD name of each unor id (None where the id is not in the tree)."""
        return _lower(ids).map(self.opd).astype(object)


def _lower(values: pd.Series) -> pd.Series:
    return values.str.lower().astype(object).where(values.notna(), None)


def build_tree(ctx: Context, raw: pd.DataFrame | None) -> Tree | None:
    """The tree of the ref-unor records, or None when no ref-unor was given."""
    if raw is None or raw.empty:
        return None
    nodes = section(ctx.mapping, raw, "unor")
    missing = np.flatnonzero(nodes["id"].isna().to_numpy())
    ctx.report(
        nodes,
        missing,
        "id",
        message("siasn_unor_no_id"),
        allowed=message("siasn_the_unors", field="Id"),
    )
    nodes = nodes[nodes["id"].notna()].reset_index(drop=True)
    nodes["key"] = nodes["id"].str.lower()
    dup = nodes["key"].duplicated(keep="first").to_numpy()
    ctx.report(nodes, np.flatnonzero(dup), "id", message("siasn_unor_twice"), values=nodes["id"])
    nodes = nodes[~dup].reset_index(drop=True)
    parent = dict(zip(nodes["key"], _lower(nodes["atasan"]), strict=True))
    induk = dict(zip(nodes["key"], _lower(nodes["induk"]), strict=True))
    name = dict(zip(nodes["key"], nodes["nama_unor"], strict=True))
    opd: dict[str, str] = {}
    for start in nodes["key"]:
        if start in opd:
            continue
        walk: list[str] = []
        node = start
        found: str | None = None
        while True:
            if node in opd:
                found = opd[node]
                break
            if node in walk:  # a cycle of DiatasanId: report it once, stop there
                row = int(np.flatnonzero((nodes["key"] == start).to_numpy())[0])
                ctx.report(
                    nodes,
                    np.array([row]),
                    "atasan",
                    message("siasn_unor_cycle", cycle=" -> ".join([*walk, node])),
                    allowed=message("siasn_unit_tree"),
                )
                found = name.get(node)
                break
            walk.append(node)
            up = parent.get(node)
            if induk.get(node) == node or (
                not induk.get(node) and (up not in parent or parent.get(up) not in parent)
            ):
                found = name.get(node)
                break
            if up not in parent:
                found = name.get(node)
                break
            node = up
        for visited in walk:
            opd[visited] = found  # type: ignore[assignment]
    return Tree(nodes, opd)
