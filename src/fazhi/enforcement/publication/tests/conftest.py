from fazhi.enforcement.records.tests.conftest import case, officer, required  # noqa: F401  (shared fixtures)
