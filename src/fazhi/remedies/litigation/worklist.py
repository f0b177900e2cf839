"""This register's entries in the one work list (deadlines/worklist.py): called from RemediesConfig.ready."""


def register() -> None:
    pass
