"""publication_due / publish / withdraw_due / withdraw and their clocks, on the stand-in case, with the dates
worked out by hand from the working-day calendar (2026: 国务院办公厅 arrangement in chinesecalendar)."""

from datetime import date

import pytest

from fazhi.core.errors import Conflict, InvalidInput, NotAllowed
from fazhi.deadlines.models import Deadline
from fazhi.enforcement.publication import services
from fazhi.enforcement.publication.models import CANCELLED, DUE, PUBLISHED, WITHDRAWING, WITHDRAWN, Publication

pytestmark = pytest.mark.django_db


def due(world, case, decided_on=date(2026, 4, 20), **over):
    data = {"rule": "penalty.publicize", "decided_on": decided_on, "title": "关于张三无证经营的行政处罚决定",
            "document_number": "雁市监罚〔2026〕12号", "party": "张三", "party_kind": "person",
            "summary": "张三(身份证号610113199001011234,电话13912345678)无照经营,罚款5000元。",
            "actor": world.user("d01")}
    return services.publication_due(case, **{**data, **over})


def clock(pub, purpose="publish") -> Deadline:
    return Deadline.objects.get(object_id=str(pub.pk), purpose=purpose, content_type__model="publication")


def test_due_opens_the_clock_and_masks(world, case):
    pub = due(world, case)
    assert pub.unit == case.unit and pub.state == DUE and pub.kind == "penalty"
    assert pub.party_masked == "张**"
    assert "张三" not in pub.summary_masked and "13912345678" not in pub.summary_masked
    assert "610113199001011234" not in pub.summary_masked and "张**" in pub.summary_masked
    # 7 working days from Mon 20 April 2026: 21–24 Apr (4), 27–30 Apr (4 → the 7th is Wed 29 Apr).
    c = clock(pub)
    assert c.rule_id == "penalty.publicize" and c.unit == case.unit and c.due == date(2026, 4, 29)
    assert services.publication_for(case) == pub


def test_organisation_name_is_shown(world, case):
    pub = due(world, case, party="西安某某商贸有限公司", party_kind="legal_person",
              summary="西安某某商贸有限公司销售过期食品,联系电话029-88886666。")
    assert pub.party_masked == "西安某某商贸有限公司"
    assert pub.summary_masked.startswith("西安某某商贸有限公司销售过期食品") and "88886666" not in pub.summary_masked


def test_second_call_updates_the_unpublished_row(world, case):
    first = due(world, case)
    second = due(world, case, decided_on=date(2026, 4, 22), title="更正后的标题")
    assert second.pk == first.pk and Publication.objects.count() == 1 and second.title == "更正后的标题"
    # Counted anew from Wed 22 Apr: 23, 24, 27, 28, 29, 30 Apr, then 6 May (1–5 May are the Labour Day holiday).
    assert clock(second).due == date(2026, 5, 6)


def test_published_on_time_and_late(world, case, required):
    from fazhi.enforcement.records.tests.conftest import make_case

    on_time = services.publication_publish(publication=due(world, case), on=date(2026, 4, 29), actor=world.user("d01"))
    assert on_time.state == PUBLISHED and on_time.published_late is False and clock(on_time).status == Deadline.MET
    other = make_case(world, number="(2026)陕0113行初99号")
    late = services.publication_publish(publication=due(world, other), on=date(2026, 4, 30), actor=world.user("d01"))
    assert late.published_late is True and clock(late).late is True
    with pytest.raises(Conflict) as e:  # a published decision is not re-opened by a new call
        due(world, case)
    assert e.value.code == "publication.published"


def test_publish_refusals(world, case):
    pub = due(world, case)
    with pytest.raises(NotAllowed):
        services.publication_publish(publication=pub, on=date(2026, 4, 22), actor=world.user("d02"))
    with pytest.raises(NotAllowed):
        services.publication_publish(publication=pub, on=date(2026, 4, 22), actor=world.user("inspector"))
    with pytest.raises(InvalidInput, match="不能早于决定日期") as e:
        services.publication_publish(publication=pub, on=date(2026, 4, 19), actor=world.user("d01"))
    assert e.value.field == "on"
    with pytest.raises(InvalidInput, match="晚于今天"):
        services.publication_publish(publication=pub, on=date(2099, 1, 1), actor=world.user("d01"))
    with pytest.raises(InvalidInput) as e:
        due(world, case, party_kind="alien")
    assert e.value.field == "party_kind"
    with pytest.raises(InvalidInput) as e:
        due(world, case, rule="penalty.decide")
    assert e.value.field == "rule"


def test_withdrawal_clock(world, case):
    pub = services.publication_publish(publication=due(world, case), on=date(2026, 4, 22), actor=world.user("d01"))
    pub = services.publication_withdraw_due(case, on=date(2026, 4, 24), reason="复议决定撤销原处罚决定",
                                            actor=world.user("d01"))
    assert pub.state == WITHDRAWING
    # 3 working days from Fri 24 Apr 2026: Mon 27, Tue 28, Wed 29 Apr.
    c = clock(pub, "withdraw")
    assert c.rule_id == "penalty.withdraw_publication" and c.due == date(2026, 4, 29)
    # Late: withdrawn on Thu 30 Apr.
    pub = services.publication_withdraw(publication=pub, on=date(2026, 4, 30), actor=world.user("d01"))
    assert pub.state == WITHDRAWN and pub.withdrawn_late is True and clock(pub, "withdraw").late is True
    # A new decision on the same case may be published again: a new row.
    again = due(world, case, decided_on=date(2026, 5, 6), document_number="雁市监罚〔2026〕30号")
    assert again.pk != pub.pk and services.publication_for(case) == again


def test_withdrawal_before_publication_stops_the_clock(world, case):
    pub = due(world, case)
    pub = services.publication_withdraw_due(case, on=date(2026, 4, 21), reason="决定被撤销", actor=world.user("d01"))
    assert pub.state == CANCELLED and clock(pub).status == Deadline.CANCELLED
    assert services.publication_withdraw_due(case, on=date(2026, 4, 21), reason="再次", actor=None) is None


def test_withdraw_by_the_unit_needs_a_reason(world, case):
    pub = services.publication_publish(publication=due(world, case), on=date(2026, 4, 22), actor=world.user("d01"))
    with pytest.raises(InvalidInput) as e:
        services.publication_withdraw(publication=pub, on=date(2026, 4, 23), actor=world.user("d01"))
    assert e.value.field == "reason"
    pub = services.publication_withdraw(publication=pub, on=date(2026, 4, 23), reason="公开内容有误",
                                        actor=world.user("fzb"))
    assert pub.state == WITHDRAWN and pub.withdrawn_late is None
