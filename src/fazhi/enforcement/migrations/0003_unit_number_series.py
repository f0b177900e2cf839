"""Seed the per-unit penalty number series (review #11 High 1).

Before 0002 a penalty 案号 and 决定书文号 came from one district-wide series (`penalty`, `penalty-decision`); now
each unit has its own (`penalty:<unit pk>`, `penalty-decision:<unit pk>`, penalty/rules.py). A unit that already
holds (unit, year, seq) numbers from the old series would take seq 1 again and collide with its own case. So each
unit's counter starts at the highest seq it already holds in that year (never lowered: a counter already ahead
stays). The series strings are frozen here on purpose: a migration must not change with later code."""

from django.db import migrations
from django.db.models import Max


def seed(apps, schema_editor):
    PenaltyCase = apps.get_model("enforcement", "PenaltyCase")
    NumberSeries = apps.get_model("core", "NumberSeries")
    wanted = {}
    for row in (PenaltyCase.objects.values("unit_id", "number_year").annotate(top=Max("number_seq"))
                .order_by()):
        wanted[(f"penalty:{row['unit_id']}", row["number_year"])] = row["top"]
    for row in (PenaltyCase.objects.filter(decision_year__isnull=False, decision_seq__isnull=False)
                .values("unit_id", "decision_year").annotate(top=Max("decision_seq")).order_by()):
        wanted[(f"penalty-decision:{row['unit_id']}", row["decision_year"])] = row["top"]
    for (series, year), top in wanted.items():
        counter, _ = NumberSeries.objects.get_or_create(series=series, year=year, defaults={"last": 0})
        if counter.last < top:
            counter.last = top
            counter.save(update_fields=["last"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_number_series"),
        ("enforcement", "0002_more"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
