"""Forms of 行政复议 cases: the case (register and edit), the extra fields of some steps (procedures.actions
extras), the case acts outside the step chain, and the list's filters. The services check the rules again."""

from django import forms

from fazhi.core.forms import DateInput, MultipleFileField
from fazhi.remedies.reconsideration import rules
from fazhi.remedies.reconsideration.models import APPLICANT_KINDS, OUTCOMES, PROCEDURE_KINDS, STATUSES

DATE = DateInput()
APPLICANT_ROWS, THIRD_PARTY_ROWS = 3, 2


def _party_fields(prefix: str, label: str, rows: int, first_required: bool) -> dict:
    fields = {}
    for i in range(1, rows + 1):
        fields[f"{prefix}{i}_name"] = forms.CharField(label=f"{label}{i} 姓名或名称", max_length=100, required=False,
                                                     help_text="必填" if first_required and i == 1 else "")
        fields[f"{prefix}{i}_kind"] = forms.ChoiceField(label=f"{label}{i} 类型", choices=APPLICANT_KINDS, required=False)
        fields[f"{prefix}{i}_contact"] = forms.CharField(label=f"{label}{i} 联系方式", max_length=100, required=False)
    return fields


class CaseForm(forms.Form):
    """登记 / 修改: parties, the challenged act, the dates; applicants and third parties as fixed rows (the API
    takes lists of any length)."""

    unit = forms.ChoiceField(label="被申请人", choices=())
    act_name = forms.CharField(label="被申请复议的行政行为", max_length=200, help_text="如 行政处罚决定、不予许可决定")
    act_number = forms.CharField(label="行政行为文书号", max_length=100, required=False)
    act_date = forms.DateField(label="行政行为作出日期", required=False, widget=DATE)
    known_on = forms.DateField(label="申请人知道该行政行为之日", required=False, widget=DATE,
                               help_text="填写后核对六十日的申请期限(第20条)")
    applied_on = forms.DateField(label="申请日期", widget=DATE)
    received_on = forms.DateField(label="收到申请日期", widget=DATE, help_text="受理审查期限自此日起算")
    request = forms.CharField(label="申请请求", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    grounds = forms.CharField(label="事实和理由", max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "请选择"), *((u.code, u.display_name) for u in units)]
        for name, f in {**_party_fields("applicant", "申请人", APPLICANT_ROWS, True),
                        **_party_fields("third", "第三人", THIRD_PARTY_ROWS, False)}.items():
            self.fields[name] = f
        self.order_fields(["unit", *(n for n in self.fields if n.startswith("applicant")),
                           *(n for n in self.fields if n.startswith("third"))])

    def parties(self, prefix: str, rows: int) -> list[dict]:
        found = []
        for i in range(1, rows + 1):
            name = (self.cleaned_data.get(f"{prefix}{i}_name") or "").strip()
            if name:
                found.append({"name": name, "kind": self.cleaned_data.get(f"{prefix}{i}_kind") or "person",
                              "contact": (self.cleaned_data.get(f"{prefix}{i}_contact") or "").strip()})
        return found

    def data_for_service(self) -> dict:
        c = self.cleaned_data
        return {"unit": c["unit"], "applicants": self.parties("applicant", APPLICANT_ROWS),
                "third_parties": self.parties("third", THIRD_PARTY_ROWS),
                **{k: c.get(k) for k in ("act_name", "act_number", "act_date", "known_on", "applied_on",
                                         "received_on", "request", "grounds")}}

    @staticmethod
    def initial_from(case) -> dict:
        initial = {k: getattr(case, k) for k in ("act_name", "act_number", "act_date", "known_on", "applied_on",
                                                 "received_on", "request", "grounds")}
        initial.update(unit=case.unit.code, version=case.version)
        for prefix, parties in (("applicant", case.applicants), ("third", case.third_parties)):
            for i, p in enumerate(parties or [], 1):
                initial.update({f"{prefix}{i}_name": p.get("name", ""), f"{prefix}{i}_kind": p.get("kind", "person"),
                                f"{prefix}{i}_contact": p.get("contact", "")})
        return initial


# ---------------------------------------------------------------- the steps' extra fields


