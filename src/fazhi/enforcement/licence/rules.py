"""The rules of 行政许可, once, with their basis: who may edit items and act on cases, which item a case may be
opened for (许可法定), what each step may do in which state, the 第32条 rule of a late correction notice, which
records each step needs (全过程记录), the remedy notice of a denial, and the rates' formulas. Every period comes
from the deadline catalogue through the engine (services.py); nothing here counts days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from fazhi.core.scoping import scope_for
from fazhi.enforcement.licence.models import (
    CORRECTING, DECIDED, ENDED, GRANT, ITEM_PUBLISHED, PROVINCIAL_RULE, RECEIVED, REVIEWING, STATUSES, WITHDRAWN,
)

PROCEDURE = "licence"
LAW = "《中华人民共和国行政许可法》"
STATUS_LABELS = dict(STATUSES)
EARLIEST_DATE = date(2004, 7, 1)  # 行政许可法 in force: an earlier date is a typing error

# The clocks of a case: purpose → catalogue rule.
NOTIFY, DECIDE, CERTIFICATE = "notify", "decide", "certificate"
HEARING_REQUEST, HEARING = "hearing_request", "hearing"
CLOCK_RULES = {NOTIFY: "licence.notify_incomplete", DECIDE: "licence.decide", CERTIFICATE: "licence.issue_certificate",
               HEARING_REQUEST: "licence.hearing_request", HEARING: "licence.hearing"}
HEARING_NOTICE_RULE = "licence.hearing_notice"  # counted back from the hearing day: computed, not kept as a clock
PUBLICIZE_RULE = "licence.publicize"
EXTEND_RULE = "licence.extend"

BASIS_LEGALITY = f"{LAW} 第4条(设定和实施行政许可,应当依照法定的权限、范围、条件和程序)、第14条至第17条(只有法律、行政法规、地方性法规可以设定行政许可,省级政府规章可以设定临时性行政许可;其他规范性文件一律不得设定)"
BASIS_PUBLIC = f"{LAW} 第30条(行政许可的事项、依据、条件、数量、程序、期限以及需要提交的全部材料的目录和申请书示范文本等应当公示)"
BASIS_FEE = f"{LAW} 第58条(实施行政许可不得收取任何费用,但法律、行政法规另有规定的,依照其规定)"
BASIS_ONCE = f"{LAW} 第32条第1款第4项(一次告知申请人需要补正的全部内容)"
BASIS_DEEMED = f"{LAW} 第32条第1款第4项(逾期不告知的,自收到申请材料之日起即为受理)"
BASIS_EXTEND = f"{LAW} 第42条第1款(经本行政机关负责人批准,可以延长十日,并应当将延长期限的理由告知申请人)"
BASIS_CERTIFICATE = f"{LAW} 第44条(作出准予行政许可决定之日起十日内颁发、送达行政许可证件)"
BASIS_DENY = f"{LAW} 第38条第2款(作出不予行政许可的书面决定的,应当说明理由,并告知申请人享有依法申请行政复议或者提起行政诉讼的权利)"
BASIS_RECORDS = "国办发〔2018〕118号(执法全过程记录制度)"
BASIS_INSPECTION = (f"{LAW} 第34条第3款(根据法定条件和程序,需要对申请材料的实质内容进行核实的,行政机关应当指派两名以上工作人员"
                    f"进行核查);工作方案 五(一)3(持证上岗、亮证执法)")
BASIS_DECIDE = f"{LAW} 第42条(受理之日起二十日内作出决定,经本机关负责人批准可延长十日)"
BASIS_WITHDRAW = (f"{LAW} 第29条(申请人提出行政许可申请)、第32条;申请人可在行政机关作出决定前撤回申请,"
                  f"撤回后案件终结、期限停止计算")
BASIS_HEARING_46 = f"{LAW} 第46条(法律、法规、规章规定实施行政许可应当听证的事项,或者行政机关认为需要听证的其他涉及公共利益的重大行政许可事项,应当向社会公告,并举行听证)"
BASIS_HEARING_47 = (f"{LAW} 第47条(直接涉及申请人与他人之间重大利益关系的,在作出决定前应当告知申请人、利害关系人享有要求听证的权利;"
                    f"申请人、利害关系人在被告知听证权利之日起五日内提出听证申请的,行政机关应当在二十日内组织听证)")
BASIS_HEARING_48 = (f"{LAW} 第48条(举行听证的七日前将时间、地点通知申请人、利害关系人,必要时予以公告;听证主持人由审查该行政许可申请的"
                    f"工作人员以外的人员担任;行政机关应当根据听证笔录作出决定)")
BASIS_MAJOR = "国办发〔2018〕118号(重大执法决定法制审核制度)"
BASIS_HEARING_TIME = f"{LAW} 第45条(依法需要听证的,所需时间不计算在决定期限内)"


def number_series(unit, kind: str = "case") -> str:
    """The numbering series of a unit's 申请编号 (`case`) or 决定书文号 (`decision`), one per unit and year. Keyed by
    the unit code, as the counters already stored are: a new key would restart them and repeat numbers."""
    return {"case": "licence", "decision": "licence-decision"}[kind] + f":{unit.code}"


def case_number(unit, year: int, seq: int) -> str:
    """申请编号: the unit's 机关代字 + 许申〔年〕N号 — one series per unit and year (number_series(unit))."""
    from fazhi.core.gongwen import doc_number, organ_code

    return doc_number(year, seq, organ_code(unit) + "许申")


