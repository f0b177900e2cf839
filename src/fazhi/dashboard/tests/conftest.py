from fazhi.programme.tests.conftest import programme  # noqa: F401  (the programme with the plan's table)
