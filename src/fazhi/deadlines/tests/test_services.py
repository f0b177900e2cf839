"""The engine as the product uses it: CLI, API, pages, office arrangements and recomputation."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from fazhi.core.errors import InvalidInput
from fazhi.core.models import Event
from fazhi.core.testing.scoping import ScopedCases
from fazhi.deadlines import services
from fazhi.deadlines.models import Deadline

# The State Council's 2027 arrangement is not in the installed calendar; this one is
# made up for the tests (a Spring Festival week and one adjusted Sunday).
ARRANGEMENT_2027 = [
    {"date": date(2027, 1, 1), "kind": "holiday", "name": "元旦"},
    *({"date": date(2027, 2, d), "kind": "holiday", "name": "春节"} for d in range(5, 13)),
    {"date": date(2027, 2, 14), "kind": "workday", "name": "春节调休"},
]


def run_cli(*args):
    from io import StringIO

    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


def test_cli_prints_due_date_first_then_explanation(db):
    out = run_cli("reconsideration.accept", "2026-02-11").splitlines()
    assert out[0] == "2026-02-25"
    assert any("行政复议法" in line for line in out[1:])


def test_cli_json(db):
    data = json.loads(run_cli("licence.decide", "2026-12-28", "--json"))
    assert data["rule"] == "licence.decide" and data["start"] == "2026-12-28"
    assert data["due"] == "2027-01-26" and data["provisional"] is True
    assert "行政许可法" in data["basis"]


@pytest.mark.parametrize("args, message", [
    (["no.such.rule", "2026-01-05"], "未知的期限规则"),
    (["licence.decide", "2026-13-01"], "日期格式错误"),
    (["licence.decide", "tomorrow"], "日期格式错误"),
])
def test_cli_bad_input_exits_2_with_a_message(db, args, message):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "fazhi.cli", "deadline", *args], capture_output=True, text=True,
                          env={**__import__("os").environ, "FAZHI_ENV": "test"})
    assert proc.returncode == 2
    assert message in proc.stderr


class TestComputeApi(ScopedCases):
    url_name = "api:deadline-compute"
    api = True
    shared = True

    def url(self, world, unit):
        return reverse("api:deadline-compute") + "?rule=penalty.decide&start=2026-03-01"

    def marker(self, world, unit):
        return '"due":"2026-06-01"'


class TestRuleListApi(ScopedCases):
    url_name = "api:deadline-rules"
    api = True
    shared = True

    def url(self, world, unit):
        return reverse("api:deadline-rules")

    def marker(self, world, unit):
        return "reconsideration.accept"


class TestCalendarPage(ScopedCases):
    url_name = "calendar"
    shared = True

    def url(self, world, unit):
        return reverse("calendar") + "?rule=reconsideration.decide&start=2025-08-02"

    def marker(self, world, unit):
        return "2025-10-09"


class TestArrangementListApi(ScopedCases):
    url_name = "api:arrangement-list"
    api = True
    shared = True

    def url(self, world, unit):
        services.arrangement_enter(year=2027, source="国办发明电〔2026〕测试号", days=ARRANGEMENT_2027,
                                   actor=world.user("fzb"))
        return reverse("api:arrangement-list")

    def marker(self, world, unit):
        return "国办发明电〔2026〕测试号"


class TestArrangementDetailApi(TestArrangementListApi):
    url_name = "api:arrangement-detail"

    def url(self, world, unit):
        super().url(world, unit)
        from fazhi.deadlines.models import CalendarYear

        return reverse("api:arrangement-detail", args=[CalendarYear.objects.get().pk])


class TestArrangementVoidApi(TestArrangementDetailApi):
    """A POST-only action: GET is not allowed for anyone; the write cases are below."""

    url_name = "api:arrangement-void"

    def url(self, world, unit):
        super().url(world, unit)
        from fazhi.deadlines.models import CalendarYear

        return reverse("api:arrangement-void", args=[CalendarYear.objects.get().pk])

    def test_same_unit(self, world):
        assert self.get(world, "d01")[0].status_code == 405

    def test_other_unit(self, world):
        assert self.get(world, "d02")[0].status_code == 405


def test_compute_api_matches_the_cli(world):
    data = world.client("d01").get("/api/v1/deadlines/compute?rule=litigation.answer&start=2026-04-20").json()
    assert data["due"] == "2026-05-06" and data["provisional"] is False
    assert {"rule", "start", "due", "provisional", "basis"} <= set(data)


@pytest.mark.parametrize("query, field", [
    ("rule=nope&start=2026-01-01", "rule"),
    ("rule=licence.decide&start=2026-02-30", "start"),
    ("rule=licence.decide", "start"),
    ("start=2026-01-01", "rule"),
    ("rule=licence.decide&start=0001-01-01", "start"),
])
def test_compute_api_bad_input_is_400_naming_the_field(world, query, field):
    response = world.client("d01").get(f"/api/v1/deadlines/compute?{query}")
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"] and f"「{field}」" in body["detail"]


def _open_deadline(world, start=date(2026, 12, 28)):
    unit = world.unit("D01")
    return services.deadline_open(obj=unit, unit=unit, purpose="demo", rule_id="licence.decide", start=start)


def test_entering_an_arrangement_recomputes_open_deadlines_that_touched_the_year(world):
    deadline = _open_deadline(world)
    assert (deadline.due, deadline.provisional) == (date(2027, 1, 26), True)
    untouched = services.deadline_open(obj=world.unit("D02"), unit=world.unit("D02"), purpose="demo",
                                       rule_id="licence.decide", start=date(2026, 3, 2))
    # The 2027 arrangement makes 2027-01-01 a holiday (as the fallback did) but it is now official:
    # the due date stays and the deadline is no longer provisional.
    _, changed = services.arrangement_enter(year=2027, source="国办发明电〔2026〕测试号",
                                            days=ARRANGEMENT_2027, actor=world.user("fzb"))
    deadline.refresh_from_db()
    assert changed == 1
    assert (deadline.due, deadline.provisional) == (date(2027, 1, 26), False)
    assert deadline.history.count() == 2
    assert Event.objects.filter(verb="deadline.recomputed", object_id=str(deadline.pk)).exists()
    untouched_before = untouched.computed_at
    untouched.refresh_from_db()
    assert untouched.computed_at == untouched_before


def test_arrangement_moves_a_due_date_across_its_spring_festival(world):
    deadline = _open_deadline(world, start=date(2027, 1, 29))  # 20 workdays, crossing 2027-02-05..12
    provisional_due = deadline.due
    services.arrangement_enter(year=2027, source="测试", days=ARRANGEMENT_2027, actor=world.user("fzb"))
    deadline.refresh_from_db()
    assert not deadline.provisional
    assert deadline.due > provisional_due  # six more holidays, one adjusted Sunday
    assert "春节" in json.dumps(deadline.explanation, ensure_ascii=False)


def test_voiding_the_arrangement_makes_deadlines_provisional_again(world):
    deadline = _open_deadline(world)
    arrangement, _ = services.arrangement_enter(year=2027, source="测试", days=ARRANGEMENT_2027,
                                                actor=world.user("fzb"))
    services.arrangement_void(arrangement=arrangement, actor=world.user("fzb"), reason="录错年份",
                              expected_version=arrangement.version)
    deadline.refresh_from_db()
    assert deadline.provisional is True


def test_closed_deadlines_are_not_recomputed(world):
    deadline = _open_deadline(world)
    services.deadline_close(deadline=deadline)
    services.arrangement_enter(year=2027, source="测试", days=ARRANGEMENT_2027, actor=world.user("fzb"))
    deadline.refresh_from_db()
    assert deadline.provisional is True


@pytest.mark.parametrize("days, message", [
    ([], "至少要有一个放假日"),
    ([{"date": date(2026, 1, 1), "kind": "holiday"}], "不在 2027 年内"),
    ([{"date": date(2027, 3, 3), "kind": "workday"}], "不需要登记为调休上班"),
    ([{"date": date(2027, 3, 3), "kind": "holiday"}] * 2, "重复"),
])
def test_bad_arrangement_is_refused_and_nothing_saved(world, days, message):
    with pytest.raises(InvalidInput, match=message):
        services.arrangement_enter(year=2027, source="测试", days=days, actor=world.user("fzb"))
    from fazhi.deadlines.models import CalendarYear

    assert not CalendarYear.objects.exists()


def test_arrangement_api_office_creates_others_refused(world):
    payload = {"year": 2027, "source": "国办发明电〔2026〕测试号",
               "days": [{"date": str(d["date"]), "kind": d["kind"], "name": d["name"]} for d in ARRANGEMENT_2027]}
    for username in ["leader", "d01", "inspector"]:
        response = world.client(username).post("/api/v1/calendar/arrangements/", payload, content_type="application/json")
        assert response.status_code == 403, username
    _open_deadline(world)
    response = world.client("fzb").post("/api/v1/calendar/arrangements/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["recomputed"] == 1
    again = world.client("fzb").post("/api/v1/calendar/arrangements/", payload, content_type="application/json")
    assert again.status_code == 400 and "已有放假安排" in again.json()["detail"]


def test_arrangement_void_api_needs_reason_and_current_version(world):
    arrangement, _ = services.arrangement_enter(year=2027, source="测试", days=ARRANGEMENT_2027,
                                                actor=world.user("fzb"))
    url = f"/api/v1/calendar/arrangements/{arrangement.pk}/void/"
    client = world.client("fzb")
    assert client.post(url, {"version": arrangement.version}, content_type="application/json").status_code == 400
    stale = client.post(url, {"reason": "错", "version": arrangement.version + 5}, content_type="application/json")
    assert stale.status_code == 409
    ok = client.post(url, {"reason": "录错", "version": arrangement.version}, content_type="application/json")
    assert ok.status_code == 200
    assert world.client("d01").post(url, {"reason": "x", "version": 2}, content_type="application/json").status_code == 403


def test_office_rule_setting_applies_to_new_deadlines_and_is_recorded(world):
    fzb = world.user("fzb")
    before = services.deadline_compute("normdoc.legality_review", date(2026, 3, 2)).due
    setting = services.rule_setting_set(rule_id="normdoc.legality_review", period=10, actor=fzb,
                                        basis_note="省政府令第216号 第x条")
    after = services.deadline_compute("normdoc.legality_review", date(2026, 3, 2)).due
    assert after < before
    assert setting.history.count() == 1
    with pytest.raises(InvalidInput, match="法定期限"):
        services.rule_setting_set(rule_id="reconsideration.accept", period=3, actor=fzb, basis_note="x")


def test_deadlines_are_scoped_by_unit(world):
    _open_deadline(world)
    assert Deadline.objects.visible_to(world.user("d01")).count() == 1
    assert Deadline.objects.visible_to(world.user("d02")).count() == 0
    assert Deadline.objects.visible_to(world.user("leader")).count() == 1


def test_office_enters_an_arrangement_on_the_calendar_page(world):
    deadline = _open_deadline(world)
    client = world.client("fzb")
    bad = client.post(reverse("calendar"), {"year": "2027", "source": "通知", "days": "2027-13-01 放假"})
    assert bad.status_code == 400 and "第 1 行日期无效" in bad.content.decode()
    ok = client.post(reverse("calendar"), {"year": "2027", "source": "国办发明电〔2026〕测试号",
                                           "days": "2027-01-01 放假 元旦\n2027-02-14 上班 春节调休"})
    assert ok.status_code == 302
    deadline.refresh_from_db()
    assert deadline.provisional is False
    assert world.client("d01").post(reverse("calendar"), {"year": "2028"}).status_code == 403
