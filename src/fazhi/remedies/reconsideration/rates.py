"""This register's rates (core/rates.py register); listed in core.rates.RATE_MODULES."""
