"""A clock's summary (`clock_brief`) for every module: the API's `clocks` (ClocksField / ClocksMixin) and the
clock panel's remaining/overdue days, paused days, extension and restarts, read from the stored clock and its
events; a page of records costs the same queries at any size."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from fazhi.deadlines import services
from fazhi.deadlines.selectors import clock_brief, clocks_brief_bulk, record_clocks_brief
from fazhi.org.models import Unit

D = date.fromisoformat


def open_clock(world, obj, rule="reconsideration.decide", start="2025-01-02", purpose="decide"):
    return services.deadline_open(obj=obj, unit=world.unit("D01"), purpose=purpose, rule_id=rule, start=D(start),
                                  actor=world.user("fzb"))


def test_open_clock_counts_the_days_left_then_overdue_and_due_today(world):
    d = open_clock(world, world.unit("D01"))
    assert d.due == D("2025-03-03")  # 01-02 + 60 days (test_clocks.py)
    b = clock_brief(d, today=D("2025-02-01"))
    assert (b["state"], b["remaining_days"], b["overdue"], b["due"], b["paused"]) == ("open", 30, False, D("2025-03-03"),
                                                                                     False)
    assert (b["rule"], b["purpose"], b["paused_days"], b["extended_days"], b["restarts"]) == (
        "reconsideration.decide", "decide", 0, 0, 0)
    assert b["basis"].startswith("行政复议法") and b["extension_mode"] == "days" and b["state_label"] == "进行中"
    assert clock_brief(d, today=D("2025-03-03"))["remaining_days"] == 0  # due today is not overdue
    late = clock_brief(d, today=D("2025-03-10"))
    assert (late["state"], late["remaining_days"], late["overdue"]) == ("open", -7, True)


def test_paused_clock_has_no_due_date_and_counts_the_running_pause_up_to_today(world):
    d = open_clock(world, world.unit("D01"))
    d = services.deadline_pause(deadline=d, on=D("2025-01-10"), reason="等待鉴定")
    b = clock_brief(d, today=D("2025-01-14"))
    assert (b["due"], b["due_at_least"], b["remaining_days"], b["overdue"]) == (None, D("2025-03-03"), None, False)
    assert (b["paused"], b["paused_since"], b["paused_days"], b["state"]) == (True, D("2025-01-10"), 5, "open")
    d = services.deadline_resume(deadline=d, on=D("2025-01-20"))  # paused 01-10..01-19: ten days
    b = clock_brief(d, today=D("2025-01-25"))
    assert (b["paused"], b["paused_days"], b["due"]) == (False, 10, D("2025-03-13"))
    d = services.deadline_pause(deadline=d, on=D("2025-02-01"), reason="中止: 等待相关案件结果")
    assert clock_brief(d, today=D("2025-02-02"))["paused_days"] == 12  # 10 + 02-01, 02-02


def test_extension_restarts_and_closing(world):
    d = open_clock(world, world.unit("D01"))
    d = services.deadline_extend(deadline=d, days=20, approver="王主任", basis="行政复议法第六十二条", on=D("2025-02-20"))
    b = clock_brief(d, today=D("2025-02-21"))
    assert (b["extended_days"], b["due"]) == (20, d.due)
    d = services.deadline_restart(deadline=d, on=D("2025-01-15"), reason="收到补正材料")
    b = clock_brief(d, today=D("2025-02-21"), restarts=1)
    assert (b["start"], b["extended_days"], b["restarts"]) == (D("2025-01-15"), 0, 1)  # a restart drops the extension
    met = services.deadline_close(deadline=d, on=D("2025-03-01"))
    assert clock_brief(met, today=D("2025-06-01"))["state"] == "met"
    b = clock_brief(met, today=D("2025-06-01"))
    assert (b["remaining_days"], b["closed_on"], b["overdue"]) == (None, D("2025-03-01"), False)

    late = open_clock(world, world.unit("D02"), rule="litigation.answer", start="2025-09-16", purpose="answer")
    late = services.deadline_close(deadline=late, on=D("2025-12-01"))
    assert (clock_brief(late, today=D("2025-12-02"))["state"], clock_brief(late, today=D("2025-12-02"))["state_label"]) == (
        "late", "逾期办结")
    stopped = open_clock(world, world.unit("D03"))
    stopped = services.deadline_close(deadline=stopped, met=False, on=D("2025-01-05"), reason="复议终止")
    assert clock_brief(stopped, today=D("2025-02-01"))["state"] == "stopped"


def test_bulk_counts_restarts_and_reopenings_and_keeps_clocks_oldest_first(world):
    unit = world.unit("D04")
    accept = open_clock(world, unit, rule="reconsideration.accept", start="2026-02-10", purpose="accept")
    accept = services.deadline_restart(deadline=accept, on=D("2026-02-12"), reason="收到补正材料")
    accept = services.deadline_restart(deadline=accept, on=D("2026-02-13"), reason="再次收到补正材料")
    decide = open_clock(world, unit, start="2026-03-02")
    open_clock(world, unit, start="2026-03-05")  # opened again: counts anew
    briefs = record_clocks_brief(unit, today=D("2026-03-06"))
    assert [(b["purpose"], b["restarts"]) for b in briefs] == [("accept", 2), ("decide", 1)]
    assert briefs[1]["id"] == decide.pk and briefs[1]["start"] == D("2026-03-05")
    assert clocks_brief_bulk([world.unit("D05"), unit], today=D("2026-03-06"))[world.unit("D05").pk] == []
    assert clocks_brief_bulk([]) == {}


@pytest.mark.parametrize("n", [1, 20])
def test_bulk_costs_two_queries_for_a_page(world, django_assert_max_num_queries, n):
    units = list(Unit.objects.order_by("code")[:n])
    for u in units:
        d = open_clock(world, u, start="2025-01-02")
        services.deadline_restart(deadline=d, on=D("2025-01-06"), reason="收到补正材料")
    with django_assert_max_num_queries(2):
        found = clocks_brief_bulk(units, today=D("2025-01-10"))
    assert len(found) == n and all(len(v) == 1 and v[0]["restarts"] == 1 for v in found.values())


# ------------------------------------------------------------------ the API's `clocks` (first on normdocs)


def _documents(world, n: int):
    from fazhi.normdocs.tests.factories import draft

    docs = []
    for i in range(n):
        doc = draft(world.unit("D01"), world.user("d01"), title=f"文件{i}")
        d = services.deadline_open(obj=doc, unit=doc.unit, purpose="legality_review", rule_id="normdoc.legality_review",
                                   start=D("2026-02-10"))
        services.deadline_pause(deadline=d, on=D("2026-02-11"), reason="补充材料")
        services.deadline_resume(deadline=d, on=D("2026-02-13"))
        docs.append(doc)
    return docs


def test_api_lists_each_records_clocks_in_brief(world):
    _documents(world, 1)
    response = world.client("fzb").get(reverse("api:normative-document-list"))
    assert response.status_code == 200
    [clock] = response.json()["results"][0]["clocks"]
    assert clock["rule"] == "normdoc.legality_review" and clock["purpose"] == "legality_review"
    assert clock["start"] == "2026-02-10" and clock["paused_days"] == 2 and clock["state"] in ("open", "met", "late")
    assert set(clock) >= {"rule", "start", "due", "paused_days", "extended_days", "state", "remaining_days", "restarts"}
    doc_id = response.json()["results"][0]["id"]
    one = world.client("fzb").get(reverse("api:normative-document-detail", args=[doc_id])).json()
    assert one["clocks"] == [clock]


@pytest.mark.parametrize("n", [1, 20])
def test_api_list_queries_stay_constant_with_clocks(world, django_assert_max_num_queries, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client("fzb")
    _documents(world, 1)
    client.get(reverse("api:normative-document-list"))  # warm caches (content types, definitions)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("api:normative-document-list"))
    _documents(world, n)
    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse("api:normative-document-list") + "?page_size=50")
    assert response.status_code == 200 and len(response.json()["results"]) == n + 1
    assert all(len(r["clocks"]) == 1 for r in response.json()["results"])
    with django_assert_max_num_queries(len(one) + 1):  # filings: clocks of another model, same cost
        assert client.get(reverse("api:filing-list")).status_code == 200


def test_schema_documents_the_clocks(world):
    schema = world.client("fzb").get("/api/v1/openapi.json").json()
    brief = schema["components"]["schemas"]["ClockBrief"]["properties"]
    assert {"rule", "start", "due", "paused_days", "extended_days", "state", "restarts"} <= set(brief)
    state = brief["state"]
    ref = (state.get("allOf") or [state])[0].get("$ref", "")
    enum = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]["enum"] if ref else state["enum"]
    assert enum == ["open", "met", "late", "stopped"]
    assert "clocks" in schema["components"]["schemas"]["Document"]["properties"]


# ------------------------------------------------------------------ the panel on every record page


def _render(world, deadlines, username="fzb"):
    request = RequestFactory().get("/x/")
    request.user = world.user(username)
    return Template("{% load deadlines_clock %}{% clocks deadlines %}").render(
        Context({"request": request, "deadlines": deadlines}))


def test_panel_shows_remaining_paused_extended_and_restarts(world, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D("2025-03-20"))
    d = open_clock(world, world.unit("D01"))
    d = services.deadline_restart(deadline=d, on=D("2025-01-06"), reason="收到补正材料")
    d = services.deadline_pause(deadline=d, on=D("2025-01-10"), reason="等待鉴定")
    d = services.deadline_resume(deadline=d, on=D("2025-01-20"))
    d = services.deadline_extend(deadline=d, days=10, approver="王主任", basis="行政复议法第六十二条", on=D("2025-03-10"))
    # 01-06 + 60 = 03-07, + 10 paused days = 03-17 (Mon), + 10 days extension = 03-27 (Thu)
    assert d.due == D("2025-03-27")
    html = _render(world, [d])
    assert 'data-testid="clock-remaining">剩余 7 日' in html
    assert 'data-testid="clock-paused-days">中止累计 10 日' in html
    assert 'data-testid="clock-extended">已延长 10 日<' in html
    assert 'data-testid="clock-restarts">重新起算 1 次' in html
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D("2025-03-30"))
    assert "已逾期 3 日" in _render(world, [d])


def test_panel_names_workday_extensions_and_a_running_pause(world, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D("2026-03-04"))
    u = world.unit("D01")
    d = services.deadline_open(obj=u, unit=u, purpose="licence", rule_id="licence.decide", start=D("2026-02-02"))
    d = services.deadline_extend(deadline=d, days=5, approver="李局长", basis="行政许可法第四十二条", on=D("2026-02-20"))
    assert "已延长 5 日(工作日)" in _render(world, [d])
    d = services.deadline_pause(deadline=d, on=D("2026-03-02"), reason="检测")
    html = _render(world, [d])
    assert "中止累计 3 日(中止中)" in html and 'data-testid="clock-remaining"' not in html
