"""Turn talenta tables (the synthetic demo regency) into SIASN-shaped files.

Takes pegawai, jabatan and riwayat_jabatan (docs/data.md) and writes what an
office would download from SIASN for the same people: the Export Data ASN
(one half of the people, as CSV and XLSX), data-utama responses (the other
half: a few one file per NIP, the rest one file holding many), rw-jabatan,
rw-skp22, rw-skp, rw-hukdis, rw-diklat, rw-golongan, rw-pendidikan,
rw-kinerjaperiodik and rw-kursus responses, the ref-unor tree, and the
office's extra tables (what SIASN cannot carry: jpm, kompetensi, bidang,
kecamatan, kritis). Field names follow the SIASN field lists; every person
is synthetic (the demo's), no real data is used.

The SIASN oddities the import must take are put in on purpose: keys in
another case, apostrophe-prefixed and "null" cells, empty dates as
01-01-0001, records tied by person id instead of NIP, error answers for
people without a history, an annulled sanction, a non-leadership course, one
person no longer in service and one CPNS.

Usage::

    python tests/engine/inputs/siasn/make_fixtures.py OUT [--units N]

``--units N`` keeps the first N units (a small set, as committed under
tests/engine/inputs/siasn/fixtures).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[4]
GOLONGAN = {
    g: f"{n}{k + 1}"
    for n, (roman, ruang) in enumerate(
        (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde")), start=1
    )
    for k, g in enumerate(f"{roman}/{r}" for r in ruang)
}
ESELON = {"I.a": "11", "I.b": "12", "II.a": "21", "II.b": "22", "III.a": "31", "III.b": "32"}
ESELON |= {"IV.a": "41", "IV.b": "42"}
LEVEL_ESELON = {"JPT Pratama": "22", "Administrator": "31", "Pengawas": "41"}
PENDIDIKAN = {"SD": "05", "SMP": "10", "SMA": "15", "D1": "20", "D2": "25", "D3": "30"}
PENDIDIKAN |= {"D4": "35", "S1": "40", "S2": "45", "S3": "50"}
DEGREE = {"SMA": "SLTA", "D1": "D-I", "D2": "D-II", "D3": "D-III", "D4": "D-IV"}
DEGREE |= {"S1": "S-1", "S2": "S-2", "S3": "S-3", "SD": "SD", "SMP": "SLTP"}
KUADRAN = {"Sangat Baik": "1", "Baik": "2", "Butuh Perbaikan": "3", "Kurang": "4"}
KUADRAN |= {"Sangat Kurang": "5"}
HUKUMAN = {"ringan": "R", "sedang": "S", "berat": "B"}
DIKLAT = {"PKP": "2", "PKA": "3", "PKN II": "4", "PKN I": "5"}
_FRONT = re.compile(r"^((?:[A-Za-z]{1,4}\.\s+)+)")
# What SIASN cannot carry; the office's extra tables give it.
EXTRA_PEGAWAI = ("jpm", "kompetensi")
EXTRA_JABATAN = ("bidang", "kecamatan", "kritis")


def hexid(kind: str, key: str) -> str:
    """A 32-hex id like SIASN's, stable for the same key."""
    return hashlib.md5(f"siasn-{kind}:{key}".encode()).hexdigest()


def dmy(iso: object) -> str:
    """YYYY-MM-DD as dd-mm-yyyy; empty as ''."""
    if not isinstance(iso, str) or not iso:
        return ""
    y, m, d = iso.split("-")
    return f"{d}-{m}-{y}"


def envelope(data: object) -> dict:
    count = len(data) if isinstance(data, list) else 1
    return {"code": 1, "success": True, "data": data, "mapData": None, "count": count}


def split_name(full: str) -> tuple[str, str, str]:
    """(gelar depan, nama, gelar belakang) of a demo name."""
    front = m.group(1).strip() if (m := _FRONT.match(full)) else ""
    rest = full[m.end() :] if m else full
    name, _, back = rest.partition(", ")
    return front, name.strip(), back.strip()


def subset(peg: pd.DataFrame, jab: pd.DataFrame, riw: pd.DataFrame, units: int):
    """The people and posts of the first ``units`` units (parents outside dropped)."""
    keep = list(dict.fromkeys(jab["unit"]))[:units]
    jab = jab[jab["unit"].isin(keep)].copy()
    jab.loc[~jab["atasan_id"].isin(jab["jabatan_id"]), "atasan_id"] = None
    peg = peg[peg["unit"].isin(keep)].copy()
    return peg, jab, riw[riw["nip"].isin(peg["nip"])].copy()


