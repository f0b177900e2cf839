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
    CORRECTING, DECIDED, ENDED, GRANT, ITEM_PUBLISHED, PROVINCIAL_RULE, RECEIVED, REVIEWING, STATUSES,
)

PROCEDURE = "licence"
LAW = "《中华人民共和国行政许可法》"
STATUS_LABELS = dict(STATUSES)
EARLIEST_DATE = date(2004, 7, 1)  # 行政许可法 in force: an earlier date is a typing error

# The clocks of a case: purpose → catalogue rule.
NOTIFY, DECIDE, CERTIFICATE = "notify", "decide", "certificate"
CLOCK_RULES = {NOTIFY: "licence.notify_incomplete", DECIDE: "licence.decide", CERTIFICATE: "licence.issue_certificate"}
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


def acts_allowed(case) -> dict[str, bool]:
    return {"materials_received": may_materials_received(case), "extend": may_extend(case)}


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

    found = [Requirement(step="accept", kind="written", label="受理通知书或补正告知书", basis=f"{LAW} 第32条;{BASIS_RECORDS}")]
    if case.inspected:
        found.append(Requirement(step="review", kind="written", label="现场核查笔录", basis=f"{LAW} 第34条;{BASIS_RECORDS}"))
        found.append(Requirement(step="review", kind="av", label="现场核查音像记录", basis=BASIS_RECORDS))
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


def overdue_statuses() -> tuple[str, ...]:
    return (RECEIVED, REVIEWING, DECIDED)