def decision_number(unit, year: int, seq: int) -> str:
    """决定书文号: 机关代字 + 许决〔年〕N号, one series per unit and year (number_series(unit, "decision"))."""
    from fazhi.core.gongwen import doc_number, organ_code

    return doc_number(year, seq, organ_code(unit) + "许决")


def remedy_text(case) -> str:
    """第38条第2款: a denial names the organ that decided it (the case's subject — the defendant in court) and the
    remedies; the reconsideration organ is the district government (行政复议法 第24条, remedies.notice)."""
    from fazhi.remedies.notice import remedy_notice

    return f"本决定由{case.subject.name}作出。" + remedy_notice(addressee="申请人", suspends_execution_note=False)


def clock_purpose(purpose: str) -> str:
    return f"{PROCEDURE}:{purpose}"


def today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- who may


def can_edit_item(user, unit) -> bool:
    """许可事项: the office, or the item's unit (its admins and staff). Leaders and inspectors read only."""
    scope = scope_for(user)
    return scope.is_office or scope.acts_for(unit)


def can_act(user, unit) -> bool:
    """A case: registered and handled by its unit (or the office entering it for the unit)."""
    scope = scope_for(user)
    return scope.is_office or scope.acts_for(unit)


def can_register_somewhere(user) -> bool:
    scope = scope_for(user)
    return scope.is_office or bool(scope.roles & {"unit_admin", "unit_staff"})


# ---------------------------------------------------------------- 许可法定: the item a case is opened for


def item_refusal(item, on: date) -> str | None:
    """Why no case may be opened for `item` on `on` (None: it may). Only an item registered in the published
    list, not withdrawn, may be applied for and granted."""
    if item is None:
        return f"请选择已公布的「许可事项」:没有列入许可事项目录的,不得实施行政许可(依据:{BASIS_LEGALITY})"
    if item.status != ITEM_PUBLISHED or item.published_on is None:
        return (f"许可事项「{item.name}」{item.get_status_display()},未在许可事项目录中公布实施,"
                f"不能受理该项许可申请(依据:{BASIS_LEGALITY};{BASIS_PUBLIC})")
    if item.published_on > on:
        return (f"许可事项「{item.name}」于 {item.published_on:%Y-%m-%d} 公布,收到申请之日 {on:%Y-%m-%d} 尚未公布实施"
                f"(依据:{BASIS_LEGALITY})")
    return None


