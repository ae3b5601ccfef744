"""Tests of the synthetic data generator (engine.demo.synth) and the committed demo data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from engine.demo import synth
from engine.inputs import scales
from engine.inputs.equivalence import bundled_equivalences

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "data" / "demo"
AS_OF = synth.DEFAULT_AS_OF
DAY = 365.25


@pytest.fixture(scope="module")
def regency() -> synth.SynthData:
    return synth.make_regency()


@pytest.fixture(scope="module")
def taxonomy() -> dict[str, dict[str, list[str]]]:
    return yaml.safe_load((ROOT / "rules" / "taksonomi.yaml").read_text(encoding="utf-8"))[
        "families"
    ]


def _years(later: pd.Series | np.ndarray, earlier: pd.Series | np.ndarray) -> np.ndarray:
    delta = pd.to_datetime(pd.Series(later)) - pd.to_datetime(pd.Series(earlier))
    return delta.dt.days.to_numpy(dtype=float) / DAY


# --- shape and determinism --------------------------------------------------


def test_same_seed_gives_equal_tables(regency):
    again = synth.make_regency()
    for name in ("pegawai", "jabatan", "riwayat"):
        pd.testing.assert_frame_equal(getattr(regency, name), getattr(again, name))


def test_other_seed_gives_other_people(regency):
    other = synth.make_regency(seed=7)
    assert not regency.pegawai["nip"].equals(other.pegawai["nip"])
    assert list(other.jabatan["jabatan_id"]) == list(regency.jabatan["jabatan_id"])


def test_columns_follow_the_contract(regency):
    assert tuple(regency.pegawai.columns) == synth.pegawai_columns(AS_OF)
    assert [c for c in regency.pegawai.columns if c.startswith("skp_")] == [
        "skp_2023",
        "skp_2024",
        "skp_2025",
    ]
    assert tuple(regency.jabatan.columns) == synth.JABATAN_COLUMNS
    assert tuple(regency.riwayat.columns) == synth.RIWAYAT_COLUMNS


def test_row_counts(regency):
    jab, peg = regency.jabatan, regency.pegawai
    counts = jab["jenis_jabatan"].value_counts()
    assert 210 <= len(jab) <= 230
    assert 28 <= counts["JPT Pratama"] <= 34
    assert 100 <= counts["Administrator"] <= 115
    assert 75 <= counts["Pengawas"] <= 90
    assert (jab["eselon"] == "II.a").sum() == 1
    assert 0.10 <= jab["nip_pemangku"].isna().mean() <= 0.15
    structural = peg["jenis_jabatan"].isin(["JPT Pratama", "Administrator", "Pengawas"])
    assert structural.sum() == jab["nip_pemangku"].notna().sum()
    assert 400 <= (~structural).sum() <= 500
    per_person = regency.riwayat.groupby("nip").size()
    assert set(per_person.index) == set(peg["nip"])
    assert per_person.between(1, 4).all()


def test_ids_are_readable_and_unique(regency):
    ids = regency.jabatan["jabatan_id"]
    assert ids.is_unique
    assert ids.str.fullmatch(r"[A-Za-z0-9._-]+").all()


# --- NIP and people -----------------------------------------------------------


def test_nip_encodes_birth_tmt_cpns_and_sex(regency):
    peg = regency.pegawai
    nip = peg["nip"]
    assert nip.is_unique
    assert nip.str.fullmatch(r"\d{18}").all()
    assert (nip.str[:8] == peg["tanggal_lahir"].dt.strftime("%Y%m%d")).all()
    assert (nip.str[8:14] == peg["tmt_cpns"].dt.strftime("%Y%m")).all()
    assert (nip.str[14] == peg["jenis_kelamin"].map({"L": "1", "P": "2"})).all()


def test_labels_are_on_the_scales(regency):
    peg = regency.pegawai
    assert peg["golongan"].isin(scales.GOLONGAN).all()
    assert peg["pendidikan"].isin(scales.PENDIDIKAN).all()
    assert peg["jenis_jabatan"].isin(scales.JENIS_JABATAN).all()
    assert peg["hukuman_tingkat"].dropna().isin(scales.HUKUMAN_TINGKAT).all()
    for col in ("skp_2024", "skp_2025"):
        assert peg[col].dropna().isin(scales.SKP_PREDIKAT).all()
    old = peg["skp_2023"].dropna()
    numeric = pd.to_numeric(old, errors="coerce")
    assert (old.isin(scales.SKP_PREDIKAT) | numeric.between(0, 100)).all()
    assert 0.05 <= numeric.notna().mean() <= 0.15
    jab = regency.jabatan
    assert (jab["eselon"].map(scales.ESELON_JENIS) == jab["jenis_jabatan"]).all()
    assert jab["kritis"].isin(["ya", "tidak"]).all()


def test_jurusan_and_bidang_are_in_the_taxonomy(regency, taxonomy):
    fields = {f for members in taxonomy.values() for f in members}
    majors = {m for members in taxonomy.values() for ms in members.values() for m in ms}
    assert regency.jabatan["bidang"].isin(fields).all()
    assert regency.pegawai["jurusan"].isin(majors).all()


def test_dates_are_consistent(regency):
    peg = regency.pegawai
    entry_age = _years(peg["tmt_cpns"], peg["tanggal_lahir"])
    assert entry_age.min() >= 18 and entry_age.max() <= 36
    assert (peg["tmt_cpns"].dt.day == 1).all()
    assert (peg["tmt_golongan"] >= peg["tmt_cpns"]).all()
    assert (peg["tmt_golongan"] <= pd.Timestamp(AS_OF)).all()
    assert (peg["tmt_jabatan"] >= peg["tmt_cpns"]).all()
    assert (peg["tmt_jabatan"] < pd.Timestamp(AS_OF)).all()
    sanctioned = peg["hukuman_tingkat"].notna()
    assert peg.loc[sanctioned, ["hukuman_tmt", "hukuman_selesai"]].notna().all().all()
    assert (peg.loc[sanctioned, "hukuman_selesai"] >= peg.loc[sanctioned, "hukuman_tmt"]).all()
    assert peg.loc[~sanctioned, ["hukuman_tmt", "hukuman_selesai"]].isna().all().all()


# --- posts, incumbents, hierarchy ---------------------------------------------


def test_incumbents_exist_and_hold_one_post(regency):
    jab, peg = regency.jabatan, regency.pegawai
    holders = jab["nip_pemangku"].dropna()
    assert holders.is_unique
    by_nip = peg.set_index("nip")
    assert holders.isin(by_nip.index).all()
    held = jab.dropna(subset=["nip_pemangku"])
    person = by_nip.loc[held["nip_pemangku"]]
    for col in ("jenis_jabatan", "nama_jabatan", "unit"):
        assert (person[col].to_numpy() == held[col].to_numpy()).all(), col


def test_parents_exist_and_form_a_tree(regency):
    jab = regency.jabatan
    parent = dict(zip(jab["jabatan_id"], jab["atasan_id"], strict=True))
    roots = [pid for pid, up in parent.items() if pd.isna(up)]
    assert roots == ["SETDA.SEKDA"]
    for pid in parent:
        seen = {pid}
        up = parent[pid]
        while pd.notna(up):
            assert up in parent, f"{pid}: parent {up} missing"
            assert up not in seen, f"cycle through {pid}"
            seen.add(up)
            up = parent[up]


def test_history_is_contiguous_and_ends_with_the_current_post(regency):
    peg = regency.pegawai.set_index("nip")
    riw = regency.riwayat
    last = riw.groupby("nip").tail(1).set_index("nip")
    assert last["tmt_selesai"].isna().all()
    assert (last["tmt_mulai"] == peg.loc[last.index, "tmt_jabatan"]).all()
    assert (last["jenis_jabatan"] == peg.loc[last.index, "jenis_jabatan"]).all()
    assert (last["nama_jabatan"] == peg.loc[last.index, "nama_jabatan"]).all()
    earlier = riw[riw["tmt_selesai"].notna()]
    nxt = riw.groupby("nip")["tmt_mulai"].shift(-1)
    assert (earlier["tmt_selesai"] == nxt[earlier.index]).all()
    assert (riw["tmt_selesai"].isna() | (riw["tmt_selesai"] > riw["tmt_mulai"])).all()
    first = riw.groupby("nip").head(1).set_index("nip")
    assert (first["tmt_mulai"] >= peg.loc[first.index, "tmt_cpns"]).all()


# --- distributions --------------------------------------------------------------


def test_distributions_look_like_the_domain_notes(regency):
    peg = regency.pegawai
    structural = peg["jenis_jabatan"].isin(["JPT Pratama", "Administrator", "Pengawas"])
    women = peg["jenis_kelamin"] == "P"
    assert 0.30 <= women[structural].mean() <= 0.45
    assert women[~structural].mean() > women[structural].mean()
    age = _years(pd.Series([pd.Timestamp(AS_OF)] * len(peg)), peg["tanggal_lahir"])
    jpt = (peg["jenis_jabatan"] == "JPT Pratama").to_numpy()
    echelon = structural.to_numpy() & ~jpt
    assert age[jpt].min() >= 47 and age[jpt].max() < 60
    assert age[echelon].min() >= 39 and age[echelon].max() < 58
    bup = np.where(jpt, 60, 58)
    soon = structural.to_numpy() & (bup - age <= 2)
    assert 5 <= soon.sum() <= 40
    s2 = peg["pendidikan"].isin(["S2", "S3"])
    assert 0.6 <= s2[jpt].mean() <= 0.9
    last = peg[["skp_2024", "skp_2025"]].stack()
    assert (last == "Baik").mean() > 0.6
    assert 0.12 <= (last == "Sangat Baik").mean() <= 0.3
    assert (~last.isin(["Baik", "Sangat Baik"])).mean() < 0.05
    sanctioned = peg["hukuman_tingkat"].notna().mean()
    assert 0.01 <= sanctioned <= 0.03
    assert (peg["hukuman_tingkat"] == "berat").sum() in (1, 2)
    assert peg["jpm"].dropna().between(55, 95).all()
    assert peg["kompetensi"].dropna().between(1, 5).all()
    assert (
        peg["pelatihan"]
        .dropna()
        .str.fullmatch(r"(PKP|PKA|PKN II):\d{4}(\|(PKA|PKN II):\d{4})*")
        .all()
    )


def test_golongan_mostly_inside_the_eselon_range(regency):
    jab = regency.jabatan.dropna(subset=["nip_pemangku"])
    gol = regency.pegawai.set_index("nip").loc[jab["nip_pemangku"], "golongan"]
    idx = gol.map(scales.golongan_index).to_numpy()
    lowest = jab["eselon"].map(
        {
            "II.a": "IV/c",
            "II.b": "IV/b",
            "III.a": "IV/a",
            "III.b": "III/d",
            "IV.a": "III/c",
            "IV.b": "III/b",
        }
    )
    low = lowest.map(scales.golongan_index).to_numpy()
    assert (idx >= low - 1).mean() > 0.95
    assert (idx >= low).mean() > 0.75


def test_most_promotions_had_experience_below(regency):
    riw = regency.riwayat
    span = _years(riw["tmt_selesai"].fillna(pd.Timestamp(AS_OF)), riw["tmt_mulai"])
    held = (
        riw.assign(span=span).groupby(["nip", "jenis_jabatan"])["span"].sum().unstack(fill_value=0)
    )
    jenis = regency.pegawai.set_index("nip")["jenis_jabatan"]
    admins = jenis[jenis == "Administrator"].index
    jpts = jenis[jenis == "JPT Pratama"].index
    assert (held.loc[admins, "Pengawas"] >= 3).mean() > 0.7
    assert (held.loc[jpts, "Administrator"] >= 2).mean() > 0.7


# --- a placement round has real choices -------------------------------------------

TECHNICAL_UNITS = {
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Kesehatan",
    "Rumah Sakit Umum Daerah",
    "Badan Pengelolaan Keuangan Daerah",
    "Dinas Pendidikan dan Kebudayaan",
    "Dinas Pertanian",
}
LEVEL = {
    "Pelaksana": 0,
    "Fungsional Terampil": 1,
    "Fungsional Mahir": 1,
    "Fungsional Penyelia": 1,
    "Fungsional Ahli Pertama": 1,
    "Fungsional Ahli Muda": 2,
    "Pengawas": 2,
    "Fungsional Ahli Madya": 3,
    "Administrator": 3,
    "JPT Pratama": 4,
}
# level -> (minimum pendidikan, experience levels, years)
NEEDS = {
    "Pengawas": ("D3", ("Pelaksana", "Fungsional Terampil", "Fungsional Mahir",
                        "Fungsional Penyelia", "Fungsional Ahli Pertama", "Fungsional Ahli Muda"), 4),
    "Administrator": ("S1", ("Pengawas", "Fungsional Ahli Muda"), 3),
    "JPT Pratama": ("S1", ("Administrator", "Fungsional Ahli Madya"), 2),
}  # fmt: skip
MIN_GOLONGAN = {
    "II.a": "IV/b",
    "II.b": "IV/a",
    "III.a": "III/d",
    "III.b": "III/c",
    "IV.a": "III/b",
    "IV.b": "III/a",
}


def eligible(data: synth.SynthData, taxonomy: dict, day: dt.date) -> pd.Series:
    """Eligible promotion candidates per vacant post, under rules like the demo's.

    A stand-in for the engine's rules (rules/struktural.yaml, golongan.yaml,
    keilmuan.yaml) that is stricter where it differs: every technical post
    needs a major of the post's field family.
    """
    peg, jab, riw = data.pegawai, data.jabatan, data.riwayat
    family = {f: fam for fam, members in taxonomy.items() for f in members}
    major_family = {
        m: fam for fam, members in taxonomy.items() for ms in members.values() for m in ms
    }
    ts = pd.Timestamp(day)
    span = _years(riw["tmt_selesai"].fillna(ts).clip(upper=ts), riw["tmt_mulai"])
    held = (
        riw.assign(span=span).groupby(["nip", "jenis_jabatan"])["span"].sum().unstack(fill_value=0)
    )
    held = held.reindex(peg["nip"]).fillna(0)
    rank = peg["pendidikan"].map(bundled_equivalences().pendidikan).to_numpy()
    gol = peg["golongan"].map(scales.golongan_index).to_numpy()
    age = _years(pd.Series([ts] * len(peg)), peg["tanggal_lahir"])
    in_post = _years(pd.Series([ts] * len(peg)), peg["tmt_jabatan"])
    good = np.ones(len(peg), dtype=bool)
    for year in (day.year - 1, day.year - 2):
        col = peg.get(f"skp_{year}")
        good &= col.isin(["Baik", "Sangat Baik"]).to_numpy() if col is not None else True
    clean = ~peg["hukuman_tingkat"].isin(["sedang", "berat"]).to_numpy()
    level = peg["jenis_jabatan"].map(LEVEL).to_numpy()
    fam = peg["jurusan"].map(major_family).to_numpy()
    out = {}
    for post in jab[jab["nip_pemangku"].isna()].itertuples():
        edu, levels, years = NEEDS[post.jenis_jabatan]
        ok = (
            (level < LEVEL[post.jenis_jabatan])
            & (rank >= bundled_equivalences().pendidikan[edu])
            & (gol >= scales.golongan_index(MIN_GOLONGAN[post.eselon]))
            & (held[list(levels)].sum(axis=1).to_numpy() >= years)
            & (in_post >= 2)
            & good
            & clean
        )
        if post.jenis_jabatan == "JPT Pratama":
            ok &= age <= 56
        if post.unit in TECHNICAL_UNITS or family[post.bidang] in {
            "Teknik",
            "Kesehatan",
            "Pendidikan",
            "Pertanian dan Lingkungan",
        }:
            ok &= fam == family[post.bidang]
        out[post.jabatan_id] = int(ok.sum())
    return pd.Series(out)


def test_every_vacancy_has_several_candidates_but_not_everyone_qualifies(regency, taxonomy):
    counts = eligible(regency, taxonomy, AS_OF)
    assert len(counts) > 20
    assert counts.min() >= 2, counts[counts < 2]
    assert (counts >= 3).mean() > 0.8
    pool = len(regency.pegawai) - regency.jabatan["nip_pemangku"].notna().sum()
    assert counts.max() < 0.5 * pool


# --- the committed demo data ------------------------------------------------------


def test_committed_demo_equals_a_fresh_regency(regency, tmp_path):
    synth.write(regency, tmp_path)
    for filename in synth.FILES.values():
        committed = DEMO / filename
        assert committed.exists(), (
            f"{committed} missing: run python -m engine.demo.synth --out data/demo"
        )
        assert committed.read_bytes() == (tmp_path / filename).read_bytes(), (
            f"{committed} differs from make_regency(): run python -m engine.demo.synth --out data/demo"
        )


def test_write_is_plain_utf8_with_unix_newlines(regency, tmp_path):
    synth.write(regency, tmp_path)
    raw = (tmp_path / "pegawai.csv").read_bytes()
    assert b"\r" not in raw
    assert not raw.startswith(b"\xef\xbb\xbf")
    header = raw.split(b"\n", 1)[0].decode("utf-8")
    assert header.split(",") == list(synth.pegawai_columns(AS_OF))
    back = pd.read_csv(tmp_path / "jabatan.csv", dtype=str, keep_default_na=False)
    assert list(back["jabatan_id"]) == list(regency.jabatan["jabatan_id"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(synth.FILES.values())


def test_command_line_writes_the_demo(tmp_path):
    assert synth.main(["--out", str(tmp_path), "--seed", "3"]) == 0
    assert (tmp_path / "README.md").read_text(encoding="utf-8").count("--seed 3") == 1
    assert (tmp_path / "pegawai.csv").exists()


# --- province scale -----------------------------------------------------------------


def test_province_has_the_requested_size():
    data = synth.make_province(seed=5, n_posts=1000, n_people=3000)
    assert len(data.jabatan) == 1000
    assert len(data.pegawai) == 3000
    assert data.jabatan["jabatan_id"].is_unique
    assert data.pegawai["nip"].is_unique
    holders = data.jabatan["nip_pemangku"].dropna()
    assert holders.is_unique and holders.isin(data.pegawai["nip"]).all()
    parents = data.jabatan["atasan_id"].dropna()
    assert parents.isin(data.jabatan["jabatan_id"]).all()
    assert 0.10 <= data.jabatan["nip_pemangku"].isna().mean() <= 0.15


def test_province_is_deterministic_and_rejects_too_few_people():
    a = synth.make_province(seed=5, n_posts=300, n_people=800)
    b = synth.make_province(seed=5, n_posts=300, n_people=800)
    pd.testing.assert_frame_equal(a.pegawai, b.pegawai)
    with pytest.raises(ValueError, match="n_people"):
        synth.make_province(seed=5, n_posts=300, n_people=100)
