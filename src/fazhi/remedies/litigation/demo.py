"""Demo data of this register (called by `fazhi demo`; idempotent)."""


def load() -> None:
    pass
