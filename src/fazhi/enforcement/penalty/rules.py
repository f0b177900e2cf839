"""The rules of 行政处罚 cases, once, each with its basis: who may act, the case and decision numbers, the clocks
(every period through the deadline engine and catalogue), when a penalty qualifies for a hearing (第63条) or the
simplified procedure (第51条), on-the-spot collection (第68条/第69条), the late-payment surcharge (第72条), what
each step needs in which state, the closing outcomes, the records each step requires (全过程记录) and the four
rates' formulas."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from fazhi.core.scoping import scope_for
from fazhi.enforcement import review
from fazhi.enforcement.penalty.models import (
    CLOSED, DECIDED, EXECUTED, GENERAL, HEARING, INVESTIGATED, INVESTIGATING, NOTIFIED, PERSON, SERVED, SIMPLE,
    UNDONE_CLOSE, UNDONE_ENDS,
)

LAW = "《中华人民共和国行政处罚法》(2021年修订)"
PROCEDURES = {GENERAL: "penalty", SIMPLE: "penalty_simple"}
NUMBER_CODE = "罚立"  # 案号 城管局罚立〔2026〕12号: the unit's 代字, one series per unit and year of filing
DECISION_CODE = "罚决"  # 决定书文号 城管局罚决〔2026〕8号, per unit and year of the decision
EARLIEST_DATE = date(2000, 1, 1)

# ---------------------------------------------------------------- bases cited by the refusals
BASIS_HEARING = f"{LAW} 第63条、第64条"
BASIS_HEARING_LATE = f"{LAW} 第64条第1项(当事人要求听证的,应当在行政机关告知后五日内提出)"
BASIS_HEARING_NOTICE = f"{LAW} 第64条第2项(行政机关应当在举行听证的七日前,通知当事人及有关人员听证的时间、地点)"
BASIS_DECIDE = f"{LAW} 第60条(应当自立案之日起九十日内作出行政处罚决定;法律、法规、规章另有规定的,从其规定)"
BASIS_NOTICE = f"{LAW} 第44条、第45条(作出决定前告知拟作出的处罚内容及事实、理由、依据;不得因陈述、申辩而给予更重的处罚)"
BASIS_STATE = f"{LAW} 第62条(未告知或拒绝听取陈述、申辩的,不得作出行政处罚决定)"
BASIS_SIMPLE = f"{LAW} 第51条(违法事实确凿并有法定依据,对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告的,可以当场作出)"
BASIS_SIMPLE_OFFICER = f"{LAW} 第52条(执法人员当场作出行政处罚决定的,应当向当事人出示执法证件)"
BASIS_SEPARATION = f"{LAW} 第67条(作出罚款决定的行政机关应当与收缴罚款的机构分离;当事人应当到指定的银行或者通过电子支付系统缴纳罚款)"
BASIS_SPOT = f"{LAW} 第68条、第69条(可以当场收缴罚款的情形)"
BASIS_HANDOVER = f"{LAW} 第71条(当场收缴的罚款应当自收缴之日起二日内交至行政机关,行政机关二日内缴付指定银行)"
BASIS_SURCHARGE = f"{LAW} 第72条第1款第1项(到期不缴纳罚款的,每日按罚款数额的百分之三加处罚款,加处罚款的数额不得超出罚款的数额)"
BASIS_MAJOR = "国办发〔2018〕118号(重大执法决定法制审核制度:未经法制审核或者审核未通过的,不得作出决定);" + f"{LAW} 第58条"
BASIS_CLOSE = f"{LAW} 第72条、第73条(罚款未缴清且未依法申请强制执行或减免的,不得结案)"

# ---------------------------------------------------------------- thresholds (configurable, province sets)
# 第63条 较大数额罚款 / 没收较大数额违法所得、非法财物: the province fixes the amounts. Here the common provincial
# figures: a person from 10,000 元, a legal person or other organisation from 100,000 元 (configurable, province sets).
HEARING_AMOUNT = {PERSON: Decimal("10000"), "legal": Decimal("100000"), "other": Decimal("100000")}
# 第63条: the measures that qualify for a hearing whatever the amount.
HEARING_MEASURES = frozenset({"lower_qualification", "revoke_licence", "order_stop", "order_close",
                              "limit_production", "limit_practice"})
# 第51条: the simplified procedure's ceiling (fine or warning only).
SIMPLE_FINE_MAX = {PERSON: Decimal("200"), "legal": Decimal("3000"), "other": Decimal("3000")}
SIMPLE_MEASURES = frozenset({"warning", "fine"})
SURCHARGE_RATE = Decimal("0.03")  # 第72条: 3% of the fine a day

# 第68条/第69条: the only reasons a fine may be collected on the spot.
SPOT_REASONS = [
    ("small", "依法给予一百元以下罚款的(第68条第1项)"),
    ("hard_to_execute", "不当场收缴事后难以执行的(第68条第2项)"),
    ("remote", "在边远、水上、交通不便地区,当事人到指定银行或通过电子支付系统缴纳罚款确有困难,经当事人提出的(第69条)"),
]
SPOT_LABELS = dict(SPOT_REASONS)
SMALL_SPOT_MAX = Decimal("100")

# ---------------------------------------------------------------- clocks of a case
DECIDE, HEARING_REQUEST, HEARING_NOTICE, PAY_FINE, HAND_OVER, SEIZE = (
    "decide", "hearing_request", "hearing_notice", "pay_fine", "hand_over_cash", "seizure")
CLOCK_RULES = {DECIDE: "penalty.decide", HEARING_REQUEST: "penalty.hearing_request",
               HEARING_NOTICE: "penalty.hearing_notice", PAY_FINE: "penalty.pay_fine",
               HAND_OVER: "penalty.hand_over_cash", SEIZE: "penalty.seizure"}  # 查封扣押: one clock per act

# 行政强制法 第27条: how a 查封扣押 ends — released (第28条) or a decision on the property (没收, 销毁 …).
SEIZURE_ENDS = [("released", "解除查封、扣押(第28条)"), ("confiscated", "依法没收"), ("destroyed", "依法销毁"),
                ("other", "其他处理决定(第27条)")]
# 行政强制法 第12条、第四章: the organ's own coercive execution (现场执法: written and audio-visual records).
ENFORCE_KINDS = [("substitute", "代履行(第50条)"), ("demolish", "强制拆除(第44条)"),
                 ("transfer", "划拨存款、汇款(第47条)"), ("auction", "拍卖或者依法处理查封扣押的财物(第46条)"),
                 ("other", "其他强制执行方式(第12条)")]
BASIS_SEIZURE = "《中华人民共和国行政强制法》第22–28条(查封、扣押的期限不得超过三十日;情况复杂的,经行政机关负责人批准可以延长三十日)"
BASIS_ENFORCE = "《中华人民共和国行政强制法》第12条、第34–51条(行政机关强制执行)"
PUBLICIZE_RULE = "penalty.publicize"
RECONSIDERATION_RULE, LITIGATION_RULE = "reconsideration.apply", "litigation.file"


def clock_purpose(purpose: str, suffix: str = "") -> str:
    """Deadline.purpose of a case's clock (one per purpose; one per on-the-spot collection)."""
    return f"penalty:{purpose}" + (f":{suffix}" if suffix else "")