class AcceptExtra(forms.Form):
    procedure_kind = forms.ChoiceField(label="审理程序", choices=[("", "请选择"), *PROCEDURE_KINDS], required=False,
                                       help_text="受理时必选(简易程序见第53条)")
    notice_received_on = forms.DateField(label="申请人收到补正通知日期", required=False, widget=DATE,
                                         help_text="通知补正时必填;补正期限自此日起算")


class SendCopyExtra(forms.Form):
    copy_received_on = forms.DateField(label="被申请人收到副本日期", required=False, widget=DATE,
                                       help_text="必填;答复期限自此日起算")


class ReplyExtra(forms.Form):
    reply_letter = forms.FileField(label="答复书", required=False, help_text="必须上传")
    evidence = MultipleFileField(label="证据、依据和其他有关材料", required=False, help_text="必须上传,可多个")


class HearingExtra(forms.Form):
    hearing_place = forms.CharField(label="听证地点", max_length=200, required=False, help_text="必填;办理日期即听证日期")
    notice_on = forms.DateField(label="听证通知日期", required=False, widget=DATE,
                                help_text="书面通知当事人之日(应在听证五个工作日前)")
    leader_attended = forms.ChoiceField(label="被申请人负责人是否参加", required=False,
                                        choices=[("", "请选择"), ("yes", "参加"), ("no", "未参加")])
    leader_name = forms.CharField(label="参加的负责人姓名", max_length=60, required=False)
    leader_post = forms.CharField(label="负责人职务", max_length=60, required=False)
    absence_reason = forms.CharField(label="负责人未参加的原因", max_length=500, required=False)


class DecideExtra(forms.Form):
    facts = forms.CharField(label="查明事实", max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="必填;写入行政复议决定书")
    reasoning = forms.CharField(label="决定理由", max_length=20000, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="必填;写入行政复议决定书(调解结案的,填写调解协议的内容,写入行政复议调解书)")


# ---------------------------------------------------------------- case acts (outside the step chain)


class _ActForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1,
                                 error_messages={"required": "缺少版本号,请刷新页面后重试"})


class CorrectionReceivedForm(_ActForm):
    on = forms.DateField(label="收到补正材料日期", widget=DATE, help_text="受理审查期限自此日重新计算")


class WithdrawForm(_ActForm):
    on = forms.DateField(label="认定日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=2000, required=False)


class SuspendForm(_ActForm):
    on = forms.DateField(label="中止日期", widget=DATE)
    reason = forms.ChoiceField(label="中止事由", choices=[("", "请选择"), *rules.SUSPEND_REASONS])
    note = forms.CharField(label="说明", max_length=2000, required=False)


class ScheduleHearingForm(_ActForm):
    on = forms.DateField(label="拟听证日期", widget=DATE, help_text="最迟通知日自此日倒数五个工作日(第51条),列入期限")
    place = forms.CharField(label="听证地点", max_length=200)


class HearingNoticeForm(_ActForm):
    on = forms.DateField(label="书面通知当事人日期", widget=DATE)


class ResumeForm(_ActForm):
    on = forms.DateField(label="恢复审理日期", widget=DATE, help_text="自此日起恢复计算审理期限")


class ExtendForm(_ActForm):
    days = forms.IntegerField(label="延长日数", min_value=1, max_value=3650, help_text="最长三十日(第62条第1款)")
    approver = forms.CharField(label="批准人(行政复议机构负责人)", max_length=60)
    basis = forms.CharField(label="延长理由及依据", max_length=300, initial=rules.EXTEND_BASIS)
    notified_on = forms.DateField(label="书面告知当事人日期", widget=DATE)


class TerminateForm(_ActForm):
    on = forms.DateField(label="终止日期", widget=DATE)
    reason = forms.ChoiceField(label="终止事由", choices=[("", "请选择"), *rules.TERMINATE_REASONS])
    note = forms.CharField(label="说明", max_length=2000, required=False)


ACT_FORMS = {"correction_received": CorrectionReceivedForm, "withdraw": WithdrawForm, "suspend": SuspendForm,
             "resume": ResumeForm, "extend": ExtendForm, "terminate": TerminateForm,
             "schedule_hearing": ScheduleHearingForm, "hearing_notice": HearingNoticeForm}


class FilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *STATUSES])
    unit = forms.CharField(label="被申请人(单位代码)", required=False, max_length=32)
    year = forms.IntegerField(label="收案年份", required=False, min_value=1949, max_value=9999)
    outcome = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), *OUTCOMES])
