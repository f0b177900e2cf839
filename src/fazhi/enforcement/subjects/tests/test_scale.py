"""The enforcement figures at scale (bench/bench_enforcement.py): `fazhi gen_enforcement` makes a consistent
province, and the overview's and the lists' grouped counts — overdue read from the clocks' side — give exactly the
figures a case-by-case count gives, for the office and for a unit, in a fixed number of queries."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from fazhi.deadlines.models import Deadline
from fazhi.enforcement.licence import models as lm
from fazhi.enforcement.licence import selectors as lsel
from fazhi.enforcement.penalty import models as pm
from fazhi.enforcement.penalty import selectors as psel
from fazhi.enforcement.publication.models import Publication
from fazhi.enforcement.subjects import overview, selectors
from fazhi.enforcement.subjects.models import EnforcementSubject, Officer, Power
from fazhi.org.models import User

pytestmark = pytest.mark.django_db
CASES = 400


@pytest.fixture
def province():
    out = StringIO()
    with override_settings(DEBUG=True):  # a scratch database of a development setup (gen_enforcement.scratch_refusal)
        call_command("gen_enforcement", units=8, cases=CASES, seed=7, scratch=True, stdout=out)
    today = timezone.localdate()
    # One overdue clock paused (中止): a paused clock is not overdue.
    paused = Deadline.objects.filter(status=Deadline.OPEN, due__lt=today).order_by("id").first()
    Deadline.objects.filter(pk=paused.pk).update(paused_since=paused.due)
    return {"out": out.getvalue(), "today": today, "office": User.objects.get(username="bench-office"),
            "unit": User.objects.get(username="bench-unit")}


def _overdue_ids(model, today) -> set[int]:
    """Case by case: a record with an open clock, not paused, past its due date."""
    ct_clocks = Deadline.objects.filter(content_type__model=model._meta.model_name, status=Deadline.OPEN)
    return {int(d.object_id) for d in ct_clocks if d.paused_since is None and d.due < today}


def _expected(user, today) -> dict:
    """The overview's figures counted one case at a time, in Python."""
    out = {}
    for key, model, closed in (("penalty", pm.PenaltyCase, (pm.CLOSED,)), ("licence", lm.LicenceCase, lm.ENDED)):
        late_ids = _overdue_ids(model, today)
        units, statuses, areas = {}, {}, {}
        for c in model.objects.visible_to(user).select_related("unit"):
            late = c.pk in late_ids and c.status not in closed
            groups = [(units, c.unit.code), (statuses, c.status)]
            if key == "penalty":
                groups.append((areas, c.key_area_id))
            for table, k in groups:
                row = table.setdefault(k, {"total": 0, "open": 0, "late": 0})
                row["total"] += 1
                row["open"] += c.status not in closed
                row["late"] += late
        out[key] = {"units": units, "statuses": statuses, "areas": areas}
    return out


def test_the_generator_makes_a_consistent_province(province):
    today = province["today"]
    penalty, licence = pm.PenaltyCase.objects.count(), lm.LicenceCase.objects.count()
    assert penalty + licence == CASES and penalty == round(CASES * 0.7)
    assert len(set(pm.PenaltyCase.objects.values_list("status", flat=True))) >= 6
    assert len(set(pm.PenaltyCase.objects.values_list("key_area_id", flat=True))) >= 6
    assert EnforcementSubject.objects.filter(review_status="qualified", announced_on__isnull=False).exists()
    # every decided case has its publication; the clocks belong to their case's unit; closed cases have none open
    decided = pm.PenaltyCase.objects.filter(decided_on__isnull=False)
    pubs = Publication.objects.filter(content_type__model="penaltycase")
    assert pubs.count() == decided.count() > 0
    assert set(pubs.values_list("object_id", flat=True)) == {str(pk) for pk in decided.values_list("pk", flat=True)}
    units = dict(pm.PenaltyCase.objects.values_list("pk", "unit_id"))
    for d in Deadline.objects.filter(content_type__model="penaltycase"):
        assert d.unit_id == units[int(d.object_id)]
    closed = {str(pk) for pk in pm.PenaltyCase.objects.filter(status=pm.CLOSED).values_list("pk", flat=True)}
    assert not Deadline.objects.filter(status=Deadline.OPEN, object_id__in=closed,
                                       content_type__model="penaltycase").exists()
    assert Deadline.objects.filter(status=Deadline.OPEN, due__lt=today).count() > 1
    assert "penalty cases: 280" in province["out"]
    with pytest.raises(CommandError, match="已有单位"), override_settings(DEBUG=True):
        call_command("gen_enforcement", units=8, cases=10, scratch=True, stdout=StringIO())