def today() -> date:
    return timezone.localdate()


# One series per unit (review #12), keyed by its pk (a changed unit code must not restart it — review #11 High 1;
# migration enforcement/0003 seeds these from the numbers issued before).
def number_series(unit) -> str:
    return f"penalty:{getattr(unit, 'pk', unit)}"


def decision_series(unit) -> str:
    return f"penalty-decision:{getattr(unit, 'pk', unit)}"


def case_number(unit, year: int, seq: int) -> str:
    from fazhi.core.gongwen import doc_number, organ_code

    return doc_number(year, seq, organ_code(unit) + NUMBER_CODE)


def decision_number(unit, year: int, seq: int) -> str:
    from fazhi.core.gongwen import doc_number, organ_code

    return doc_number(year, seq, organ_code(unit) + DECISION_CODE)


def money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- who may


def can_act(user, case_or_unit) -> bool:
    """The case's unit (its admins and staff) acts on its cases; the office may act on any (it supervises);
    leaders and inspectors only read."""
    unit = getattr(case_or_unit, "unit", case_or_unit)
    scope = scope_for(user)
    return scope.is_office or scope.acts_for(unit)


def can_register(user) -> bool:
    scope = scope_for(user)
    return scope.is_office or bool(scope.roles & {"unit_admin", "unit_staff"})


