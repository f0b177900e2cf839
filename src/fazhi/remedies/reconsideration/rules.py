"""The rules of 行政复议 cases, once: who may act, the case number, the clocks each act drives (every period
through the deadline engine), the statutory reasons of 中止 and 终止, what may be done in which state, and the
two rates' formulas."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from fazhi.core.scoping import scope_for
from fazhi.remedies.reconsideration.models import (
    CORRECTING, CORRECTING_OUTCOMES, DECIDED, DECISION_OUTCOMES, ENDED, HEARING, NORMAL, REVIEWING, SIMPLE,
    STATUSES, SUSPENDED,
)

PROCEDURE = "reconsideration"
NUMBER_SERIES = "reconsideration"
# 机关代字 of the case number: 区政复〔2026〕12号 (the district government decides as 复议机关).
NUMBER_CODE = "区政复"
# Who may be a 被申请人 here: the district's administrative organs (行政复议法(2023) 第24条: the district
# government reviews its departments' and the towns' acts); not the programme's bodies (领导小组, 办公室, 督查室) nor
# internal sections (股室, which act in their organ's name), nor the government itself (reviewed by the city).
RESPONDENT_KINDS = ("department", "subdistrict", "town", "other")
STATUS_LABELS = dict(STATUSES)
LAW = "《中华人民共和国行政复议法》(2023年修订)"

# What each decision says and the article it rests on (行政复议法(2023) 第63–69条, as recalled — 请法制机构核对);
# `{act}` is the act under review. The decision letter (exports.py) reads it; 调解 has its own 调解书 (第73条).
DECISION_CLAUSES = {
    "maintain": ("第六十八条", "维持被申请人作出的{act}"),
    "vary": ("第六十三条", "变更被申请人作出的{act}"),
    "revoke": ("第六十四条", "撤销被申请人作出的{act}"),
    "confirm_illegal": ("第六十五条", "确认被申请人作出的{act}违法"),
    "order_perform": ("第六十六条", "责令被申请人在法定期限内履行法定职责"),
    "confirm_void": ("第六十七条", "确认被申请人作出的{act}无效"),
    "dismiss": ("第六十九条", "驳回申请人的行政复议请求"),
}

# The clocks of a case: purpose (one clock each on the case) → rule by procedure kind.
ACCEPT, CORRECTION, SEND_COPY, REPLY, DECIDE = "accept", "correction", "send_copy", "reply", "decide"
HEARING_NOTICE = "hearing_notice"  # counted back from the planned hearing: the latest day to notify
CLOCK_RULES = {
    ACCEPT: {"": "reconsideration.accept"},
    CORRECTION: {"": "reconsideration.correction"},
    SEND_COPY: {NORMAL: "reconsideration.send_copy", SIMPLE: "reconsideration.send_copy_simple"},
    REPLY: {NORMAL: "reconsideration.reply", SIMPLE: "reconsideration.reply_simple"},
    DECIDE: {NORMAL: "reconsideration.decide", SIMPLE: "reconsideration.decide_simple"},
    HEARING_NOTICE: {"": "reconsideration.hearing_notice"},
}
APPLY_RULE = "reconsideration.apply"
CORRECTION_NOTICE_RULE = "reconsideration.correction_notice"
HEARING_NOTICE_RULE = "reconsideration.hearing_notice"
LITIGATION_RULE = "litigation.file_after_reconsideration"


def clock_rule(purpose: str, kind: str = "") -> str:
    rules = CLOCK_RULES[purpose]
    return rules[""] if "" in rules else rules[kind or NORMAL]


def clock_purpose(purpose: str) -> str:
    """Deadline.purpose of a case's clock (one per purpose)."""
    return f"{PROCEDURE}:{purpose}"


# 行政复议法 第39条第1款: the grounds of 中止 (条文以法律文本为准,请法制机构核对).
SUSPEND_REASONS = [
    ("death", "作为申请人的公民死亡,其近亲属尚未确定是否参加行政复议(第39条第1款第1项)"),
    ("incapacity", "作为申请人的公民丧失参加行政复议的行为能力,尚未确定法定代理人(第39条第1款第2项)"),
    ("missing", "作为申请人的公民下落不明(第39条第1款第3项)"),
    ("dissolved", "作为申请人的法人或者其他组织终止,尚未确定权利义务承受人(第39条第1款第4项)"),
    ("force_majeure", "申请人、被申请人因不可抗力或者其他正当理由,不能参加行政复议(第39条第1款第5项)"),
    ("mediation", "依法进行调解、和解,申请人和被申请人同意中止(第39条第1款第6项)"),
    ("interpretation", "案件涉及的法律适用问题需要有权机关作出解释或者确认(第39条第1款第7项)"),
    ("other_case", "案件审理需要以其他案件的审理结果为依据,而其他案件尚未审结(第39条第1款第8项)"),
    ("norm_review", "申请人一并提出或者复议机关发现需要处理的规范性文件、依据(第39条第1款第9项,第56条、第57条)"),
    ("other", "需要中止行政复议的其他情形(第39条第1款第10项)"),
]
# 第41条: the grounds of 终止; 和解 ends a case through the applicant's withdrawal (第74条).
TERMINATE_REASONS = [
    ("withdrawn", "申请人撤回行政复议申请,行政复议机构准予撤回(第41条第1项)"),
    ("settled", "当事人达成和解,申请人撤回行政复议申请(第74条、第41条第1项)"),
    ("death", "作为申请人的公民死亡,没有近亲属或者其近亲属放弃行政复议权利(第41条第2项)"),
    ("dissolved", "作为申请人的法人或者其他组织终止,没有权利义务承受人或者其承受人放弃行政复议权利(第41条第3项)"),
    ("criminal", "申请人对行政拘留或者限制人身自由的行政强制措施不服申请复议后,因同一违法行为涉及的刑事案件进入刑事诉讼程序(第41条第4项)"),
    ("suspension_60", "依照第39条第1款第1项、第2项、第4项中止满六十日,中止原因仍未消除(第41条第5项)"),
]
SUSPEND_LABELS, TERMINATE_LABELS = dict(SUSPEND_REASONS), dict(TERMINATE_REASONS)
EXTEND_APPROVER_HINT = "行政复议机构负责人"
EXTEND_BASIS = f"{LAW} 第62条第1款"
REPLY_LATE_REASON = "被申请人逾期未答复(行政复议法第70条)"


