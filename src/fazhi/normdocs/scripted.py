"""Acts scripted through the same step actions as the pages and the API (procedures.actions.act_parse /
act_perform): the demo builds its documents with these, and the tests their fixtures."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from fazhi.normdocs import services, steps
from fazhi.normdocs.models import MATERIALS
from fazhi.procedures import actions
from fazhi.procedures.models import StepRecord

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def materials(kinds=None) -> MultiValueDict:
    kinds = [k for k, _ in MATERIALS] if kinds is None else kinds
    return MultiValueDict({k: [pdf(f"{k}.pdf")] for k in kinds})


def act(obj, actor, step: str, *, actions_=None, files=None, on: date | None = None, **data):
    """One act on a step of `obj`'s procedure, as a page or the API posts it."""
    actions_ = actions_ or _actions(obj)
    run = _run(obj)
    body = {"step": step, **{k: v for k, v in data.items() if v is not None}}
    if on is not None:
        body["date"] = on.isoformat()
    parsed = actions.act_parse(body, files or MultiValueDict(), actions_, run, actor=actor)
    return actions.act_perform(record_obj=obj, run=run, act=parsed, actions=actions_, actor=actor)


def _actions(obj):
    from fazhi.normdocs.models import CleanupCampaign, Filing

    if isinstance(obj, Filing):
        return steps.FILING
    if isinstance(obj, CleanupCampaign):
        return steps.CLEANUP
    return steps.DOCUMENT


def _run(obj):
    from fazhi.normdocs.models import CleanupCampaign, Filing

    if isinstance(obj, Filing):
        return services.filing_run(obj)
    if isinstance(obj, CleanupCampaign):
        return services.cleanup_run(obj)
    return services.document_run(obj)


def not_applicable(obj, unit_user, office, step: str, *, on: date | None = None, reason: str = "不涉及"):
    act(obj, unit_user, step, not_applicable=True, reason=reason, on=on)
    pending = StepRecord.objects.filter(run=_run(obj), step__code=step, kind="not_applicable").order_by("-id").first()
    act(obj, office, step, decide=pending.pk, approve=True)


ORDER = ["draft", "solicit", "conditional", "coordinate", "submit_review", "legality_review", "decide", "publish",
         "file"]


def walk(doc, unit_user, office, *, upto: str = "file", on: date | None = None, filed_on: date | None = None,
         valid_until: date | None = None, kinds=None):
    """Take a document (not flagged public_interest) through the procedure up to and including `upto`."""
    for step in ORDER[:ORDER.index(upto) + 1]:
        if step == "conditional":
            for code in ("public_consult", "hearing", "expert"):
                not_applicable(doc, unit_user, office, code, on=on)
        elif step == "legality_review":
            act(doc, office, step, outcome="pass", on=on)
        elif step == "publish":
            act(doc, unit_user, step, on=on, channel="区政府门户网站",
                valid_until=valid_until.isoformat() if valid_until else None)
        elif step == "file":
            act(doc, unit_user, step, on=filed_on or on, files=materials(kinds))
        else:
            act(doc, unit_user, step, on=on)
        doc.refresh_from_db()
    return doc


def draft(unit, actor, title: str = "关于规范城市道路挖掘管理的通知", **flags):
    return services.document_create(unit=unit, actor=actor, data={"title": title, "text": "第一条 ……", **flags})