def sees_personal_data(user, case) -> bool:
    """Who reads the party's ID number, address and phone unmasked: those who act on the case."""
    return can_act(user, case)


# ---------------------------------------------------------------- the penalty


def hearing_qualifies(party_kind: str, measures, fine: Decimal | None, confiscation: Decimal | None) -> bool:
    """第63条: a penalty the party may ask a hearing on — a large fine or confiscation (the province's amounts),
    lowering a qualification, revoking a licence, stopping production or business, closing, limiting practice."""
    measures = set(measures or ())
    if measures & HEARING_MEASURES:
        return True
    threshold = HEARING_AMOUNT.get(party_kind, HEARING_AMOUNT["legal"])
    if "fine" in measures and fine is not None and fine >= threshold:
        return True
    confiscates = measures & {"confiscate_income", "confiscate_property"}
    return bool(confiscates and confiscation is not None and confiscation >= threshold)


def simple_refusal(party_kind: str, measures, fine: Decimal | None) -> str | None:
    """第51条: only a warning or a small fine may be decided on the spot."""
    measures = set(measures or ())
    if not measures or measures - SIMPLE_MEASURES:
        return f"当场处罚只能给予警告或罚款(依据:{BASIS_SIMPLE})"
    limit = SIMPLE_FINE_MAX.get(party_kind, SIMPLE_FINE_MAX["legal"])
    if "fine" in measures and (fine is None or fine <= 0):
        return "处罚种类含罚款的,请填写「罚款金额」"
    if "fine" in measures and fine > limit:
        who = "公民" if party_kind == PERSON else "法人或者其他组织"
        return (f"对{who}当场罚款不得超过 {limit} 元,本案 {fine} 元,请适用普通程序(依据:{BASIS_SIMPLE})")
    return None


def heavier(measures, fine, confiscation, *, was_measures, was_fine, was_confiscation) -> bool:
    """A decision heavier than what the notice told (a measure not told, or a larger amount)."""
    if set(measures or ()) - set(was_measures or ()):
        return True
    if fine is not None and (was_fine is None or fine > was_fine):
        return True
    return confiscation is not None and (was_confiscation is None or confiscation > was_confiscation)


def surcharge(fine: Decimal, due: date | None, paid_on: date) -> Decimal:
    """THE late-payment surcharge (加处罚款, 第72条): 3% of the fine for each day paid after the due date of
    `penalty.pay_fine` (paid on the day after the due date: one day), never more than the fine."""
    if due is None or paid_on <= due or not fine:
        return Decimal("0.00")
    days = (paid_on - due).days
    return money(min(Decimal(fine), Decimal(fine) * SURCHARGE_RATE * days))


def spot_refusal(reason: str, amount: Decimal, fine: Decimal | None, *, simplified: bool = True) -> str | None:
    """第68条's grounds (a fine up to 100 元, or hard to execute later) serve only a decision made on the spot under
    第51条; 第69条 (remote areas) serves any decision."""
    if reason not in SPOT_LABELS:
        return f"当场收缴罚款须选择法定事由:{'、'.join(SPOT_LABELS.values())}(依据:{BASIS_SPOT})"
    if reason != "remote" and not simplified:
        return ("普通程序作出的罚款决定只能依第69条(边远、水上、交通不便地区)当场收缴;第68条仅适用于依第51条当场作出的"
                f"处罚决定(依据:{BASIS_SPOT})")
    if reason == "small" and (fine or Decimal(0)) > SMALL_SPOT_MAX:
        return f"本案罚款 {fine} 元,超过一百元,不能以第68条第1项当场收缴(依据:{BASIS_SPOT})"
    return None


# ---------------------------------------------------------------- states


def is_open(case) -> bool:
    return case.status != CLOSED


def decision_ended(case) -> bool:
    """The decision was revoked or confirmed void: it is no longer served or executed; the case closes as such."""
    return case.decision_undone_kind in UNDONE_ENDS


