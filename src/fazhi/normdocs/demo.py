"""Demo normative documents in every state, made through the same services and step actions as the pages:
drafting, in public consultation (with opinions, one answered), legality review rejected, published unfiled,
filed late, filed with materials returned for 补正, found 存在问题 and corrected, expired, lawful ones, and one
cleanup campaign closed. Running it again adds nothing."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from fazhi.normdocs import rules, services
from fazhi.normdocs.models import CleanupItem, Filing, NormativeDocument
from fazhi.org.models import Unit, User

MARK = "【演示】"


def load() -> list[NormativeDocument]:
    if NormativeDocument.objects.filter(title__startswith=MARK).exists():
        return list(NormativeDocument.objects.filter(title__startswith=MARK))
    with transaction.atomic():
        return _load()


def _load():
    from fazhi.normdocs.scripted import act, draft, walk

    office = User.objects.get(username="fzb")
    people = {code: (Unit.objects.get(code=code), User.objects.get(username=code.lower())) for code in ("D01", "D02", "D03")}
    today = timezone.localdate()
    year = today.year
    made = []

    def doc(code, title, **flags):
        unit, user = people[code]
        d = draft(unit, user, title=f"{MARK}{title}", **flags)
        made.append(d)
        return d, user

    def published(code, title, on, filed=None, **kw):
        d, user = doc(code, title)
        walk(d, user, office, upto="file" if filed else "publish", on=on, filed_on=filed, **kw)
        d.refresh_from_db()
        return d, user

    # Lawful, filed on time (one per unit) — and one expired, validity ended.
    for code, title, m in [("D01", "关于规范城市道路挖掘管理的通知", 1), ("D02", "人力资源市场秩序管理办法", 2),
                           ("D03", "区行政执法公示实施办法", 3)]:
        d, _ = published(code, title, date(year, m, 10), filed=date(year, m, 20))
        act(Filing.objects.get(document=d), office, "review", outcome="lawful")
    d, _ = published("D01", "占道经营临时管理规定", date(year - 3, 4, 1), filed=date(year - 3, 4, 15),
                     valid_until=date(year, 4, 1))
    act(Filing.objects.get(document=d), office, "review", outcome="lawful")
    services.expire_due(today=today)

    # Filed late (30 days after publication is the period).
    d, _ = published("D02", "社会保险稽核工作规程", date(year, 5, 6), filed=date(year, 6, 30))
    act(Filing.objects.get(document=d), office, "review", outcome="lawful")

    # Filed with incomplete materials: returned for 补正.
    d, _ = published("D03", "法律援助经济困难标准的规定", date(year, 6, 2), filed=date(year, 6, 12))
    act(Filing.objects.get(document=d), office, "review", outcome="return", note="起草说明未载明制定依据,请补正后重新报送")

    # Found 存在问题 and corrected (修改), on the clock of normdoc.correct.
    d, user = published("D01", "户外广告设置管理办法", date(year, 7, 1), filed=date(year, 7, 8))
    filing = Filing.objects.get(document=d)
    act(filing, office, "review", outcome="problem", note="第十二条设定罚款,超越规范性文件权限",
        problem_kinds=["ultra_vires", "superior_law"])
    act(filing, office, "opinion", correction="amend", suggestion="建议责成区城管局删除第十二条关于罚款的规定")
    act(filing, user, "correct", note="已删除第十二条,修改后文本重新公布")
    act(filing, office, "confirm", outcome="closed")

    # Published, not filed (未经备案审查,无行政管理效力).
    published("D02", "就业见习补贴发放办法", today - timedelta(days=45))

    # Legality review rejected: back to 送审.
    d, user = doc("D03", "公共法律服务中心管理办法")
    walk(d, user, office, upto="submit_review")
    act(d, office, "legality_review", outcome="reject", note="出租审批程序与上位法不一致,请修改后重新送审")

    # Drafting.
    d, user = doc("D02", "职业技能培训补贴管理办法")
    walk(d, user, office, upto="solicit")

    # In public consultation, with opinions (one answered).
    _consulting(doc, office, today)

    # A cleanup campaign, closed: every document in force at its date decided, results published.
    campaign = services.campaign_start(title=f"{year}年规范性文件集中清理", as_of=date(year, 4, 30), actor=office)
    decisions = ["keep", "amend", "repeal", "void"]
    for i, item in enumerate(CleanupItem.objects.filter(campaign=campaign).order_by("id")):
        decision = decisions[i % len(decisions)]
        services.item_decide(item=item, actor=office, decision=decision, reason={
            "keep": "符合上位法,仍需实施", "amend": "部分条款与新修订的上位法不一致", "repeal": "调整对象已消失",
            "void": "适用期已过"}[decision], reviewer="法制办 王审查", expected_version=item.version)
    act(campaign, office, "review")
    act(campaign, office, "publish", outcome="published")
    return made


def _consulting(doc, office, today):
    from fazhi.normdocs.scripted import walk
    from fazhi.portal import services as portal

    d, user = doc("D01", "城市养犬管理规定", public_interest=True)
    walk(d, user, office, upto="solicit")
    start = today - timedelta(days=3)
    end = today + timedelta(days=30)
    consultation = portal.consultation_open(target=d, unit=d.unit, title=f"关于《{d.title[len(MARK):]}》(征求意见稿)公开征求意见",
                                            text="第一条 为规范养犬行为……", rule_id=rules.consult_rule(d),
                                            starts_on=start, ends_on=end, actor=user, today=start)
    first, _ = portal.opinion_receive(target=consultation, unit=d.unit, title="建议明确大型犬目录",
                                      content="建议附件列明禁养的大型犬品种。", contact={"name": "李四", "phone": "13900000001"},
                                      files=[], ip="10.1.0.1", today=start + timedelta(days=1))
    portal.opinion_receive(target=consultation, unit=d.unit, title="遛狗时间",
                           content="建议规定早晚遛狗时段。", contact={"name": "王五", "phone": "13900000002"},
                           files=[], ip="10.1.0.2", today=start + timedelta(days=2))
    portal.opinion_answer(submission=first, adoption="partly", reason="目录由公安机关另行公布,规定中增加引用条款",
                          actor=user, expected_version=first.version)
