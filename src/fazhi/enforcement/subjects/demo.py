"""Demo data of this package (fazhi demo): every department, subdistrict and town with its own statutory subject
(named as the unit: `demo_subject(code)`), most qualified and announced, one pending (T15), one 需纠正 (T14), an
entrusted one (T05, entrusted by D01); their powers; 2–6 officers each with certificates (a few expiring within 60
days, one expired at D12); one act without a legal basis open, one corrected and accepted; catalogues of major
decisions for a few units. Idempotent (looked up by unit and name, certificate number); dates relative to today.
Penalty and licence demos build their cases on these subjects and officers."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from fazhi.enforcement.subjects import models as m
from fazhi.enforcement.subjects import services

KINDS = ("department", "subdistrict", "town")
PENDING_UNIT, TO_CORRECT_UNIT, EXPIRED_UNIT = "T15", "T14", "T12"
EXPIRING_UNITS = ("D03", "D06", "T02")
ENTRUSTED = ("T05", "D01", "五里镇城管综合执法队(受委托)")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "华", "平", "刚", "桂英")
AREAS = {"D01": ["urban_management", "environment"], "D02": ["labour_social_security"], "D04": ["education"],
         "D05": ["public_health"], "D06": ["transport"], "D07": ["bidding"], "D08": ["food_drug"],
         "D10": ["food_drug"], "D11": ["land"], "D12": ["public_security"]}
TOWN_AREAS = ["urban_management", "land"]
POWERS = {
    "department": [("penalty", "对违反本行业管理规定行为的行政处罚", "《中华人民共和国行政处罚法》及本行业法律、法规"),
                   ("inspection", "对本行业管理对象的监督检查", "本行业法律、法规的监督检查条款"),
                   ("licence", "本行业行政许可", "《中华人民共和国行政许可法》及本行业法律、法规")],
    "subdistrict": [("penalty", "综合行政执法事项的行政处罚", "《陕西省街道办事处条例》及区政府赋权决定"),
                    ("inspection", "辖区内的巡查检查", "区政府赋权决定")],
    "town": [("penalty", "乡镇综合行政执法事项的行政处罚", "《中华人民共和国行政处罚法》第24条及省政府赋权决定"),
             ("licence", "乡村建设规划许可", "《中华人民共和国城乡规划法》第41条")],
}


def demo_subject(code: str) -> m.EnforcementSubject | None:
    """The demo's statutory subject of a unit (P's and L's demos use it)."""
    from fazhi.org.models import Unit

    unit = Unit.objects.filter(code=code).first()
    return m.EnforcementSubject.objects.filter(unit=unit, name=unit.name).first() if unit else None


def _subject(unit, name, actor, today, *, kind=m.STATUTORY, review=m.QUALIFIED, basis="", **extra):
    s = m.EnforcementSubject.objects.filter(unit=unit, name=name).first()
    if s is None:
        s = services.subject_create(unit=unit, actor=actor, data={
            "name": name, "kind": kind, "basis": basis or f"《{unit.name}职能配置、内设机构和人员编制规定》及相关法律、法规",
            "key_areas": AREAS.get(unit.code, TOWN_AREAS if unit.kind != "department" else []), **extra})
        if review != m.PENDING:
            s = services.subject_review(subject=s, actor=actor, outcome=review, on=today - timedelta(days=300),
                                        note="" if review == m.QUALIFIED else "设定依据不明确,请补充法律法规依据",
                                        expected_version=s.version)
        if review == m.QUALIFIED:
            s = services.subject_announce(subject=s, actor=actor, on=today - timedelta(days=290),
                                          ref=f"区政府公告〔{(today - timedelta(days=290)).year}〕{unit.sort_order}号",
                                          expected_version=s.version)
        for kind_, pname, pbasis in POWERS[unit.kind]:
            services.power_add(subject=s, actor=actor, data={"kind": kind_, "name": pname, "basis": pbasis})
    return s