@pytest.mark.parametrize("who", ["office", "unit"])
def test_overview_figures_equal_a_case_by_case_count(province, who):
    user, today = province[who], province["today"]
    got, want = overview.cases(user, today), _expected(user, today)
    for key in ("penalty", "licence"):
        by_unit = {r["code"]: r[key] for r in got["by_unit"] if r[key]}
        assert by_unit == want[key]["units"]
        assert got["totals"][key] == sum(r["total"] for r in want[key]["units"].values())
        assert got["late"][key] == sum(r["late"] for r in want[key]["units"].values())
        labels = dict(pm.STATUSES if key == "penalty" else lm.STATUSES)
        assert got["by_status"][key] == [(labels[s], r["total"], r["late"]) for s, r in
                                         sorted(want[key]["statuses"].items(), key=lambda i: list(labels).index(i[0]))]
    areas = {r["key_area__code"]: {k: r[k] for k in ("total", "open", "late")} for r in got["by_area"]}
    from fazhi.org.models import KeyArea

    codes = dict(KeyArea.objects.values_list("pk", "code"))
    assert areas == {codes[k]: v for k, v in want["penalty"]["areas"].items()}
    if who == "office":
        assert got["late"]["penalty"] > 0


def test_overview_queries_are_a_fixed_number(province):
    with CaptureQueriesContext(connection) as q:
        overview.cases(province["office"], province["today"])
    # scope, 3 grouped counts, 2 overdue counts, the units and the key areas of the rows
    assert len(q) <= 8, [x["sql"] for x in q]


@pytest.mark.parametrize("model,sel", [(pm.PenaltyCase, "penalty"), (lm.LicenceCase, "licence")])
def test_the_overdue_filter_is_the_clocks_rule(province, model, sel):
    office, today = province["office"], province["today"]

    def ids(value):
        if sel == "penalty":
            qs = psel.cases(user=office, filters=psel.CaseFilters.parse({"overdue": value}))
        else:
            qs = lsel.cases(user=office, filters=lsel.CaseFilters.parse({"overdue": value}, user=office))
        return qs, set(qs.values_list("pk", flat=True))

    late_qs, late = ids("true")
    assert late == _overdue_ids(model, today) and late
    _, rest = ids("false")
    assert rest == set(model.objects.values_list("pk", flat=True)) - late
    assert late_qs.count() == len(late)
    row = late_qs.first()  # the page's own flag agrees with the filter
    assert (row.overdue if sel == "penalty" else row.is_overdue) is True


def test_subject_list_counts_active_powers_and_officers(province):
    office = province["office"]
    subject = EnforcementSubject.objects.filter(review_status="qualified").order_by("id").first()
    Power.objects.create(subject=subject, unit=subject.unit, kind="penalty", name="合成职权", basis="《合成法》")
    Power.objects.create(subject=subject, unit=subject.unit, kind="penalty", name="停用职权", basis="《合成法》",
                         active=False, deactivated_on=province["today"] - timedelta(days=1))
    Officer.objects.filter(pk=Officer.objects.filter(subject=subject).order_by("id").values("pk")[:1]).update(
        active=False)
    rows = {s.pk: s for s in selectors.subjects(user=office)}
    assert (rows[subject.pk].n_powers, rows[subject.pk].n_officers) == (1, 4)
    other = next(s for pk, s in rows.items() if pk != subject.pk and s.review_status == "qualified")
    assert (other.n_powers, other.n_officers) == (0, 5)
    with CaptureQueriesContext(connection) as q:
        assert selectors.subjects(user=office).count() == len(rows)
    assert "JOIN" not in q[-1]["sql"].upper()  # the count reads the subjects alone