class Regency:
    """The demo tables and the SIASN ids derived from them."""

    def __init__(self, peg: pd.DataFrame, jab: pd.DataFrame, riw: pd.DataFrame):
        self.peg, self.jab, self.riw = peg, jab, riw
        self.pid = {n: hexid("pns", n) for n in peg["nip"]}
        self.uid = {j: hexid("unor", j) for j in jab["jabatan_id"]}
        self.root = hexid("unor", "ROOT")
        parent_unit = jab["atasan_id"].map(dict(zip(jab["jabatan_id"], jab["unit"], strict=True)))
        top = jab[parent_unit != jab["unit"]]
        self.opd = dict(zip(top["unit"], top["jabatan_id"], strict=True))
        held = jab[jab["nip_pemangku"].notna()]
        self.post_of = dict(zip(held["nip_pemangku"], held["jabatan_id"], strict=True))
        self.eselon_of = dict(zip(jab["jabatan_id"], jab["eselon"], strict=True))

    def unit_id(self, unit: str) -> str:
        top = self.opd.get(unit)
        return self.uid[top] if top else hexid("unor", unit)

    def unor_of(self, nip: str, unit: str) -> str:
        post = self.post_of.get(nip)
        return self.uid[post] if post else self.uid[self.opd[unit]]

    def ref_unor(self) -> list[dict]:
        out = [{"Id": self.root, "NamaUnor": "Pemerintah Kabupaten Demo", "EselonId": "00"}]
        for r in self.jab.itertuples():
            is_opd = self.opd.get(r.unit) == r.jabatan_id
            out.append(
                {
                    "Id": self.uid[r.jabatan_id],
                    "InstansiId": "A5EB03E2",
                    "DiatasanId": self.uid[r.atasan_id]
                    if isinstance(r.atasan_id, str)
                    else self.root,
                    "EselonId": ESELON[r.eselon],
                    "NamaUnor": r.unit if is_opd else r.nama_jabatan.removeprefix("Kepala "),
                    "NamaJabatan": r.nama_jabatan,
                    "CepatKode": r.jabatan_id,
                    "IndukUnorId": self.uid[r.jabatan_id] if is_opd else self.uid[self.opd[r.unit]],
                    "PemimpinPnsId": self.pid.get(r.nip_pemangku, "")
                    if isinstance(r.nip_pemangku, str)
                    else "",
                    "JenisUnorId": "1",
                }
            )
        return out

    def jenis_fields(self, jenis: str, nama: str, eselon: str) -> dict[str, str]:
        if jenis.startswith("Fungsional"):
            return {"jenisJabatanId": "2", "jabatanFungsionalNama": nama, "eselonId": ""}
        if jenis == "Pelaksana":
            return {"jenisJabatanId": "4", "jabatanFungsionalUmumNama": nama, "eselonId": ""}
        return {"jenisJabatanId": "1", "eselonId": eselon}

    def person(self, p) -> dict[str, str]:
        """data-utama of one person (camelCase, as the API sends it)."""
        front, name, back = split_name(p.nama)
        post = self.post_of.get(p.nip)
        eselon = ESELON[self.eselon_of[post]] if post else ""
        out = {
            "id": self.pid[p.nip],
            "nipBaru": p.nip,
            "nama": name,
            "gelarDepan": front,
            "gelarBelakang": back,
            "jenisKelamin": {"L": "M", "P": "F"}[p.jenis_kelamin],
            "tglLahir": dmy(p.tanggal_lahir),
            "tmtCpns": dmy(p.tmt_cpns),
            "tmtPns": dmy(p.tmt_cpns),
            "statusPegawai": "P",
            "kedudukanPnsId": "01",
            "kedudukanPnsNama": "Aktif",
            "golRuangAkhirId": GOLONGAN[p.golongan],
            "golRuangAkhir": p.golongan,
            "tmtGolAkhir": dmy(p.tmt_golongan),
            "tkPendidikanTerakhirId": PENDIDIKAN[p.pendidikan],
            "pendidikanTerakhirNama": self.degree_name(p),
            "jabatanNama": p.nama_jabatan,
            "tmtJabatan": dmy(p.tmt_jabatan),
            "unorId": self.unor_of(p.nip, p.unit),
            "unorIndukNama": p.unit,
            "tmtPensiun": "01-01-0001",
        }
        out |= self.jenis_fields(p.jenis_jabatan, p.nama_jabatan, eselon)
        return out

    def degree_name(self, p) -> str:
        """The free text SIASN holds: degree and major, in upper case; some as an alias
        of the reviewed lookup, so that the lookup is exercised."""
        major = p.jurusan
        alias = ALIASES.get(major)
        if alias and int(p.nip[-3:]) % 2 == 0:
            major = alias
        return f"{DEGREE[p.pendidikan]} {major.upper()}"