def item_basis_problem(basis_kind: str, basis: str) -> str | None:
    """A licence is set only by the four levels of 第14–17条, naming the law and its article."""
    from fazhi.enforcement.licence.models import BASIS_KINDS

    if basis_kind not in dict(BASIS_KINDS):
        return (f"「设定依据类别」应为法律、行政法规、地方性法规或省级政府规章(临时性许可)之一;部门规章和其他规范性文件"
                f"不得设定行政许可(依据:{BASIS_LEGALITY})")
    if "第" not in basis or "条" not in basis:
        return "「设定依据」请写明法律、法规的名称和条款,如《中华人民共和国食品安全法》第三十五条"
    if basis_kind == PROVINCIAL_RULE and "临时" not in basis:
        return ("省级政府规章只能设定临时性行政许可(第15条,实施满一年需继续实施的应提请制定地方性法规):"
                "「设定依据」请注明「临时性行政许可」及规章的名称和条款")
    return None


# ---------------------------------------------------------------- states


def is_open(case) -> bool:
    return case.status not in ENDED


def may_materials_received(case) -> bool:
    """补正材料 arrive after the one notice; also after a late notice (the case is already deemed accepted)."""
    return case.correction_notice_on is not None and case.correction_received_on is None and case.status in (
        CORRECTING, REVIEWING)


def may_extend(case) -> bool:
    """Once (第42条: 可以延长十日), while the decision is pending."""
    return case.status == REVIEWING and not case.extended


def may_withdraw(case) -> bool:
    """撤回申请: while no decision is made (an ended case, or one decided, is not withdrawn)."""
    return case.status in (RECEIVED, CORRECTING, REVIEWING)


def hearing_pending(case) -> bool:
    """A hearing was requested or announced and has not been held: the decision waits for its record (第48条)."""
    return bool(case.hearing_kind) and case.hearing_held_on is None


def may_hearing_right(case) -> bool:
    """第47条: the right is told once, while the licence is under review and no hearing is under way."""
    return case.status == REVIEWING and not case.hearing_kind and case.hearing_right_on is None


def may_hearing_request(case) -> bool:
    return case.status == REVIEWING and case.hearing_right_on is not None and not case.hearing_kind


def may_hearing_notice(case) -> bool:
    """The notice of the hearing: after a request (第47条), or the organ's own hearing (第46条) while none is under
    way; a notice may be given again (a new date) until the hearing is held."""
    return case.status == REVIEWING and case.hearing_held_on is None


def may_hearing_held(case) -> bool:
    return case.status == REVIEWING and case.hearing_notice_on is not None and case.hearing_held_on is None


def acts_allowed(case) -> dict[str, bool]:
    return {"materials_received": may_materials_received(case), "extend": may_extend(case),
            "hearing_right": may_hearing_right(case), "hearing_request": may_hearing_request(case),
            "hearing_notice": may_hearing_notice(case), "hearing_held": may_hearing_held(case),
            "withdraw": may_withdraw(case)}


def hearing_decide_refusal(case, on: date, request_due: date | None) -> str | None:
    """The decision waits for the hearing (第48条: decided on its record), and for the 5 days in which the applicant
    and interested parties may ask for it once told of the right (第47条)."""
    if hearing_pending(case):
        return f"听证尚未举行:应当根据听证笔录作出行政许可决定(依据:{BASIS_HEARING_48})"
    if case.hearing_right_on is not None and not case.hearing_kind and request_due is not None and on <= request_due:
        return (f"申请人、利害关系人申请听证的期限至 {request_due.isoformat()} 届满,期满未申请的方可作出决定"
                f"(依据:{BASIS_HEARING_47})")
    return None


def hearing_host_refusal(host, inspection_ids) -> str | None:
    """第48条第1款第3项: the host is not one of the staff who reviewed the application (its 现场核查 officers)."""
    if host.pk in set(inspection_ids):
        return f"执法人员「{host.name}」参加了本案现场核查(审查该申请),不能主持听证(依据:{BASIS_HEARING_48})"
    return None


def major_measures(case) -> list[str]:
    """The codes a licence decision is judged major by in the unit's 重大执法决定目录 (decision_kind licence): the
    item code of the licence applied for — known at acceptance, so the judgment is made once, then."""
    return [case.item.code]


