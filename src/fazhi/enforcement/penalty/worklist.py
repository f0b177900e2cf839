"""This package's entries in the one work list (deadlines/worklist.py), called from EnforcementConfig.ready."""


def register() -> None:
    pass
