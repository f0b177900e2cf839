"""The tally upsert (`services._bump`): its arithmetic, and concurrent writers on PostgreSQL —
transactions creating the same new tally row all succeed and the count is exact."""

import threading
import time
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection, transaction

from fazhi.programme import services
from fazhi.programme.models import CategoryTally, Tally

WRITERS = 6

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="SQLite serializes writers (one write transaction at a time): nothing to race")


def _programme(world):
    return services.programme_create(
        name="并发", start=date(2026, 1, 1), end=date(2027, 12, 31), actor=world.user("fzb"),
        phases={"mobilization": (date(2026, 1, 1), date(2026, 2, 28)),
                "implementation": (date(2026, 3, 1), date(2027, 4, 30)),
                "self_check": (date(2027, 5, 1), date(2027, 8, 31)),
                "acceptance": (date(2027, 9, 1), date(2027, 12, 31))})


def test_the_upsert_adds_to_existing_rows_and_creates_missing_ones(world):
    """More keys than one statement takes (500), some new, some existing, some going down."""
    programme = _programme(world)
    d01, d02 = world.unit("D01"), world.unit("D02")
    keys = [(programme.pk, unit.pk, "批量", "", "not_started", date(2026, 1, 1) + timedelta(days=i))
            for unit in (d01, d02) for i in range(400)]
    services._tally_add(Counter({k: 2 for k in keys}))
    services._tally_add(Counter({k: (-1 if i % 2 else 3) for i, k in enumerate(keys)}))
    rows = dict(((t.unit_id, t.due), t.count) for t in Tally.objects.filter(programme=programme, category="批量"))
    assert len(rows) == 800
    assert [rows[(k[1], k[5])] for k in keys] == [1 if i % 2 else 5 for i in range(800)]
    by_day = dict(CategoryTally.objects.filter(programme=programme, category="批量").values_list("due", "count"))
    assert [by_day[date(2026, 1, 1) + timedelta(days=d)] for d in range(400)] == [2 if d % 2 else 10 for d in range(400)]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_creating_the_same_tally_row_all_succeed(world):
    """Each writer adds to a key that has no row yet, as imports, returns and withdrawals do when
    they move assignments from different keys into the same new one."""
    programme = _programme(world)
    d01 = world.unit("D01")
    new_key = (programme.pk, d01.pk, "并发", "implementation", "in_progress", date(2027, 4, 30))
    barrier = threading.Barrier(WRITERS)
    errors = []

    def write(i):
        try:
            barrier.wait(timeout=20)
            with transaction.atomic():
                services.tally_move(None, new_key)
                time.sleep(0.3)  # keep the new row uncommitted while the others write
        except Exception as e:  # noqa: BLE001 — collected and asserted below
            errors.append(repr(e))
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    key = {"programme": programme, "category": "并发", "phase": "implementation", "status": "in_progress",
           "due": date(2027, 4, 30)}
    assert Tally.objects.get(**key, unit=d01).count == WRITERS
    assert CategoryTally.objects.get(**key).count == WRITERS