def major_measure_choices(unit, keep=()) -> list[tuple[str, str]]:
    """The licence codes a catalogue line of `unit` may name: that unit's own items (a case is judged by its unit's
    catalogue, so another unit's code could never match), not withdrawn — plus the codes in `keep` the line already
    names. None for no unit: nothing to offer yet."""
    from fazhi.enforcement.licence.models import ITEM_WITHDRAWN, LicenceItem

    if unit is None:
        return []
    rows = (LicenceItem.objects.filter(unit=unit).exclude(~Q(code__in=list(keep)), status=ITEM_WITHDRAWN)
            .order_by("code").values_list("code", "name"))
    return [(code, f"许可事项 {code} {name}") for code, name in rows]


def major_measures_unknown(unit, codes) -> list[str]:
    """The codes in `codes` that are not items of `unit` (a withdrawn item's code still is one)."""
    from fazhi.enforcement.licence.models import LicenceItem

    known = set(LicenceItem.objects.filter(unit=unit, code__in=list(codes)).values_list("code", flat=True))
    return [c for c in codes if c not in known]


def measure_labels(pairs) -> dict[tuple[int, str], str]:
    """(unit id, code) → the item's label, for catalogue lines of several units shown together (one query)."""
    from fazhi.enforcement.licence.models import LicenceItem

    pairs = list(pairs)
    if not pairs:
        return {}
    rows = LicenceItem.objects.filter(unit_id__in={u for u, _ in pairs}, code__in={c for _, c in pairs})
    return {(u, c): f"许可事项 {c} {n}" for u, c, n in rows.values_list("unit_id", "code", "name")}


def run_has_legal_review(run) -> bool:
    """Whether the case's procedure run (its definition version) has the 法制审核 step: a run started on an older
    version keeps it (procedures: a run never changes version) and has none."""
    from fazhi.procedures.selectors import run_specs

    return any(s.code == "legal_review" for s in run_specs(run))


def major_unjudged_text(case) -> str:
    """The page's statement of an accepted case left without the major judgment (major None)."""
    if case.accepted_on is None or case.major is not None:
        return ""
    return ("未作重大执法决定认定:本案受理时所用的办理流程版本没有「法制审核」步骤,无法按重大执法决定目录办理法制审核。"
            f"如本案属于本单位重大执法决定目录事项,请法制办核查并在决定前另行审核(依据:{BASIS_MAJOR})")


def step_refusal(case, step: str) -> str | None:
    """Why `step` cannot be done now for the case's state (None: it may): the page shows it instead of a form,
    the services refuse with it."""
    if step == "accept":
        if case.status == CORRECTING:
            return "申请人正在补正:请先在「案件事项办理」登记「收到补正材料」,再作受理决定"
        if case.status != RECEIVED:
            return f"案件{case.get_status_display()}:受理审查已办结,不能再次受理审查"
    elif step in ("review", "decide") and case.status != REVIEWING:
        return f"案件{case.get_status_display()}:只有已受理、尚未决定的案件才能{ {'review': '审查', 'decide': '作出决定'}[step] }"
    elif step == "legal_review":
        if case.status != REVIEWING:
            return f"案件{case.get_status_display()}:只有已受理、尚未决定的案件才能进行法制审核"
        if case.major is None:
            return major_unjudged_text(case) or "本案尚未受理,受理时认定是否属于重大执法决定"
        if not case.major:
            return "本案不属于本单位重大执法决定目录的许可决定,无须法制审核"
    elif step == "certificate":
        if case.status != DECIDED:
            return f"案件{case.get_status_display()}:作出准予许可决定后才能发证"
        if case.outcome != GRANT:
            return "不予许可的案件无须颁发许可证件,请直接「办结」"
    elif step == "close":
        if case.status != DECIDED:
            return f"案件{case.get_status_display()}:作出许可决定后才能办结"
        if case.outcome == GRANT and case.certificate_issued_on is None:
            return f"准予许可的,须先颁发、送达许可证件(「发证」)再办结(依据:{BASIS_CERTIFICATE})"
    return None


# ---------------------------------------------------------------- 第32条: a late correction notice


@dataclass(frozen=True)
class CorrectionEffect:
    late: bool
    deemed_accepted_on: date | None  # 第32条: accepted from the receipt of the materials
    text: str


