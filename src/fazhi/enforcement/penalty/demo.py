"""Demo data of this package (fazhi demo): a case in every unit whose demo subject is qualified and announced
(subjects/demo.py), across key areas and states — filed, investigating, notified, hearing, decided, served, paid,
paid late (with the surcharge), closed (with its whole-process records) — and in D01 a major decision with its
legal review, a simplified (当场) case collected on the spot and handed over, an open case past its decision
deadline and one decided late with the recorded reason. Built through the services (the rules apply), idempotent
(one case per unit and demo party), dates relative to today."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from fazhi.enforcement.penalty import scripted, services
from fazhi.enforcement.penalty.models import PenaltyCase

STATES = ("filed", "investigating", "notified", "hearing", "decided", "served", "paid", "paid_late", "closed")
PARTIES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
CAUSES = {"urban_management": "占道经营", "environment": "超标排放大气污染物", "labour_social_security": "拖欠劳动者工资",
          "education": "违规开展学科类校外培训", "public_health": "未取得卫生许可证从事公共场所经营",
          "transport": "未取得道路运输经营许可从事经营", "bidding": "招标人规避招标", "food_drug": "经营超过保质期的食品",
          "land": "未经批准占用耕地建房", "public_security": "违反治安管理", "poverty_relief": "骗取扶贫资金",
          "civil_relief": "骗取社会救助资金"}


def _users(unit):
    from fazhi.org.models import User

    return User.objects.get(username=unit.code.lower()), User.objects.get(username="fzb")


def _officers(unit, on):
    from fazhi.enforcement.subjects import rules as subject_rules
    from fazhi.enforcement.subjects.models import Officer

    found = [o for o in Officer.objects.filter(unit=unit, active=True).prefetch_related("certificates").order_by("id")
             if subject_rules.officer_refusal(o, on) is None]
    return found[:2]


def _key_area(subject, index):
    from fazhi.org.models import KeyArea

    areas = list(subject.key_areas.all()) or list(KeyArea.objects.filter(active=True))
    return areas[index % len(areas)].code


def _records(case, actor, officer, steps, today):
    from fazhi.enforcement.records.services import record_add

    for step, kind in steps:
        name, content = ("记录.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64) if kind == "av" else \
            ("记录.pdf", b"%PDF-1.4\n%%EOF\n")
        record_add(case=case, step=step, kind=kind, file=SimpleUploadedFile(name, content), place="执法现场",
                   recorded_at=datetime.combine(today - timedelta(days=2), time(9, 30)), officer=officer,
                   note="演示记录", actor=actor)


def _build(state, unit, subject, index, today):
    staff, office = _users(unit)
    d = lambda n: today - timedelta(days=n)  # noqa: E731
    area = _key_area(subject, index)
    officers = _officers(unit, d(70))
    party = f"{PARTIES[index % len(PARTIES)]}某{index + 1}"
    case = scripted.file_case(staff, subject, filed=d(70 if state != "filed" else 3), key_area=area,
                              officers=officers if state != "filed" else officers[:1], party=party,
                              cause=CAUSES.get(area, "违反行政管理秩序"), found=d(72 if state != "filed" else 4))
    if state in ("filed", "investigating"):
        return case
    case = scripted.investigate(case, staff, d(60))
    if state == "notified":
        return scripted.notify(case, staff, d(1), fine="3000")
    if state == "hearing":
        case = scripted.notify(case, staff, d(30), fine="20000")
        case = services.hearing_request(case=case, actor=staff, on=d(29))
        return services.hearing_schedule(case=case, actor=staff, on=today + timedelta(days=14), place="执法大队听证室")
    case = scripted.notify(case, staff, d(55), fine="2000")
    case = scripted.decide(case, staff, d(45))
    if state == "decided":
        return case
    case = scripted.act(case, staff, "serve", on=d(5 if state == "served" else 43))
    if state == "served":
        return case
    paid_on = d(20) if state == "paid_late" else d(35)  # the payment period ends 15 days after 43 days ago
    services.payment_record(case=case, actor=office, amount_paid="2000", paid_on=paid_on, channel="bank",
                            receipt_number=f"YH{unit.code}{index:03d}", payee="区农业银行营业部")
    if state == "paid_late":
        return case
    case = scripted.act(case, staff, "execute", on=d(15))
    if state == "paid":
        return case  # executed: the records are still to be attached before closing
    _records(case, staff, officers[0], [("investigate", "written"), ("investigate", "av"), ("notify", "written"),
                                        ("serve", "written"), ("serve", "av")], today)
    return scripted.act(case, staff, "close", on=d(1), outcome="performed")


def _host(unit, subject, office):
    """The unit's legal officer who hosts hearings (第64条第4项: not one of the case's investigators)."""
    from fazhi.enforcement.subjects import services as subject_services
    from fazhi.enforcement.subjects.models import Officer

    return (Officer.objects.filter(unit=unit, staff_number=f"{unit.code}FZ01").first()
            or subject_services.officer_create(unit=unit, actor=office, data={
                "name": "李强", "subject": subject, "staff_number": f"{unit.code}FZ01", "post": "法制员(听证主持人)"}))


def _d01_extra(unit, subject, today):
    """D01: a major decision with its legal review; a decision after a hearing; a simplified case; an open case past its deadline; a late
    decision with its reason."""
    staff, office = _users(unit)
    d = lambda n: today - timedelta(days=n)  # noqa: E731
    officers = _officers(unit, d(130))
    major = scripted.file_case(staff, subject, filed=d(50), key_area="environment", officers=officers,
                               party="某化工有限公司(演示)", party_kind="legal", cause="超标排放水污染物", found=d(52))
    major = scripted.investigate(major, staff, d(40))
    major = scripted.notify(major, staff, d(30), fine="120000")  # qualifies for a hearing too: not requested
    major = scripted.legal_review(major, office, d(20))  # the office's reviewer, not the deciding staff
    major = scripted.act(scripted.decide(major, staff, d(18)), staff, "serve", on=d(16))
    heard = scripted.file_case(staff, subject, filed=d(60), key_area="urban_management", officers=officers,
                               party="某某(演示听证)", cause="擅自拆除环境卫生设施", found=d(61))
    heard = scripted.notify(scripted.investigate(heard, staff, d(50)), staff, d(40), fine="20000")
    heard = services.hearing_request(case=heard, actor=staff, on=d(39))
    heard = services.hearing_schedule(case=heard, actor=staff, on=d(25), place="区城管局听证室")
    heard = services.hearing_notice(case=heard, actor=staff, on=d(38))
    heard = scripted.act(heard, staff, "hearing", on=d(25), host=_host(unit, subject, office).pk)
    heard = scripted.legal_review(heard, office, d(22))  # 第58条第1款第2项: a heard case is reviewed after the hearing
    scripted.decide(heard, staff, d(20), fine_amount="15000")
    simple = scripted.file_case(staff, subject, filed=d(4), key_area="urban_management", officers=officers[:1],
                                party="某商户(演示当场处罚)", kind="simple", cause="店外占道经营", found=d(4))
    simple = scripted.act(simple, staff, "decide", on=d(4), measures=["fine"], fine_amount="50", facts="店外占道摆放商品",
                          basis_penalty="《城市市容和环境卫生管理条例》第三十六条")
    pay = services.payment_record(case=simple, actor=staff, amount_paid="50", paid_on=d(4), channel="on_the_spot",
                                  receipt_number="陕财票0001", spot_reason="small")
    services.cash_handover(case=simple, actor=staff, payment_id=pay.pk, on=d(3), receipt="YH-HD-0001")
    overdue = scripted.file_case(staff, subject, filed=d(120), key_area="urban_management", officers=officers,
                                 party="某某(演示超期未决)", cause="违规设置户外广告", found=d(121))
    scripted.notify(scripted.investigate(overdue, staff, d(110)), staff, d(100), fine="1000")
    late = scripted.file_case(staff, subject, filed=d(130), key_area="urban_management", officers=officers,
                              party="某某(演示延期决定)", cause="建筑垃圾随意倾倒", found=d(131))
    late = scripted.notify(scripted.investigate(late, staff, d(120)), staff, d(110), fine="5000")
    scripted.decide(late, staff, d(20), late_reason="案情复杂,经本机关负责人批准延长办案期限三十日(城管批〔2026〕3号)")


@transaction.atomic
def load() -> list:
    from fazhi.enforcement.subjects.demo import demo_subject
    from fazhi.enforcement.subjects.models import QUALIFIED
    from fazhi.org.models import Unit

    today = timezone.localdate()
    made = []
    units = list(Unit.objects.filter(kind__in=("department", "subdistrict", "town"), active=True)
                 .order_by("sort_order", "code"))
    index = 0
    for unit in units:
        subject = demo_subject(unit.code)
        if subject is None or subject.review_status != QUALIFIED or subject.announced_on is None:
            continue
        if not PenaltyCase.objects.filter(unit=unit, created_by__username=unit.code.lower()).exists():
            _build(STATES[index % len(STATES)], unit, subject, index, today)
            if unit.code == "D01":
                _d01_extra(unit, subject, today)
        index += 1
        made.extend(PenaltyCase.objects.filter(unit=unit).values_list("pk", flat=True))
    return made
