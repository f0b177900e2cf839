"""Rates of this package, registered once (core/rates.py)."""
