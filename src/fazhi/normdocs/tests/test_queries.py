"""Lists cost the same number of queries at any size (pages and API)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.normdocs.models import Filing, NormativeDocument
from fazhi.normdocs.tests.factories import draft

pytestmark = pytest.mark.django_db


def _docs(world, n: int, start: int = 0):
    d01 = world.user("d01")
    for i in range(start, start + n):
        doc = draft(world.unit("D01"), d01, title=f"文件{i}")
        NormativeDocument.objects.filter(pk=doc.pk).update(
            status="in_force", published_on=date(2026, 3, 1), number=f"规〔2026〕{i + 1}号", number_year=2026,
            number_seq=i + 1, filing_due=date(2026, 3, 31), filed_on=date(2026, 3, 5), filing_state="pending")
        Filing.objects.create(document=doc, unit=doc.unit, filed_on=date(2026, 3, 5))


URLS = [reverse("normdoc-list"), reverse("filing-list"), reverse("api:normative-document-list"),
        reverse("api:filing-list"), reverse("public-documents")]


@pytest.mark.parametrize("url", URLS)
def test_list_queries_do_not_grow(world, url):
    client = world.client("fzb")
    _docs(world, 2)
    client.get(url)  # warm caches (content types, definitions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _docs(world, 8, start=2)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
