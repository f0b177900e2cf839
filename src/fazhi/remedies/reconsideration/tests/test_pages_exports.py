"""The case page offers only the acts the rules allow, shows no overdue review while the applicant corrects; the
调解 letter; the ledger's clock columns; the API's respondent code in any case and its date floor."""

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from fazhi.remedies.reconsideration import services
from fazhi.remedies.reconsideration.scripted import act, decide, register, through_reply

D = date.fromisoformat


def act_kinds(client, case) -> set[str]:
    return {kind for kind, _, _ in client.get(case.get_absolute_url()).context["act_forms"]}


@pytest.mark.django_db
def test_page_offers_the_acts_the_rules_allow(world):
    office, d01 = world.user("fzb"), world.user("d01")
    client = world.client("fzb")
    simple = through_reply(register(office, "D01", received=D("2026-03-02")), office, d01, accepted=D("2026-03-03"),
                           kind="simple")
    normal = through_reply(register(office, "D01", received=D("2026-03-02")), office, d01, accepted=D("2026-03-03"))
    assert act_kinds(client, simple) == {"suspend", "terminate", "schedule_hearing"}  # no 延长: simplified procedure
    assert act_kinds(client, normal) == {"suspend", "extend", "terminate", "schedule_hearing"}
    correcting = register(office, "D01", received=D("2026-11-16"))
    act(correcting, office, "accept", on=D("2026-11-17"), outcome="correction", note="请补正",
        notice_received_on=D("2026-11-17"))
    due = services.open_due(correcting, "correction")
    kinds = act_kinds(client, correcting)
    assert "correction_received" in kinds and ("withdraw" in kinds) == (date.today() > due)


@pytest.mark.django_db
def test_no_red_review_while_correcting_after_a_late_notice(world):
    office = world.user("fzb")
    case = register(office, "D01", received=D("2026-03-02"))  # review due 3/9
    act(case, office, "accept", on=D("2026-03-12"), outcome="correction", note="请补正", notice_received_on=D("2026-03-12"))
    body = world.client("fzb").get(reverse("api:reconsideration-detail", args=[case.pk])).json()
    review = next(c for c in body["clocks"] if c["rule"] == "reconsideration.accept")
    assert review["state"] == "late" and review["overdue"] is False
    page = world.client("fzb").get(case.get_absolute_url())
    review = next(d for d in page.context["deadlines"] if d.purpose == "reconsideration:accept")
    assert review.status != "open"


@pytest.mark.django_db
def test_mediation_letter_and_ledger_columns(world):
    office, d01 = world.user("fzb"), world.user("d01")
    client = world.client("fzb")
    mediated = through_reply(register(office, "D01", received=D("2026-03-02"), applicant="调解申请人"), office, d01,
                             accepted=D("2026-03-03"))
    mediated = services.extend(case=mediated, actor=office, days=20, approver="王主任", basis="复杂",
                               notified_on=D("2026-04-01"))
    decide(mediated, office, D("2026-04-10"), outcome="mediate")
    response = client.get(reverse("reconsideration-letter", args=[mediated.pk]))
    assert response.status_code == 200 and "%E8%B0%83%E8%A7%A3%E4%B9%A6" in response["Content-Disposition"]  # 调解书
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "行政复议调解书" in text and "达成如下协议" in text and "第七十三条" in text and "调解申请人" in text
    assert "本机关决定" not in text and "行政诉讼" not in text and "行政复议决定书" not in text
    assert "行政复议调解书 (.docx)" in client.get(mediated.get_absolute_url()).content.decode()

    hearing = through_reply(register(office, "D01", received=D("2026-03-02"), applicant="审理申请人"), office, d01,
                            accepted=D("2026-03-03"))
    hearing = services.extend(case=hearing, actor=office, days=15, approver="王主任", basis="复杂",
                              notified_on=D("2026-04-01"))
    services.suspend(case=hearing, actor=office, on=D("2026-04-02"), reason="other_case")
    export = client.get(reverse("reconsideration-export"))
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content)), read_only=True).worksheets[0]
                .iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "案号")
    due, extended = header.index("审理期限届满日"), header.index("延长(日)")
    by_applicant = {r[1]: r for r in rows if r and r[1] in ("调解申请人", "审理申请人")}
    assert by_applicant["调解申请人"][extended] == 20 and by_applicant["调解申请人"][due] is not None
    assert by_applicant["审理申请人"][extended] == 15 and by_applicant["审理申请人"][due] is None  # paused: no due yet


@pytest.mark.django_db
def test_api_create_respondent_any_case_and_date_floor(world):
    client = world.client("fzb")
    url = reverse("api:reconsideration-list")
    body = {"respondent": "d01", "applicants": [{"name": "赵六", "kind": "legal"}], "act_name": "责令停产停业决定",
            "applied_on": "2026-06-01", "received_on": "2026-06-02", "request": "撤销", "grounds": "理由"}
    for field in ("applied_on", "received_on"):
        bad = client.post(url, {**body, field: "0001-01-01"}, content_type="application/json")
        assert bad.status_code == 400 and list(bad.json()["errors"]) == [field], bad.content
        assert "1990" in bad.json()["detail"]
    bad = client.post(url, {**body, "applied_on": "1989-06-01", "received_on": "1989-06-02"},
                      content_type="application/json")
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["applied_on"]
    bad = client.post(url, {**body, "respondent": "zz9"}, content_type="application/json")
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["respondent"]
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["respondent"] == "D01"
