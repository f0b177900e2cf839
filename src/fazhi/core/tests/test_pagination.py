"""The capped count of the registers that grow to millions: exact below the cap, bounded work above it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.core.pagination import CappedCountPaginator
from fazhi.org.models import Unit


class Small(CappedCountPaginator):
    cap = 5


def test_exact_below_the_cap(world):
    qs = Unit.objects.order_by("code")[:4]
    page = Small(Unit.objects.filter(pk__in=[u.pk for u in qs]).order_by("code"), 2).get_page(1)
    assert page.paginator.count == 4 and not page.paginator.capped and page.paginator.num_pages == 2


def test_capped_above_it_with_a_bounded_count(world):
    total = Unit.objects.count()
    assert total > 6  # the bundled units
    paginator = Small(Unit.objects.order_by("code"), 2)
    with CaptureQueriesContext(connection) as ctx:
        assert paginator.capped and paginator.count == 6
    assert "LIMIT 6" in ctx.captured_queries[0]["sql"].upper()  # COUNT over a LIMIT: the scan stops at cap + 1
    assert paginator.num_pages == 3  # pages up to the cap stay reachable
    assert [u.code for u in paginator.get_page(3)] == list(Unit.objects.order_by("code").values_list("code", flat=True)[4:6])
    assert paginator.get_page(99).number == 3
