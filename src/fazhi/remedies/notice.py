"""The remedy notice (救济途径告知) every decision against a person carries: where and by when to apply for
reconsideration or sue. Once, for every module: the periods come from the catalogue (`reconsideration.apply`,
`litigation.file`, or the office's setting of a configurable one), never typed.

Under 行政复议法(2023) 第24条 the 县级以上地方人民政府 handles reconsideration of its departments' acts, so the
organ named is the district government (the top of the unit tree; its name is data)."""

from __future__ import annotations


def reconsideration_organ() -> str:
    from fazhi.org.models import Unit

    return Unit.objects.filter(parent__isnull=True).values_list("name", flat=True).first() or "本级人民政府"


def remedy_notice(*, addressee: str = "当事人", suspends_execution_note: bool = True) -> str:
    from fazhi.deadlines.catalogue import get_rule
    from fazhi.deadlines.services import rule_period

    recon, lit = get_rule("reconsideration.apply"), get_rule("litigation.file")
    recon_period = rule_period(recon.id) or recon.period
    lit_period = rule_period(lit.id) or lit.period
    text = (f"{addressee}对本决定不服的,可以自知道本决定之日起{recon.period_text(recon_period)}内向"
            f"{reconsideration_organ()}申请行政复议({recon.basis}),或者自知道本决定之日起"
            f"{lit.period_text(lit_period)}内依法向人民法院提起行政诉讼({lit.basis})。")
    if suspends_execution_note:
        text += "行政复议或者行政诉讼期间,本决定不停止执行,法律另有规定的除外。"
    return text
