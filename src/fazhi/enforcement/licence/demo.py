"""Demo 行政许可: published items of several units (and one draft), and cases in every state, made through the same
services and step actions as the pages, with dates relative to today so the clocks are live: received, correcting,
补正 then restarted and accepted, deemed accepted after a late notice, extended, overdue, granted with certificate and
closed, granted awaiting its certificate, denied, not accepted, one decided late (with its reason), one withdrawn by
the applicant, one heard at the applicant's request (第47条: the decision clock paused for the hearing), and a major
decision (重大执法决定, by the office's catalogue line for its item) legally reviewed by the office before the unit
decided. Built on the subjects and officers of S's demo. Running it again adds nothing."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from fazhi.deadlines.services import deadline_compute
from fazhi.enforcement.licence import services, steps
from fazhi.enforcement.licence.models import LicenceCase, LicenceItem
from fazhi.org.models import User
from fazhi.procedures import actions

MARK = "【演示】"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

ITEMS = [
    ("D01", "XK-CG-001", "城市建筑垃圾处置核准", "law", "《中华人民共和国固体废物污染环境防治法》第六十三条",
     "有符合规定的运输车辆、处置场所和管理制度", "建筑垃圾处置核准申请表\n运输车辆行驶证\n处置场所证明\n管理制度文本", 8, None),
    ("D01", "XK-CG-002", "设置大型户外广告审批", "admin_regulation", "《城市市容和环境卫生管理条例》第十一条",
     "符合户外广告设置规划,设施安全", "户外广告设置申请表\n设计图及效果图\n场地使用证明", None, None),
    ("D05", "XK-WS-001", "公共场所卫生许可", "admin_regulation", "《公共场所卫生管理条例》第八条",
     "场所布局、设施和卫生管理制度符合卫生标准和要求", "公共场所卫生许可申请表\n营业执照复印件\n卫生管理制度\n检测报告", 12,
     ("工本费 每证 5 元", "《某行政法规》第十二条(示例)")),
    ("D08", "XK-SP-001", "食品经营许可", "law", "《中华人民共和国食品安全法》第三十五条",
     "有与经营的食品品种、数量相适应的经营场所和设备设施,有食品安全管理人员和管理制度",
     "食品经营许可申请书\n营业执照复印件\n经营场所平面图\n食品安全管理制度", 10, None),
]
DRAFT = ("D08", "XK-SP-009", "小餐饮经营许可(拟增)", "local_regulation", "《陕西省食品小作坊小餐饮及摊贩管理条例》第十八条",
         "有固定经营场所", "申请书\n场所证明")


def load() -> list[LicenceCase]:
    if LicenceCase.objects.filter(matter__startswith=MARK).exists():
        return list(LicenceCase.objects.filter(matter__startswith=MARK))
    from fazhi.enforcement.subjects.demo import demo_subject

    if demo_subject("D01") is None:  # subjects come first (enforcement/demo.py)
        return []
    with transaction.atomic():
        return _load(demo_subject)


def _item(office, subject, row, today, published=True):
    unit, code, name, kind, basis, conditions, materials, *rest = row
    promised, fee = (rest + [None, None])[:2]
    found = LicenceItem.objects.filter(unit=subject.unit, code=code).first()
    if found:
        return found
    item = services.item_create(actor=office, data={
        "unit": unit, "subject": subject.pk, "code": code, "name": name, "basis_kind": kind, "basis": basis,
        "conditions": conditions, "quantity_limit": "", "procedure": "申请 → 受理(材料不全的五日内一次告知补正) → 审查(必要时现场核查)"
        " → 决定 → 颁发证件", "promised_days": promised, "materials": materials, "fee_charged": bool(fee),
        "fee_amount": fee[0] if fee else "", "fee_basis": fee[1] if fee else ""})
    if published:
        item = services.item_publish(item=item, actor=office, on=today - timedelta(days=250), expected_version=item.version)
    return item


def _load(demo_subject):
    office = User.objects.get(username="fzb")
    t = timezone.localdate()
    items = {row[0] + row[1]: _item(office, demo_subject(row[0]), row, t) for row in ITEMS}
    _item(office, demo_subject(DRAFT[0]), DRAFT, t, published=False)
    users = {u: User.objects.get(username=u.lower()) for u in ("D01", "D05", "D08")}
    _major_line(office, items["D01XK-CG-002"])
    made = []

    def day(n):
        return t - timedelta(days=n)

    def new(key, received, applicant, matter, kind="legal_person"):
        item = items[key]
        case = services.case_create(actor=users[item.unit.code], data={
            "item": item.pk, "applicant_name": applicant, "applicant_kind": kind, "applicant_contact": "029-8888xxxx",
            "matter": f"{MARK}{matter}", "received_on": day(received)})
        made.append(case)
        return case

    def step(case, name, on, **data):
        user = users[case.unit.code]
        case.refresh_from_db()  # the version now (a case act in between changed it)
        run = services.case_run(case)
        body = {"step": name, "date": day(on).isoformat(), "version": case.version,
                **{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}}
        act = actions.act_parse(body, MultiValueDict(), steps.STEPS, run, actor=user)
        actions.act_perform(record_obj=case, run=run, act=act, actions=steps.STEPS, actor=user)
        case.refresh_from_db()
        return case

    def through_review(case, accepted, reviewed, **inspection):
        step(case, "accept", accepted, outcome="accept")
        if inspection:
            inspection["inspection_officers"] = _inspectors(case.unit, day(reviewed))
        return step(case, "review", reviewed, **({"inspected": "no"} if not inspection else
                                                 {"inspected": "yes", "inspection_on": day(reviewed), **inspection}))

    def close(case, on):
        _records(case, users[case.unit.code], day(on))
        return step(case, "close", on)

    def grant(case, decided, cert_on, closed=None):
        step(case, "decide", decided, outcome="grant")
        step(case, "certificate", cert_on, certificate_number=f"{case.unit.code}XK{case.number_year}{case.number_seq:05d}",
             valid_from=day(cert_on), valid_until=day(cert_on) + timedelta(days=5 * 365))
        return close(case, closed) if closed is not None else case

    # 待受理: received yesterday.
    new("D01XK-CG-001", 1, "长安渣土运输有限公司", "申请城市建筑垃圾处置核准(运输)")
    # 补正中: one notice listing everything missing, the acceptance review stands still.
    case = new("D05XK-WS-001", 4, "悦来宾馆有限公司", "新办公共场所卫生许可(住宿场所)")
    step(case, "accept", 3, outcome="correction", note="1. 卫生管理制度(缺)\n2. 室内空气质量检测报告(缺)")
    # 补正 then restarted: materials arrived, the review counted anew, accepted and under review.
    case = new("D08XK-SP-001", 30, "味之源餐饮管理有限公司", "新办食品经营许可(餐饮服务)")
    step(case, "accept", 29, outcome="correction", note="经营场所平面图未标明功能分区,请补正")
    services.materials_received(case=case, actor=users["D08"], on=day(20))
    step(case, "accept", 19, outcome="accept")
    # Extended once by the head of the organ (第42条), still under review.
    case = new("D01XK-CG-002", 40, "西城传媒广告有限公司", "设置大型户外广告(立柱式,东大街)")
    step(case, "accept", 39, outcome="accept")
    services.extend(case=case, actor=users["D01"], days=10, approver="区城市管理局局长 王建国",
                    basis="需组织专家进行结构安全论证(行政许可法第四十二条第一款)", notified_on=day(25))
    # Overdue: reviewed, the decision period has passed.
    through_review(new("D05XK-WS-001", 60, "康体游泳健身有限公司", "新办公共场所卫生许可(游泳场所)"), 59, 50)
    # Late notice: deemed accepted from receipt (第32条), granted and closed.
    case = new("D08XK-SP-001", 45, "老街坊面馆", "新办食品经营许可(小型餐饮)", kind="person")
    step(case, "accept", 36, outcome="correction", note="食品安全管理人员证明")
    services.materials_received(case=case, actor=users["D08"], on=day(33))
    step(case, "review", 31, inspected="no")
    grant(case, 30, 25, closed=24)
    # Granted with certificate after an on-site inspection, closed.
    case = through_review(new("D01XK-CG-001", 100, "秦川建设集团有限公司", "建筑垃圾处置核准(工地)"), 99, 90,
                          inspection_place="曲江新区某工地")
    grant(case, 85, 80, closed=79)
    # Granted, certificate pending (its clock open).
    case = through_review(new("D05XK-WS-001", 20, "丽人美容美发店", "新办公共场所卫生许可(美容美发场所)", kind="person"), 19, 12)
    step(case, "decide", 5, outcome="grant")
    # Denied with reasons and the remedy notice, closed.
    case = through_review(new("D08XK-SP-001", 70, "快捷便利店", "新办食品经营许可(预包装食品销售)"), 69, 60,
                          inspection_place="快捷便利店经营场所")
    step(case, "decide", 55, outcome="deny", reason="现场核查发现经营场所与生活区未有效隔离,不符合《中华人民共和国食品安全法》"
         "第三十三条规定的条件")
    close(case, 54)
    # Not accepted.
    case = new("D01XK-CG-001", 10, "某物业服务公司", "小区内部装修垃圾清运备案")
    step(case, "accept", 9, outcome="reject", note="小区内部装修垃圾清运不属于城市建筑垃圾处置核准的范围,依法不需要取得行政许可")
    # Decided late, and one on time, both closed.
    case = through_review(new("D05XK-WS-001", 120, "华清温泉酒店有限公司", "公共场所卫生许可(沐浴场所)"), 119, 80)
    step(case, "decide", 75, outcome="grant", late_reason="需委托检测机构对沐浴用水进行检测,检测报告逾期送达(第45条所需时间未单独扣除)")
    step(case, "certificate", 70, certificate_number=f"{case.unit.code}XK{case.number_year}{case.number_seq:05d}",
         valid_from=day(70), valid_until=day(70) + timedelta(days=5 * 365))
    close(case, 69)
    case = through_review(new("D08XK-SP-001", 150, "秦味坊食品有限公司", "新办食品经营许可(单位食堂)"), 149, 140)
    grant(case, 135, 130, closed=129)
    # Withdrawn by the applicant before the decision: every clock of the case stops.
    case = new("D08XK-SP-001", 8, "一品小厨餐饮店", "新办食品经营许可(小型餐饮)", kind="person")
    step(case, "accept", 7, outcome="accept")
    services.withdraw(case=case, actor=users["D08"], on=day(3), reason="申请人书面申请撤回(经营场所租赁合同解除)")
    # Heard at the applicant's request (第47条): told of the right, asked within five days, heard with a host who
    # did not review the case; the decision clock stood still meanwhile (第45条). Under review after the hearing.
    case = through_review(new("D01XK-CG-001", 50, "渭水砂石运输有限公司", "建筑垃圾处置核准(消纳场)"), 49, 45)
    user = users["D01"]
    services.hearing_right(case=case, actor=user, on=day(44))
    services.hearing_request(case=case, actor=user, on=day(42), requested_by="消纳场相邻村民委员会(利害关系人)")
    notice_on = deadline_compute("licence.hearing_notice", day(28)).due  # the latest day the law allows
    services.hearing_notice(case=case, actor=user, on=notice_on, hearing_on=day(28), place="区城市管理局听证室",
                            host=_officers_on(case.unit, day(28))[-1].pk)
    services.hearing_held(case=case, actor=user, on=day(28), record="利害关系人提出扬尘、噪声影响;申请人承诺设置围挡、喷淋并限定作业时段")
    # A major decision: the office's catalogue names the item; reviewed by the office (opinion attached), then
    # decided by the unit.
    case = through_review(new("D01XK-CG-002", 25, "曲江文化传播有限公司", "设置大型户外广告(楼顶,雁塔路)"), 24, 14)
    step_as(case, office, "legal_review", 10, outcome="pass", note="设置地点符合户外广告设置规划,结构安全论证结论明确,同意准予许可",
            files=[SimpleUploadedFile("法制审核意见书.pdf", PDF)])
    step(case, "decide", 8, outcome="grant")
    return made


def step_as(case, user, name, on, *, files=(), **data):
    """One step acted by `user` (the office's legal review), with its attachment."""
    t = timezone.localdate()
    run = services.case_run(case)
    body = MultiValueDict({"step": [name], "date": [(t - timedelta(days=on)).isoformat()], "version": [str(case.version)],
                           **{k: [v] for k, v in data.items()}})
    act = actions.act_parse(body, MultiValueDict({"files": list(files)}), steps.STEPS, run, actor=user)
    actions.act_perform(record_obj=case, run=run, act=act, actions=steps.STEPS, actor=user)
    case.refresh_from_db()
    return case


def _major_line(office, item) -> None:
    """The office's catalogue line making this item's licence decisions major (重大执法决定目录)."""
    from fazhi.enforcement.subjects import services as subject_services
    from fazhi.enforcement.subjects.models import MajorDecisionEntry

    title = f"{item.name}(涉及公共安全)"
    if not MajorDecisionEntry.objects.filter(unit=item.unit, title=title).exists():
        subject_services.entry_create(unit=item.unit, actor=office, data={
            "decision_kind": "licence", "title": title, "measures": [item.code], "amount_from": None,
            "basis": "国办发〔2018〕118号;本单位重大执法决定法制审核目录清单"})


def _officers_on(unit, on) -> list:
    """The unit's officers in post holding a certificate valid on `on`."""
    from fazhi.enforcement.subjects.models import Officer
    from fazhi.enforcement.subjects.rules import officer_refusal

    return [o for o in Officer.objects.filter(unit=unit, active=True).prefetch_related("certificates").order_by("id")
            if officer_refusal(o, on) is None]


def _inspectors(unit, on) -> list[str]:
    return [str(o.pk) for o in _officers_on(unit, on)[:2]]


def _records(case, user, on):
    """The case's required records (全过程记录), as the unit's officer enters them."""
    from datetime import datetime, time

    from fazhi.enforcement.records.rules import records_missing
    from fazhi.enforcement.records.services import record_add
    from fazhi.enforcement.subjects.models import Officer

    officer = Officer.objects.filter(unit=case.unit, active=True).order_by("id").first()
    at = timezone.make_aware(datetime.combine(on, time(10, 0)))
    for r in records_missing(case):
        name, content = ("现场.png", PNG) if r.kind == "av" else (f"{r.label}.pdf", PDF)
        record_add(case=case, step=r.step, kind=r.kind, file=SimpleUploadedFile(name, content), recorded_at=at,
                   place=f"{case.unit.name}政务服务窗口", officer=officer, note="", actor=user)
