"""Demo: the synthetic regency's generator, apart from the domain code.

Gives data/demo/ (pegawai, jabatan, riwayat_jabatan) from one seed. No real
person's name or NIP: every value is drawn at random.
"""
