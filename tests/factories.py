"""Factories of small synthetic tables written as CSV.

All people and posts here are synthetic; names are invented.
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PEGAWAI_HEADER = [
    "nip",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "tmt_cpns",
    "golongan",
    "tmt_golongan",
    "pendidikan",
    "jurusan",
    "jenis_jabatan",
    "nama_jabatan",
    "unit",
    "tmt_jabatan",
    "skp_2024",
    "skp_2025",
    "jpm",
    "kompetensi",
    "pelatihan",
    "hukuman_tingkat",
    "hukuman_tmt",
    "hukuman_selesai",
]
JABATAN_HEADER = [
    "jabatan_id",
    "nama_jabatan",
    "unit",
    "eselon",
    "jenis_jabatan",
    "atasan_id",
    "bidang",
    "kecamatan",
    "nip_pemangku",
    "kritis",
]


def nip_for(born: str, tmt: str, sex: str, seq: int) -> str:
    """A NIP consistent with its row: birth date, TMT CPNS year+month, sex, sequence."""
    return (
        born.replace("-", "")
        + tmt.replace("-", "")[:6]
        + ("1" if sex == "L" else "2")
        + f"{seq:03d}"
    )


def person(seq: int, **over: str) -> dict[str, str]:
    """One synthetic pegawai row (an Administrator-level candidate by default)."""
    row = {
        "nama": f"Contoh Pegawai {seq}",
        "jenis_kelamin": "L",
        "tanggal_lahir": "1975-05-10",
        "tmt_cpns": "2000-03-01",
        "golongan": "IV/a",
        "tmt_golongan": "2020-04-01",
        "pendidikan": "S1",
        "jurusan": "Teknik Sipil",
        "jenis_jabatan": "Pengawas",
        "nama_jabatan": "Kepala Seksi Contoh",
        "unit": "Dinas Pekerjaan Umum dan Penataan Ruang",
        "tmt_jabatan": "2019-01-02",
        "skp_2024": "Baik",
        "skp_2025": "Baik",
        "jpm": "75",
        "kompetensi": "3",
        "pelatihan": "PKP:2015",
        "hukuman_tingkat": "",
        "hukuman_tmt": "",
        "hukuman_selesai": "",
    }
    row.update(over)
    row["nip"] = over.get("nip") or nip_for(
        row["tanggal_lahir"], row["tmt_cpns"], row["jenis_kelamin"], seq
    )
    return row


def post(pid: str, **over: str) -> dict[str, str]:
    row = {
        "jabatan_id": pid,
        "nama_jabatan": f"Jabatan {pid}",
        "unit": "Dinas Pekerjaan Umum dan Penataan Ruang",
        "eselon": "III.b",
        "jenis_jabatan": "Administrator",
        "atasan_id": "",
        "bidang": "Teknik Sipil",
        "kecamatan": "Sangir",
        "nip_pemangku": "",
        "kritis": "tidak",
    }
    row.update(over)
    return row


def write_csv(
    path: Path, header: list[str], rows: list[dict[str, str]], delimiter: str = ","
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=header, delimiter=delimiter, extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(rows)
    return path


SCENARIO_TEMPLATE = """kind: scenario
name: Tiny test round
date: 2026-07-01
data:
  pegawai: pegawai.csv
  jabatan: jabatan.csv
rules: [{rules}]
taxonomy: {root}/rules/taksonomi.yaml
weights: {root}/rules/bobot.yaml
bup: {root}/rules/bup.yaml
open:
  vacant: true
{extra}
"""


def decided_demo(folder: Path) -> Path:
    """A copy of the demo round in ``folder`` with one pin and one ban, each of which moves
    someone: the second name of a shortlist pinned to its post, the first name of another
    post's shortlist banned from it. Returns the scenario's path."""
    import shutil

    from engine.plan.pipeline import build_plan

    for sub in ("scenarios", "rules", "data"):
        shutil.copytree(ROOT / sub, folder / sub, dirs_exist_ok=True)
    plan = build_plan(folder / "scenarios/demo.yaml").record
    lists = [(post, names) for post, names in plan.shortlists.items() if len(names) >= 2]
    pin_post, pin_names = lists[0]
    pin = next(s for s in pin_names if not s.chosen)
    scenario = folder / "scenarios/decided.yaml"
    # A ban whose post has an equally good second choice costs nothing and moves
    # nobody; take the first post (after the pin's) where the ban has a price.
    for ban_post, ban_names in lists[1:]:
        ban = next(s for s in ban_names if s.chosen)
        scenario.write_text(
            "kind: scenario\nextends: demo.yaml\nname: Demo dengan keputusan tim\n"
            f"pins:\n  - {{nip: '{pin.nip}', jabatan_id: '{pin_post}'}}\n"
            f"bans:\n  - {{nip: '{ban.nip}', jabatan_id: '{ban_post}'}}\n",
            encoding="utf-8",
        )
        decided = build_plan(scenario).record
        if all(d.price > 0 and d.displaced for d in decided.decisions):
            break
    return scenario