def hearing_requested(case) -> bool:
    return case.hearing_requested_on is not None


def fine_due(case) -> Decimal:
    return (case.fine_amount or Decimal("0")) if "fine" in (case.measures or []) else Decimal("0")


def step_state_refusal(case, step: str, *, on: date, request_due: date | None, paid: Decimal) -> str | None:
    """Why `step` cannot be done now given the case's own state (None: it may). The procedure's gate checks the
    order of steps; this, what the law adds. The page shows it as 「暂不能办理」; the services refuse with it."""
    if step == "notify" and case.status != INVESTIGATED:
        return "请先完成「调查取证」" if case.status == INVESTIGATING else "已告知,不能再次告知"
    if step == "hearing":
        if not case.hearing_qualifies:
            return "拟作出的处罚不属于第63条规定的听证范围,无须听证"
        if not hearing_requested(case):
            return f"当事人尚未要求听证(应在告知后五日内提出,依据:{BASIS_HEARING_LATE});要求听证的,请先登记「当事人要求听证」"
        if case.hearing_notice_on is None:
            return f"请先「安排听证」并「送达听证通知」(依据:{BASIS_HEARING_NOTICE})"
    if step == "decide" and case.procedure_kind == GENERAL:
        if case.status not in (NOTIFIED, HEARING):
            return "请先完成「告知」"
        if hearing_requested(case) and case.hearing_on is None:
            return f"当事人已要求听证,须举行听证后方可作出决定(依据:{BASIS_HEARING})"
        if case.hearing_qualifies and not hearing_requested(case) and request_due is not None and on <= request_due:
            return (f"当事人要求听证的期限至 {request_due.isoformat()},期限届满前不能作出决定(依据:{BASIS_HEARING_LATE};"
                    f"{BASIS_STATE})")
        refusal = review.decide_refusal(case, None, on)  # the acting user is checked when the decision is made
        if refusal:
            return refusal
    if step in ("serve", "execute") and decision_ended(case):
        return ("处罚决定已被撤销或确认无效,不再送达、执行;请办理结案(结案情形「决定已撤销」,"
                "系统同时记录送达、执行不再办理)")
    if step == "serve" and case.status != DECIDED:
        return "请先作出处罚决定"
    if step == "execute" and case.status != SERVED:
        return "请先送达处罚决定书"
    if step == "close" and decision_ended(case):
        return None if case.status in (DECIDED, SERVED, EXECUTED) else "请先作出处罚决定"
    if step == "close" and case.status != EXECUTED:
        return "请先完成「执行」"
    return None


def close_refusal(case, *, paid: Decimal, outcome: str, note: str) -> str | None:
    """结案: the fine paid in full, or the execution otherwise ended as the law allows (申请法院强制执行, 减免,
    终结执行 — each with its explanation)."""
    from fazhi.enforcement.penalty.models import CLOSE_OUTCOMES, PERFORMED

    if outcome not in dict(CLOSE_OUTCOMES):
        return "请选择「结案情形」:" + "、".join(label for _, label in CLOSE_OUTCOMES)
    if decision_ended(case) != (outcome == UNDONE_CLOSE):
        if decision_ended(case):
            return "处罚决定已被撤销或确认无效,请选择结案情形「决定已撤销」"
        return "处罚决定未被撤销或确认无效,不能以「决定已撤销」结案"
    if outcome == UNDONE_CLOSE:
        return None  # the undoing act carries its document (decision_undone)
    owed = fine_due(case)
    if outcome == PERFORMED and paid < owed:
        return f"罚款 {owed} 元尚未缴清(已缴 {paid} 元),不能以「履行完毕」结案(依据:{BASIS_CLOSE})"
    if outcome != PERFORMED and not note.strip():
        return f"以「{dict(CLOSE_OUTCOMES)[outcome]}」结案的,请在说明中填写法院受理文书号、减免批准文书或终结执行的事实"
    return None


# ---------------------------------------------------------------- 全过程记录 (国办发〔2018〕118号)


