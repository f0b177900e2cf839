"""Test fixtures: the scripted acts the demo uses too (normdocs/scripted.py)."""

from fazhi.normdocs.scripted import act, draft, materials, not_applicable, pdf, walk  # noqa: F401
