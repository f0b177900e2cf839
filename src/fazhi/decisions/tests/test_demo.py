"""The demo has a decision in every state, one adjusted out with its reason and one accountability record;
loading it again adds nothing."""

from django.urls import reverse

from fazhi.decisions import demo
from fazhi.decisions import models as m


def test_demo_has_every_state_and_loads_once(world):
    catalogue = demo.load()
    statuses = set(catalogue.decisions.values_list("status", flat=True))
    assert statuses == {m.CATALOGUED, m.CONSULTING, m.REVIEWING, m.DECIDED, m.PUBLISHED, m.IMPLEMENTING,
                        m.EVALUATED, m.REMOVED}
    assert catalogue.published
    removed = catalogue.decisions.get(status=m.REMOVED)
    assert removed.adjustments.get(kind=m.REMOVE).reason
    assert m.Accountability.objects.count() == 1
    demo.load()
    assert m.Decision.objects.count() == len(demo.ITEMS) and m.Accountability.objects.count() == 1
    # The consulting one has opinions, one answered; the pages render for the office and the public.
    consulting = catalogue.decisions.get(status=m.CONSULTING)
    page = world.client("fzb").get(reverse("decision-detail", args=[consulting.pk])).content.decode()
    assert "待反馈 1" in page
    public = world.client().get("/public/decisions/").content.decode()
    assert "执行中" in public and "已后评估" in public and "调出本级目录" in public
