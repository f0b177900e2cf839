"""The enforcement demo: subjects and officers first (cases need them), then the cases, their publications and
records, then fault accountability."""

from fazhi.enforcement.fault import demo as fault_demo
from fazhi.enforcement.licence import demo as licence_demo
from fazhi.enforcement.penalty import demo as penalty_demo
from fazhi.enforcement.publication import demo as publication_demo
from fazhi.enforcement.records import demo as records_demo
from fazhi.enforcement.subjects import demo as subjects_demo


def load() -> None:
    subjects_demo.load()
    penalty_demo.load()
    licence_demo.load()
    records_demo.load()
    publication_demo.load()
    fault_demo.load()