def records_required(case) -> list:
    """Which steps of this case need which record: a written record for every step that produces a document,
    an audio-visual record for 现场检查(调查取证), 听证 and 送达, and — 国办发〔2018〕118号 三(三), the 全程音像记录 of
    查封扣押 and 强制执行 — for each 查封扣押 and each 行政机关强制执行 (代履行、强制拆除、划拨 …) the case recorded (not for
    申请人民法院强制执行 — a written application, no 现场执法: no AV). Read from the case's own fields only: the records pages ask it for a page of cases."""
    from fazhi.enforcement.records.registry import Requirement

    basis = "国办发〔2018〕118号 执法全过程记录制度"
    basis_av = "国办发〔2018〕118号 三(三)(查封扣押财产、强制执行等现场执法活动全程音像记录)"
    coercive = []
    for n in range(1, (case.seizure_count or 0) + 1):
        step, label = coercive_step(SEIZE_STEP, n), "查封扣押" + (f"(第{n}次)" if n > 1 else "")
        coercive += [Requirement(step, "written", label, basis), Requirement(step, "av", label, basis_av)]
    for n in range(1, (case.enforced_count or 0) + 1):
        step, label = coercive_step(ENFORCE_STEP, n), "行政机关强制执行" + (f"(第{n}次)" if n > 1 else "")
        coercive += [Requirement(step, "written", label, basis), Requirement(step, "av", label, basis_av)]
    if case.procedure_kind == SIMPLE:
        return [Requirement("decide", "written", "当场决定", basis), *coercive]
    found = [Requirement("investigate", "written", "调查取证", basis), Requirement("investigate", "av", "调查取证", basis),
             Requirement("notify", "written", "告知", basis)]
    if case.hearing_requested_on is not None:
        found += [Requirement("hearing", "written", "听证", basis), Requirement("hearing", "av", "听证", basis)]
    if case.decided_on is not None:
        found += [Requirement("serve", "written", "送达", basis), Requirement("serve", "av", "送达", basis)]
    return found + coercive


SEIZE_STEP = "seize"  # the records' step of a 查封扣押 (not a procedure step: an act that may happen at any time)
ENFORCE_STEP = "enforce"  # the records' step of a 行政机关强制执行 (行政强制法 第四章)


def coercive_step(base: str, n: int) -> str:
    """The records' step of the n-th 查封扣押 / 强制执行 act (the first keeps the bare code records already use)."""
    return base if n == 1 else f"{base}-{n}"


# ---------------------------------------------------------------- rates (核心公式各一处)

RATE_BASIS = ("工作方案 五(一)3–4;" + LAW + " 第42条、第60条、第63条、第64条;国办发〔2018〕118号(重大执法决定法制审核)")


def decided_q() -> Q:
    return Q(decided_on__isnull=False)


def on_time_q() -> Q:
    """按期: decided with the decide clock met (the simplified procedure is decided on the spot: on time)."""
    return Q(decision_late=False)


def hearing_qualified_q() -> Q:
    return Q(decided_on__isnull=False, hearing_qualifies=True)


def hearing_notified_q() -> Q:
    return Q(hearing_notified=True)


def major_q() -> Q:
    return review.major_q()


def reviewed_before_q() -> Q:
    return review.reviewed_before_q()


def officer_rows_q() -> Q:
    """Every officer put on a case (one taken off later still acted on it)."""
    return Q()


def certified_q() -> Q:
    """An officer row held a certificate valid on the case's filing date, as the certificates say NOW: a
    suspension or revocation entered later with an earlier effective date counts (review #14). The stored
    `certified` is what the system knew when the officer was put on the case."""
    return Q(certified_exists())


def certified_exists():
    """Per officer row: a certificate of the officer valid on the case's filing date exists (one EXISTS)."""
    from django.db.models import Exists, OuterRef

    from fazhi.enforcement.subjects.models import Certificate
    from fazhi.enforcement.subjects.rules import valid_on_q

    return Exists(Certificate.objects.filter(officer=OuterRef("officer_id")).filter(valid_on_q(OuterRef("case__filed_on"))))


STATUS_FLOW = (INVESTIGATING, INVESTIGATED, NOTIFIED, HEARING, DECIDED, SERVED, EXECUTED, CLOSED)