def _officers(unit, subject, actor, today, index: int) -> None:
    count = 2 + index % 5
    for i in range(count):
        number = f"陕执{unit.code}-{i + 1:03d}"
        if m.Certificate.objects.filter(number=number).exists():
            continue
        name = SURNAMES[(index * 3 + i) % len(SURNAMES)] + GIVEN[(index + i * 7) % len(GIVEN)]
        officer = services.officer_create(unit=unit, actor=actor, data={
            "name": name, "subject": subject, "staff_number": f"{unit.code}{i + 1:02d}", "post": "执法队员"})
        issued, expires = today - timedelta(days=700), today + timedelta(days=400 + 30 * i)
        last = i == count - 1
        if last and unit.code in EXPIRING_UNITS:
            expires = today + timedelta(days=20 + 10 * EXPIRING_UNITS.index(unit.code))
        if last and unit.code == EXPIRED_UNIT:
            issued, expires = today - timedelta(days=1100), today - timedelta(days=10)
        services.certificate_add(officer=officer, actor=actor, data={
            "number": number, "kind": "enforcement", "issued_by": "区人民政府", "issued_on": issued,
            "expires_on": expires, "reviewed_year": today.year - 1 if issued.year < today.year and expires >= today
            else None})


def _basisless(actor, today) -> None:
    from fazhi.org.models import Unit

    if m.BasislessAct.objects.exists():
        return
    services.basisless_create(actor=actor, data={
        "unit": Unit.objects.get(code="T03"), "acting_body": "江北街道城市管理协管队",
        "act": "协管人员以街道名义对占道经营当场罚款,无法律法规授权亦无委托", "found_on": today - timedelta(days=12),
        "found_by": "行政执法案卷评查"})
    done = services.basisless_create(actor=actor, data={
        "unit": Unit.objects.get(code="D04"), "acting_body": "区教育体育局校外培训检查组",
        "act": "检查组对培训机构作出扣押物品决定,超出法定职权", "found_on": today - timedelta(days=60), "found_by": "投诉举报"})
    done = services.basisless_correct(act=done, actor=actor, on=today - timedelta(days=40),
                                      correction="已返还扣押物品,撤销该决定并向当事人说明", expected_version=done.version)
    services.basisless_decide(act=done, actor=actor, accept=True, on=today - timedelta(days=35), reason="",
                              expected_version=done.version)


CATALOGUE = [
    ("较大数额罚款(对法人或其他组织 5 万元以上)", [], "50000"),
    ("吊销许可证件", ["revoke_licence"], None),
    ("责令停产停业、责令关闭", ["order_stop", "order_close"], None),
]


def _catalogue(actor) -> None:
    from fazhi.org.models import Unit

    for code in ("D01", "D05", "D08", "D10", "T05"):
        unit = Unit.objects.get(code=code)
        for title, measures, amount in CATALOGUE:
            if not m.MajorDecisionEntry.objects.filter(unit=unit, title=title).exists():
                services.entry_create(unit=unit, actor=actor, data={
                    "decision_kind": m.PENALTY, "title": title, "measures": measures, "amount_from": amount,
                    "basis": "国办发〔2018〕118号;本单位重大执法决定法制审核目录清单"})


@transaction.atomic
def load() -> None:
    from fazhi.org.models import Unit, User

    actor = User.objects.get(username="fzb")
    today = timezone.localdate()
    units = list(Unit.objects.filter(kind__in=KINDS, active=True).order_by("sort_order", "code"))
    for index, unit in enumerate(units):
        review = {PENDING_UNIT: m.PENDING, TO_CORRECT_UNIT: m.TO_CORRECT}.get(unit.code, m.QUALIFIED)
        subject = _subject(unit, unit.name, actor, today, review=review)
        _officers(unit, subject, actor, today, index)
    unit = Unit.objects.get(code=ENTRUSTED[0])
    _subject(unit, ENTRUSTED[2], actor, today, kind=m.ENTRUSTED, entrusted_by=Unit.objects.get(code=ENTRUSTED[1]),
             entrustment_document=f"区城管委〔{today.year - 1}〕3号", entrustment_until=today + timedelta(days=700),
             basis="《中华人民共和国行政处罚法》第20条;区城市管理局行政处罚委托书")
    _basisless(actor, today)
    _catalogue(actor)
