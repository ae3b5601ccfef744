"""Import a regency's own data from BKN's SIASN into talenta's tables.

Takes the files an office can download from SIASN (the Export Data ASN
spreadsheet or CSV, saved API responses of data-utama, rw-jabatan, rw-skp,
rw-skp22, rw-hukdis, rw-diklat and the ref-unor tree, among others), the
mapping folder (``mapping/siasn``) and optionally the office's own extra
table; gives pegawai.csv, jabatan.csv and riwayat_jabatan.csv in the format of
docs/data.md plus import-report.md and import-report.json, written whole or
not at all. :func:`engine.inputs.siasn.run.import_siasn` is the entry point.
"""