def _aliases() -> dict[str, str]:
    import yaml

    data = yaml.safe_load((ROOT / "mapping/siasn/jurusan.yaml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for text, major in data["majors"].items():
        out.setdefault(major, text)
    return out


ALIASES = _aliases()


def _export_row(person: dict[str, str], k: int) -> dict[str, str]:
    """One Export Data ASN row: snake_case, NIP with an apostrophe, 'null' for empty."""
    null = "null" if k % 2 else ""
    return {
        "pns_id": person["id"],
        "nip_baru": "'" + person["nipBaru"],
        "nama": person["nama"],
        "gelar_depan": person["gelarDepan"] or null,
        "gelar_belakang": person["gelarBelakang"] or null,
        "jenis_kelamin": person["jenisKelamin"],
        "tanggal_lahir": person["tglLahir"],
        "tmt_cpns": person["tmtCpns"],
        "gol_akhir_id": person["golRuangAkhirId"],
        "gol_akhir_nama": person["golRuangAkhir"],
        "tmt_golongan": person["tmtGolAkhir"],
        "jenis_jabatan_id": person["jenisJabatanId"],
        "jabatan_nama": person["jabatanNama"],
        "tmt_jabatan": person["tmtJabatan"],
        "tingkat_pendidikan_id": "'" + person["tkPendidikanTerakhirId"],
        "pendidikan_nama": person["pendidikanTerakhirNama"],
        "unor_id": person["unorId"],
        "unor_nama": person["unorIndukNama"],
        "kedudukan_hukum_id": "'" + person["kedudukanPnsId"],
        "status_cpns_pns": person["statusPegawai"],
        "eselon_id": person.get("eselonId") or null,
    }


def rw_jabatan(reg: Regency) -> dict[str, list[dict]]:
    """rw-jabatan per NIP; every fourth record tied by idPns only, without nipBaru."""
    out: dict[str, list[dict]] = {}
    current = dict(zip(reg.peg["nip"], reg.peg["tmt_jabatan"], strict=True))
    for k, r in enumerate(reg.riw.itertuples()):
        post = reg.post_of.get(r.nip)
        is_current = post is not None and r.tmt_mulai == current[r.nip]
        eselon = (
            ESELON[reg.eselon_of[post]] if is_current else LEVEL_ESELON.get(r.jenis_jabatan, "")
        )
        record = {
            "id": hexid("rwjab", f"{r.nip}:{k}"),
            "idPns": reg.pid[r.nip],
            "nipBaru": r.nip,
            "jenisJabatan": "",
            # a unit outside the tree (a subset) gets an id ref-unor does not hold
            "unorId": reg.uid[post] if is_current else reg.unit_id(r.unit),
            "unorNama": r.unit,
            "unorIndukNama": r.unit,
            "namaJabatan": r.nama_jabatan,
            "tmtJabatan": dmy(r.tmt_mulai),
            "tmtPelantikan": "01-01-0001",
            "nomorSk": f"821/{k}/BKPSDM",
        }
        fields = reg.jenis_fields(r.jenis_jabatan, r.nama_jabatan, eselon)
        record["jenisJabatan"] = fields.pop("jenisJabatanId")
        record |= fields
        if k % 4 == 3:
            del record["nipBaru"]
        if k % 5 == 4:  # the key case SIASN sends is not always the same
            record["NamaJabatan"] = record.pop("namaJabatan")
        out.setdefault(r.nip, []).append(record)
    return out


def rw_skp(reg: Regency) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """rw-skp22 (predikat as kuadran) and rw-skp (numbers, PP 46/2011) per NIP."""
    new: dict[str, list[dict]] = {}
    old: dict[str, list[dict]] = {}
    years = sorted(int(c[4:]) for c in reg.peg.columns if re.fullmatch(r"skp_\d{4}", c))
    for p in reg.peg.itertuples():
        for year in years:
            value = getattr(p, f"skp_{year}")
            if not isinstance(value, str) or not value:
                continue
            if value in KUADRAN:
                new.setdefault(p.nip, []).append(
                    {
                        "id": hexid("skp22", f"{p.nip}:{year}"),
                        "tahun": year,
                        "kuadranKinerjaNilai": KUADRAN[value],
                        "kuadranKinerja": value.upper(),
                        "hasilKinerja": "SESUAI EKSPEKTASI",
                        "statusPenilai": "ASN",
                    }
                )
            else:
                old.setdefault(p.nip, []).append(
                    {
                        "id": hexid("skp", f"{p.nip}:{year}"),
                        "tahun": str(year),
                        "nilaiSkp": value,
                        "nilaiPrestasiKerja": value,
                        "jenisPeraturanKinerjaKd": "PP46",
                    }
                )
    return new, old


def rw_hukdis(reg: Regency) -> dict[str, list[dict]]:
    """Sanctions per NIP; the first person without one gets an annulled one."""
    out: dict[str, list[dict]] = {}
    clean = True
    for p in reg.peg.itertuples():
        if isinstance(p.hukuman_tingkat, str) and p.hukuman_tingkat:
            ends = dmy(p.hukuman_selesai) if p.hukuman_selesai != p.hukuman_tmt else "01-01-0001"
            out[p.nip] = [
                {
                    "id": hexid("hukdis", p.nip),
                    "jenisTingkatHukumanId": HUKUMAN[p.hukuman_tingkat],
                    "jenisHukumanNama": p.hukuman_tingkat.upper(),
                    "hukumanTanggal": dmy(p.hukuman_tmt),
                    "akhirHukumTanggal": ends,
                    "masaTahun": "0",
                    "masaBulan": "0",
                    "skPembatalanNomor": None,
                }
            ]
        elif clean:
            clean = False
            out[p.nip] = [
                {
                    "id": hexid("hukdis", p.nip),
                    "jenisTingkatHukumanId": "B",
                    "hukumanTanggal": "03-03-2024",
                    "akhirHukumTanggal": "03-03-2025",
                    "skPembatalanNomor": "800/12/BKPSDM/2024",
                    "skPembatalanTanggal": "01-06-2024",
                }
            ]
    return out


def rw_diklat(reg: Regency) -> dict[str, list[dict]]:
    """Leadership trainings per NIP, from pelatihan NAME:YEAR|..."""
    out: dict[str, list[dict]] = {}
    for p in reg.peg.itertuples():
        if not isinstance(p.pelatihan, str) or not p.pelatihan:
            continue
        for part in p.pelatihan.split("|"):
            name, year = part.split(":")
            out.setdefault(p.nip, []).append(
                {
                    "id": hexid("diklat", f"{p.nip}:{name}"),
                    "latihanStrukturalId": DIKLAT[name],
                    "latihanStrukturalNama": name,
                    "tahun": int(year),
                    "tanggal": f"01-03-{year}",
                    "tanggalSelesai": f"30-06-{year}",
                    "jumlahJam": 300,
                }
            )
    return out


def others(reg: Regency) -> dict[str, dict[str, list[dict]]]:
    """rw-golongan, rw-pendidikan, rw-kinerjaperiodik and rw-kursus (read, not used)."""
    out: dict[str, dict[str, list[dict]]] = {
        "rw-golongan": {},
        "rw-pendidikan": {},
        "rw-kinerjaperiodik": {},
        "rw-kursus": {},
    }
    for p in reg.peg.itertuples():
        out["rw-golongan"][p.nip] = [
            {
                "golonganId": GOLONGAN[p.golongan],
                "golongan": p.golongan,
                "tmtGolongan": dmy(p.tmt_golongan),
            }
        ]
        out["rw-pendidikan"][p.nip] = [
            {
                "tkPendidikanId": PENDIDIKAN[p.pendidikan],
                "pendidikanNama": reg.degree_name(p),
                "isPendidikanPertama": "0",
            }
        ]
    first = reg.peg["nip"].iloc[0]
    out["rw-kinerjaperiodik"][first] = [
        {"tahun": 2025, "periodikId": "3", "kuadranKinerjaNilai": "2"}
    ]
    out["rw-kursus"][first] = [
        {"jenisDiklatId": "1", "namaKursus": "Pelatihan Teknis", "tahunKursus": 2024}
    ]
    return out


def leavers(reg: Regency) -> list[dict[str, str]]:
    """Two synthetic people who must be left out: one retired, one CPNS."""
    base = reg.person(next(reg.peg.itertuples()))
    retired = base | {
        "id": hexid("pns", "retired"),
        "nipBaru": "195801012983031901",
        "nama": "Pensiunan Contoh",
        "gelarDepan": "",
        "gelarBelakang": "",
        "tglLahir": "01-01-1958",
        "tmtCpns": "01-03-1983",
        "jenisKelamin": "M",
        "kedudukanPnsId": "99",
        "kedudukanPnsNama": "Pensiun",
    }
    retired["nipBaru"] = "195801011983031901"
    cpns = base | {
        "id": hexid("pns", "cpns"),
        "nipBaru": "200001012025012901",
        "nama": "Calon Contoh",
        "gelarDepan": "",
        "gelarBelakang": "",
        "tglLahir": "01-01-2000",
        "tmtCpns": "01-01-2025",
        "jenisKelamin": "F",
        "statusPegawai": "C",
        "jenisJabatanId": "4",
        "jabatanNama": "Pengadministrasi Umum",
        "jabatanFungsionalUmumNama": "Pengadministrasi Umum",
        "eselonId": "",
        "unorId": reg.uid[reg.opd[reg.peg["unit"].iloc[0]]],
    }
    return [retired, cpns]


def _dump(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _many(out: Path, endpoint: str, by_nip: dict[str, list[dict]], nips: list[str]) -> None:
    """One file holding many responses, keyed by NIP; an error answer for those without any."""
    data = {}
    for k, nip in enumerate(nips):
        records = by_nip.get(nip)
        if records:
            data[nip] = envelope(records)
        elif k % 7 == 0:
            data[nip] = {"Error": True, "Message": "Data tidak ditemukan"}
    _dump(out / f"{endpoint}.json", data)


def write_siasn(peg: pd.DataFrame, jab: pd.DataFrame, riw: pd.DataFrame, out: Path) -> None:
    """Write the SIASN-shaped files of these tables into ``out/siasn`` and the
    office's extra tables into ``out/kantor``."""
    office = out / "kantor"
    out = out / "siasn"
    out.mkdir(parents=True, exist_ok=True)
    office.mkdir(parents=True, exist_ok=True)
    reg = Regency(peg, jab, riw)
    people = [reg.person(p) for p in peg.itertuples()]
    extra = leavers(reg)
    api, export = people[0::2], people[1::2]
    for person in api[:2]:  # one file per NIP, as saved from the API
        _dump(out / f"data-utama-{person['nipBaru']}.json", envelope(person))
    _dump(out / "data-utama.json", {p["nipBaru"]: envelope(p) for p in api[2:] + extra})
    rows = pd.DataFrame([_export_row(p, k) for k, p in enumerate(export)])
    half = len(rows) // 2
    rows.iloc[:half].to_csv(out / "export-data-asn.csv", index=False, lineterminator="\n")
    rows.iloc[half:].to_excel(out / "export-data-asn.xlsx", index=False)
    nips = [p["nipBaru"] for p in people + extra]
    jabatan = rw_jabatan(reg)
    cpns = extra[1]
    jabatan[cpns["nipBaru"]] = [
        {
            "idPns": cpns["id"],
            "jenisJabatan": "4",
            "namaJabatan": "Pengadministrasi Umum",
            "tmtJabatan": "01-01-2025",
            "unorId": cpns["unorId"],
        }
    ]
    new, old = rw_skp(reg)
    for endpoint, records in (
        ("rw-jabatan", jabatan),
        ("rw-skp22", new),
        ("rw-skp", old),
        ("rw-hukdis", rw_hukdis(reg)),
        ("rw-diklat", rw_diklat(reg)),
        *others(reg).items(),
    ):
        _many(out, endpoint, records, nips)
    _dump(out / "ref-unor.json", envelope(reg.ref_unor()))
    peg[["nip", *EXTRA_PEGAWAI]].to_csv(
        office / "extra-pegawai.csv", index=False, lineterminator="\n"
    )
    jab[["jabatan_id", *EXTRA_JABATAN]].to_csv(
        office / "extra-jabatan.csv", index=False, lineterminator="\n"
    )


def read_demo(folder: Path = ROOT / "data/demo") -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The demo tables as text."""
    return tuple(  # type: ignore[return-value]
        pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False).replace("", None)
        for name in ("pegawai", "jabatan", "riwayat_jabatan")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--units", type=int, default=0, help="keep the first N units only")
    args = parser.parse_args()
    peg, jab, riw = read_demo()
    if args.units:
        peg, jab, riw = subset(peg, jab, riw, args.units)
    write_siasn(peg, jab, riw, args.out)


if __name__ == "__main__":
    main()
