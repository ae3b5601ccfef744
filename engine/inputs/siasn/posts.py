"""The jabatan table from the ref-unor tree.

Takes the unit tree and the people imported; gives talenta's jabatan columns:
one post per unor whose EselonId is an echelon of kode.yaml, its parent post
(the unor above it, when that is a post too), its OPD, and its incumbent from
the unor's ``PemimpinPnsId`` joined to data-utama's person id. ``bidang``,
``kecamatan`` and ``kritis`` have no SIASN source: they come from the
office's extra table (:mod:`engine.inputs.siasn.extra`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from engine.errors import message
from engine.inputs import scales
from engine.inputs.data import JABATAN_COLUMNS
from engine.inputs.siasn.people import People
from engine.inputs.siasn.unor import Tree
from engine.inputs.siasn.values import Context

__all__ = ["JABATAN", "build_posts"]

# The jabatan table in contract order (engine.inputs.data, docs/data.md).
JABATAN = tuple(c.name for c in JABATAN_COLUMNS)


def _eselon(ctx: Context, tree: Tree) -> pd.Series:
    """The eselon of each unor of the tree (NaN where its EselonId is no echelon)."""
    eselon_map = ctx.mapping.codes.eselon.plain()
    ids = tree.nodes["eselon_id"]
    return ids.where(ids.isin(eselon_map.keys()), ids.str.zfill(2)).map(eselon_map)


def post_ids(ctx: Context, tree: Tree) -> dict[str, str]:
    """Lower-case unor id -> the jabatan_id of the post that unor is (echelon unors only)."""
    is_post = _eselon(ctx, tree).notna().to_numpy()
    nodes = tree.nodes
    return dict(zip(nodes["key"][is_post], nodes["jabatan_id"][is_post], strict=True))


def build_posts(ctx: Context, tree: Tree | None, people: People) -> pd.DataFrame:
    """The posts of the tree (an empty table, logged, without ref-unor)."""
    if tree is None:
        ctx.log.add(
            "fields_not_mapped",
            "jabatan",
            "(all)",
            message("siasn_log_no_ref_unor"),
        )
        return pd.DataFrame(columns=list(JABATAN))
    nodes = tree.nodes
    eselon = _eselon(ctx, tree)
    is_post = eselon.notna().to_numpy()
    post_id = post_ids(ctx, tree)
    posts = nodes[is_post].reset_index(drop=True)
    eselon = eselon[is_post].reset_index(drop=True)
    dup = posts["jabatan_id"].duplicated(keep="first").to_numpy()
    ctx.report(
        posts,
        np.flatnonzero(dup),
        "jabatan_id",
        message("siasn_post_twice"),
        allowed=message("siasn_one_unor_per_post"),
        values=posts["jabatan_id"],
    )
    for column in ("nama_jabatan", "nama_unor"):
        ctx.report(
            posts,
            np.flatnonzero(posts[column].isna().to_numpy()),
            column,
            message("siasn_unor_no_name"),
            allowed=message(
                "siasn_the_unors",
                field="NamaJabatan" if column == "nama_jabatan" else "NamaUnor",
            ),
        )
    leader = posts["pemimpin"].str.lower().map(people.ids)
    lost = (posts["pemimpin"].notna() & leader.isna()).to_numpy()
    if lost.any():
        ctx.log.add(
            "fields_not_mapped",
            "jabatan",
            "nip_pemangku",
            message("siasn_log_leader_not_imported"),
            [str(message("siasn_post_label", post=p)) for p in posts["jabatan_id"][lost]],
        )
    parent = posts["atasan"].str.lower().map(post_id)
    return pd.DataFrame(
        {
            "jabatan_id": posts["jabatan_id"],
            "nama_jabatan": posts["nama_jabatan"],
            "unit": tree.opd_of(posts["id"]),
            "eselon": eselon,
            "jenis_jabatan": eselon.map(scales.ESELON_JENIS),
            "atasan_id": parent.astype(object).where(parent.notna(), None),
            "bidang": None,
            "kecamatan": None,
            "nip_pemangku": leader.astype(object).where(leader.notna(), None),
            "kritis": None,
        }
    )