def correction_effect(*, received_on: date, notice_on: date, notify_due: date) -> CorrectionEffect:
    """THE rule of 第32条 for a correction notice: on time (on or before the `licence.notify_incomplete` due date
    the engine gave) it stops the acceptance review until the materials arrive; late, the application is deemed
    accepted from the day the materials were received — the decision period runs from then, whatever the notice
    says."""
    if notice_on <= notify_due:
        return CorrectionEffect(False, None, f"已于 {notice_on:%Y-%m-%d} 一次告知需补正的全部内容,补正材料收到后重新审查是否受理")
    return CorrectionEffect(True, received_on,
                            f"补正告知日 {notice_on:%Y-%m-%d} 晚于告知期限 {notify_due:%Y-%m-%d}:依{BASIS_DEEMED},"
                            f"自收到申请材料之日 {received_on:%Y-%m-%d} 起视为受理,决定期限自该日起算")


def deemed_text(case) -> str:
    """The page's statement of a deemed acceptance (the same rule's words)."""
    if not case.deemed_accepted:
        return ""
    return (f"补正告知日 {case.correction_notice_on:%Y-%m-%d} 逾期:依{BASIS_DEEMED},"
            f"自收到申请材料之日 {case.received_on:%Y-%m-%d} 起视为受理,决定期限自该日起算")


# ---------------------------------------------------------------- remedy notice (第38条)


# ---------------------------------------------------------------- 全过程记录 (records registry)


def records_required(case) -> list:
    """Which records this case's steps need before 办结 (国办发〔2018〕118号): the acceptance's and the decision's
    written documents; a 现场核查 its written record (核查笔录) and its audio-visual record; a certificate its
    送达 record."""
    from fazhi.enforcement.records.registry import Requirement

    found = []
    if not (case.status == WITHDRAWN and case.accepted_on is None and case.correction_notice_on is None):
        # withdrawn before the acceptance was decided: no acceptance document was ever made
        found.append(Requirement(step="accept", kind="written", label="受理通知书或补正告知书",
                                 basis=f"{LAW} 第32条;{BASIS_RECORDS}"))
    if case.inspected:
        found.append(Requirement(step="review", kind="written", label="现场核查笔录", basis=f"{LAW} 第34条;{BASIS_RECORDS}"))
        found.append(Requirement(step="review", kind="av", label="现场核查音像记录", basis=BASIS_RECORDS))
    if case.hearing_held_on:
        found.append(Requirement(step="hearing", kind="written", label="听证笔录", basis=f"{LAW} 第48条;{BASIS_RECORDS}"))
        found.append(Requirement(step="hearing", kind="av", label="听证音像记录", basis=BASIS_RECORDS))
    if case.outcome:
        found.append(Requirement(step="decide", kind="written", label="行政许可决定书", basis=f"{LAW} 第37条、第38条;{BASIS_RECORDS}"))
    if case.certificate_issued_on:
        found.append(Requirement(step="certificate", kind="written", label="许可证件送达回证", basis=f"{LAW} 第44条;{BASIS_RECORDS}"))
    return found


# ---------------------------------------------------------------- rates (formulas once)

RATE_BASIS = f"工作方案 五(一)4(严格依照法定条件和程序实施行政许可);{LAW} 第32条、第42条、第82条"


def decided_q() -> Q:
    return Q(decided_on__isnull=False)


def on_time_q() -> Q:
    """Decided within `licence.decide` (an approved extension counted: the clock knows it)."""
    return Q(decision_late=False)


def notified_q() -> Q:
    """Incomplete applications: a correction notice was given."""
    return Q(correction_notice_on__isnull=False)


def notified_once_q() -> Q:
    """Notified once, all at once, within `licence.notify_incomplete` (the notice cannot be repeated)."""
    return Q(correction_notice_late=False)


def major_decided_q() -> Q:
    from fazhi.enforcement import review

    return review.major_q()


def reviewed_before_q() -> Q:
    from fazhi.enforcement import review

    return review.reviewed_before_q()


def overdue_statuses() -> tuple[str, ...]:
    return (RECEIVED, REVIEWING, DECIDED)

