"""Cases scripted through the same services and step actions as the pages and the API: the demo builds its cases
with these, and the tests their fixtures."""

from __future__ import annotations

from datetime import date

from django.utils.datastructures import MultiValueDict

from fazhi.enforcement.penalty import services, steps
from fazhi.procedures import actions


def file_case(actor, subject, *, filed: date, key_area: str = "urban_management", officers=(), party: str = "张三",
              kind: str = "general", party_kind: str = "person", cause: str = "无照经营", **extra):
    data = {"procedure_kind": kind, "subject": subject.pk, "key_area": key_area, "source": "inspection",
            "party_name": party, "party_kind": party_kind, "party_id_number": extra.pop("id_number", "610102199001011234"),
            "party_address": extra.pop("address", "新城区幸福路1号"), "party_phone": extra.pop("phone", "13912345678"),
            "cause": cause, "found_on": extra.pop("found", filed), "filed_on": filed,
            "officers": [o.pk for o in officers], **extra}
    return services.case_create(actor=actor, data=data)


def act(case, actor, step: str, *, on: date | None = None, files=None, **data):
    """One act on a step of the case's procedure, as a page or the API posts it."""
    run = services.case_run(case)
    spec = steps.steps_for(case)
    case.refresh_from_db(fields=["version"])
    data.setdefault("version", case.version)  # as the page and the API post it
    body = {"step": step, **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items() if v is not None}}
    if on is not None:
        body["date"] = on.isoformat()
    parsed = actions.act_parse(body, files or MultiValueDict(), spec, run, actor=actor)
    actions.act_perform(record_obj=case, run=run, act=parsed, actions=spec, actor=actor)
    case.refresh_from_db()
    return case


def investigate(case, actor, on: date):
    return act(case, actor, "investigate", on=on, facts="经查,当事人未取得营业执照从事经营活动。",
               evidence="现场检查笔录、询问笔录、照片", basis_violation="《无证无照经营查处办法》第二条")


def notify(case, actor, on: date, *, measures=("fine",), fine="5000", confiscation=None):
    return act(case, actor, "notify", on=on, measures=list(measures), fine_amount=fine,
               confiscation_amount=confiscation, basis_penalty="《无证无照经营查处办法》第十三条")


def decide(case, actor, on: date, **extra):
    return act(case, actor, "decide", on=on, **extra)


def legal_review(case, actor, on: date, *, outcome: str = "pass", opinion: str = "事实清楚,证据确凿,适用依据正确,程序合法,同意"):
    """法制审核 by the office (`actor`), with the 法制审核意见书 attached as the step requires."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = SimpleUploadedFile("法制审核意见书.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    return act(case, actor, "legal_review", on=on, outcome=outcome, opinion=opinion,
               files=MultiValueDict({"files": [document]}))
