"""Models of this register (owned by its helper; remedies/models.py re-exports them)."""

__all__: list[str] = []
