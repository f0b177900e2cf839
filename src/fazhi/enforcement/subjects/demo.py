"""Demo data of this package (fazhi demo)."""


def load() -> None:
    pass
