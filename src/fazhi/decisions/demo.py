"""Demo major decisions: this year's catalogue, published, with a decision in every state — catalogued, in
public comment with opinions, in legality review, decided, published, being implemented, post-evaluated,
one adjusted out with its reason — and one accountability record. Every step goes through the same
services as the pages (procedures.actions), dated in the past. Only `fazhi demo` calls this; running it
again adds nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from fazhi.decisions import models as m
from fazhi.decisions import services
from fazhi.org.models import Unit, User
from fazhi.procedures.actions import StepAct
from fazhi.programme.demo import demo_pdf

# (unit, title, flags, how far its procedure has gone)
ITEMS = [
    ("D03", "区城市公共停车设施专项规划(2026—2030年)", {}, "catalogued"),
    ("D01", "区老旧小区改造三年行动方案", {"hearing": True}, "consulting"),
    ("D02", "区集中式饮用水水源保护区划定方案", {"professional": True}, "legality_submit"),
    ("D04", "区义务教育学校布局调整方案", {"stability": True, "hearing": True}, "decide"),
    ("D05", "区生活垃圾分类收费实施办法", {"stability": True}, "publish"),
    ("D06", "区城区道路交通组织优化方案", {"professional": True}, "implement"),
    ("D07", "区农村集体经营性建设用地入市实施办法", {"professional": True, "stability": True}, "evaluate"),
    ("T01", "镇级综合文化站整合方案", {}, "removed"),
]
ORDER = ["consult", "hearing", "expert", "risk", "legality_submit", "legality_review", "decide", "publish",
         "implement", "evaluate"]
OPINIONS = [("建议优先加装电梯", "老旧小区老年人多,建议把加装电梯列为首批改造内容。电话 13800001111。"),
            ("停车位不足", "改造时请统筹增加停车位和充电桩。")]
DEMO_NET = "192.0.2."


def _act(decision, user, step, on, **kw):
    act = StepAct(step=step, act_date=on, outcome=kw.pop("outcome", ""), note=kw.pop("note", ""),
                  files=kw.pop("files", []), not_applicable=kw.pop("not_applicable", False),
                  reason=kw.pop("reason", ""), decide=kw.pop("decide", None), approve=kw.pop("approve", None),
                  extra=kw)
    return services.step_perform(decision, act, user)


def _run(decision, last: str, unit_user, fzb, today) -> None:
    """Every step up to `last`, dated backwards from today; a flagged conditional step is done, the others
    are 不适用 approved by the office."""
    day = {step: today - timedelta(days=d) for step, d in zip(
        ORDER, [34, 30, 28, 27, 25, 14, 10, 8, 3, 1], strict=True)}
    start = today - timedelta(days=70)
    services.consultation_open(decision=decision, actor=unit_user, title=f"关于《{decision.title}》公开征求意见",
                               text=f"{decision.title}(征求意见稿)\n\n一、目标任务……\n二、主要措施……",
                               starts_on=start, ends_on=start + timedelta(days=35), today=start)
    flags = {"hearing": decision.hearing, "expert": decision.professional, "risk": decision.stability}
    for step in ORDER:
        on = day[step]
        if step == "consult":
            _act(decision, unit_user, step, on, note="征求意见期届满,无意见反馈")
        elif step in flags and not flags[step]:
            record = _act(decision, unit_user, step, on, not_applicable=True, reason="不属于该情形(见适用条件)")
            _act(decision, fzb, step, on, decide=record.pk, approve=True)
        elif step == "hearing":
            _act(decision, unit_user, step, on, files=[demo_pdf("听证笔录.pdf")], materials_on=on - timedelta(days=10),
                 note="听证会参加人 15 名,意见已归纳")
        elif step in ("expert", "risk"):
            name = "专家论证意见.pdf" if step == "expert" else "社会稳定风险评估报告.pdf"
            _act(decision, unit_user, step, on, files=[demo_pdf(name)], note="结论:可行" if step == "expert" else "风险可控")
        elif step == "legality_submit":
            _act(decision, unit_user, step, on, files=[demo_pdf("送审材料.pdf")])
        elif step == "legality_review":
            _act(decision, fzb, step, on, outcome="lawful_amend", note="建议删除第八条收费减免的兜底表述后提交讨论")
        elif step == "decide":
            _act(decision, unit_user, step, on, files=[demo_pdf("常务会议纪要.pdf")], outcome="approve",
                 meeting="区政府第 12 次常务会议", conclusion=f"会议同意《{decision.title}》,由{decision.unit.name}组织实施。")
        elif step == "publish":
            _act(decision, unit_user, step, on, channel="区政府网站、区政府公报")
        elif step == "implement":
            _act(decision, unit_user, step, on, note="已制定实施细则,完成首批任务")
        elif step == "evaluate":
            _act(decision, unit_user, step, on, files=[demo_pdf("后评估报告.pdf")], note="基本达到预期效果")
        decision.refresh_from_db()
        if step == last:
            return


@transaction.atomic
def load() -> m.Catalogue:
    from fazhi.portal import services as portal

    today = timezone.localdate()
    existing = m.Catalogue.objects.filter(year=today.year).first()
    if existing is not None:
        return existing
    fzb = User.objects.get(username="fzb")
    catalogue = services.catalogue_create(year=today.year, actor=fzb,
                                          note="经区委同意,由区政府确定并向社会公布(重大行政决策程序暂行条例 第10条)")
    made = {}
    for code, title, flags, last in ITEMS:
        unit = Unit.objects.get(code=code)
        made[title] = (services.decision_add(catalogue=catalogue, actor=fzb, on=today - timedelta(days=80), data={
            "title": title, "summary": f"{title}的制定", "unit": unit, "maker": "区人民政府", "maker_head": "区长",
            "planned": today + timedelta(days=60), **flags}), last)
    catalogue = services.catalogue_publish(catalogue=catalogue, actor=fzb, expected_version=catalogue.version,
                                           on=today - timedelta(days=75))
    for decision, last in made.values():
        unit_user = User.objects.get(username=decision.unit.code.lower())
        if last == "removed":
            services.decision_remove(decision=decision, actor=fzb, expected_version=decision.version,
                                     on=today - timedelta(days=40),
                                     reason="按上级统一部署由市级层面决策,调出本级目录")
        elif last == "consulting":
            c = services.consultation_open(decision=decision, actor=unit_user,
                                           title=f"关于《{decision.title}》公开征求意见",
                                           text=f"{decision.title}(征求意见稿)\n\n一、改造范围……\n二、资金筹措……",
                                           starts_on=today - timedelta(days=5), ends_on=today + timedelta(days=25),
                                           today=today - timedelta(days=5))
            for i, (title, content) in enumerate(OPINIONS):
                s, _ = portal.opinion_receive(target=c, unit=None, title=title, content=content,
                                              contact={"name": "居民"}, files=[], ip=f"{DEMO_NET}{40 + i}",
                                              today=today - timedelta(days=4 - i))
                if i == 0:
                    portal.opinion_answer(submission=s, adoption="adopted", reason="", actor=unit_user,
                                          expected_version=s.version)
        elif last != "catalogued":
            _run(decision, last, unit_user, fzb, today)
    accountable = next(d for d, last in made.values() if last == "implement")
    services.accountability_open(
        decision=accountable, actor=User.objects.get(username="inspector"), grounds=[m.AGAINST_PROCEDURE],
        facts="实施中擅自扩大交通管制范围,超出集体讨论决定的内容,未重新履行决策程序",
        loss="沿线商户营业受影响,已发生补偿支出约 12 万元",
        people=[{"name": "赵某", "post": "承办科室负责人"}], units=[accountable.unit], on=today - timedelta(days=2))
    return catalogue
