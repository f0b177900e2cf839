"""文号 serials (core/numbering.py): one after another per series and year, given back by a rollback (no
gap), never the same twice under concurrent issue (threads on PostgreSQL), bad input refused."""

import threading
from collections import Counter

import pytest
from django.db import connection, transaction

from fazhi.core.errors import InvalidInput
from fazhi.core.gongwen import doc_number
from fazhi.core.models import NumberSeries
from fazhi.core.numbering import number_peek, number_take

THREADS, TAKES = 8, 10

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="SQLite serializes writers (one write transaction at a time): nothing to race")


@pytest.mark.django_db
def test_serials_follow_each_other_per_series_and_year():
    assert number_peek(series="normdoc:D01", year=2026) == 0
    assert [number_take(series="normdoc:D01", year=2026) for _ in range(3)] == [1, 2, 3]
    assert number_take(series="normdoc:D01", year=2027) == 1  # a new year starts again
    assert number_take(series="normdoc:D02", year=2026) == 1  # another unit has its own series
    assert number_peek(series="normdoc:D01", year=2026) == 3
    assert doc_number(2026, number_take(series="normdoc:D01", year=2026), code="X区司规") == "X区司规〔2026〕4号"


@pytest.mark.django_db
def test_a_rollback_gives_the_number_back():
    number_take(series="s", year=2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert number_take(series="s", year=2026) == 2
        raise RuntimeError("the record failed to save")
    assert number_peek(series="s", year=2026) == 1
    assert number_take(series="s", year=2026) == 2  # no gap
    with pytest.raises(RuntimeError), transaction.atomic():
        assert number_take(series="new", year=2026) == 1
        raise RuntimeError("the first of a series, rolled back")
    assert not NumberSeries.objects.filter(series="new").exists()
    assert number_take(series="new", year=2026) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("series, year, field", [
    ("", 2026, "series"), ("x" * 101, 2026, "series"), (7, 2026, "series"),
    ("s", 1900, "year"), ("s", "2026", "year"), ("s", True, "year"),
])
def test_bad_input_is_refused(series, year, field):
    with pytest.raises(InvalidInput) as e:
        number_take(series=series, year=year)
    assert e.value.field == field
    assert not NumberSeries.objects.exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_takers_get_every_number_once():
    """8 threads × 10 takes, each in its own transaction, all starting on a series with no row yet: the
    numbers are exactly 1..80."""
    barrier = threading.Barrier(THREADS)
    taken, errors = [], []
    lock = threading.Lock()

    def take():
        try:
            barrier.wait(timeout=20)
            for _ in range(TAKES):
                with transaction.atomic():
                    n = number_take(series="normdoc:D01", year=2026)
                with lock:
                    taken.append(n)
        except Exception as e:  # noqa: BLE001 — collected and asserted below
            errors.append(repr(e))
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=take) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sorted(taken) == list(range(1, THREADS * TAKES + 1))
    assert not [n for n, c in Counter(taken).items() if c > 1]
    assert number_peek(series="normdoc:D01", year=2026) == THREADS * TAKES


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_rollback_leaves_no_gap():
    """A taker holding the row rolls back while another waits: the waiting one gets the number given back."""
    number_take(series="s", year=2026)
    holding, got, errors = threading.Event(), [], []

    def first():
        try:
            with transaction.atomic():
                number_take(series="s", year=2026)  # 2, then given back
                holding.set()
                threading.Event().wait(0.5)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        finally:
            connection.close()

    def second():
        try:
            holding.wait(timeout=20)
            with transaction.atomic():
                got.append(number_take(series="s", year=2026))  # waits for the first's row lock
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and got == [2]