def today() -> date:
    return timezone.localdate()


def case_number(year: int, seq: int) -> str:
    from fazhi.core.gongwen import doc_number

    return doc_number(year, seq, NUMBER_CODE)


# ---------------------------------------------------------------- who may


def is_office(user) -> bool:
    return scope_for(user).is_office


def can_register(user) -> bool:
    """The office (复议机构) registers and edits cases and acts on every step but the respondent's reply."""
    return scope_for(user).is_office


def can_act(user) -> bool:
    return scope_for(user).is_office


# ---------------------------------------------------------------- states


def is_open(case) -> bool:
    return case.status not in ENDED


def accepted(case) -> bool:
    return case.accepted_on is not None


def may_review(case) -> bool:
    """受理审查 (受理、不予受理、通知补正) only while under review: a second 受理 would restart the decision clock."""
    return case.status == REVIEWING


def may_request_correction(case) -> bool:
    """补正 is notified once, all at once (第31条: 一次性告知): never again after the material came in."""
    return may_review(case) and case.correction_notice_on is None


def may_send_copy(case) -> bool:
    """The copy goes once (第48条): sending it again would reopen the reply clock."""
    return case.status in (HEARING, SUSPENDED) and case.copy_sent_on is None


def may_reply(case) -> bool:
    return case.status in (HEARING, SUSPENDED) and case.copy_sent_on is not None and case.reply_on is None


def may_decide(case, reply_due: date | None, on: date) -> bool:
    """第70条: the decision waits for the reply, unless the reply period has passed without it (the act is then
    treated as having no evidence)."""
    if case.status != HEARING:
        return False
    return case.reply_on is not None or (reply_due is not None and on > reply_due)


def may_withdraw(case, correction_due: date | None, on: date) -> bool:
    """视为撤回 only once the correction period has passed with no material (第31条第2款)."""
    return case.status == CORRECTING and correction_due is not None and on > correction_due


def may_schedule_hearing(case) -> bool:
    """安排听证 (again, to move it) while the case is heard and the hearing has not taken place."""
    return case.status == HEARING and case.hearing_on is None


def may_send_hearing_notice(case) -> bool:
    """送达听证通知 once a hearing is planned and before it is held (第51条: 五个工作日前书面通知)."""
    return may_schedule_hearing(case) and case.hearing_planned_on is not None and case.hearing_notice_on is None


def may_suspend(case) -> bool:
    return case.status == HEARING


def may_resume(case) -> bool:
    return case.status == SUSPENDED


def may_extend(case) -> bool:
    return case.status in (HEARING, SUSPENDED) and case.procedure_kind == NORMAL


def may_terminate(case) -> bool:
    return case.status in (REVIEWING, CORRECTING, HEARING, SUSPENDED)


def may_receive_correction(case) -> bool:
    return case.status == CORRECTING


def acts_allowed(case, correction_due: date | None, on: date) -> dict[str, bool]:
    """Each case act (forms.ACT_FORMS) → whether it may be taken now: the page offers these, the services check
    the same rules."""
    return {"correction_received": may_receive_correction(case), "withdraw": may_withdraw(case, correction_due, on),
            "schedule_hearing": may_schedule_hearing(case), "hearing_notice": may_send_hearing_notice(case),
            "suspend": may_suspend(case), "resume": may_resume(case), "extend": may_extend(case),
            "terminate": may_terminate(case)}


def late_application(case) -> bool:
    """Applied after the 60 days from knowing of the act (第20条): flagged, decided at acceptance."""
    return case.apply_due is not None and case.applied_on > case.apply_due


# ---------------------------------------------------------------- rates (核心公式各一处)

RATE_BASIS = "工作方案 五(一)6:提高行政复议案件办理质量和效率;" + LAW + " 第62条、第63条至第73条"


def decided_q() -> Q:
    """"Decided": a 复议决定 made (the eight decision outcomes); 终止 and 不予受理 are not decisions."""
    return Q(status=DECIDED, outcome__in=[o for o, _ in DECISION_OUTCOMES])


def corrected_q() -> Q:
    """纠错: 变更、撤销、确认违法、责令履行、确认无效."""
    return Q(outcome__in=CORRECTING_OUTCOMES)


def on_time_q() -> Q:
    """结案及时: the decide clock closed on time (an approved extension counted: the clock knows it)."""
    return Q(decision_late=False)

