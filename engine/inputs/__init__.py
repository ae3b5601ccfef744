"""Inputs: the files of a round, read strictly into typed values.

Takes scenario files, rule-independent settings (taxonomy, weights, BUP), and
the pegawai / jabatan / riwayat_jabatan tables (CSV or XLSX); gives a
:class:`~engine.inputs.scenario.Scenario`, typed DataFrames, settings objects
and the per-person facts derived at the scenario date
(:mod:`engine.inputs.derive`). Every problem is an
:class:`~engine.errors.InputError` with ``file:line``.
"""
