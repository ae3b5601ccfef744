"""Scoring: the fit of eligible pairs as named components, and the talent box.

Takes eligible pairs, derived people and the weights in force; gives the fit
and its components (kinerja, potensi, keilmuan, pengalaman, soft-rule
penalties) and each person's talent-box cell.
"""
