"""Forms of 行政处罚 cases: the case (register and edit), the extra fields of some steps (procedures.actions
extras), the case acts (officers, hearing, payments) and the list's filters. The services check the rules again."""

from django import forms

from fazhi.core.forms import DateInput
from fazhi.enforcement.penalty import rules
from fazhi.enforcement.penalty.models import (
    CHANNELS, OFFICER_ROLES, PARTY_KINDS, PENALTY_MEASURES, PROCEDURE_KINDS, SOURCES, STATUSES, UNDONE_KINDS,
)

DATE = DateInput()
TEXT = forms.Textarea(attrs={"rows": 2})


class CaseForm(forms.Form):
    """立案 / 修改案件信息."""

    procedure_kind = forms.ChoiceField(label="程序", choices=PROCEDURE_KINDS, initial="general",
                                       help_text="简易程序仅限第51条:警告,或对公民二百元、对组织三千元以下罚款")
    subject = forms.ChoiceField(label="执法主体", choices=(), help_text="本单位经审查合格并已公告的执法主体")
    key_area = forms.ChoiceField(label="执法领域", choices=())
    source = forms.ChoiceField(label="案件来源", choices=SOURCES)
    cause = forms.CharField(label="案由", max_length=200)
    found_on = forms.DateField(label="发现日期", widget=DATE)
    filed_on = forms.DateField(label="立案日期", widget=DATE, help_text="办案期限(第60条)自此日起算")
    party_name = forms.CharField(label="当事人", max_length=100)
    party_kind = forms.ChoiceField(label="当事人类型", choices=PARTY_KINDS)
    party_id_number = forms.CharField(label="身份证件号码或统一社会信用代码", max_length=40, required=False)
    party_address = forms.CharField(label="住所或地址", max_length=200, required=False)
    party_phone = forms.CharField(label="联系电话", max_length=40, required=False)
    officers = forms.MultipleChoiceField(label="承办人员", choices=(), required=False,
                                         help_text="须持有立案日有效的执法证件;调查取证须两名以上(第42条)")
    facts = forms.CharField(label="违法事实", max_length=20000, required=False, widget=TEXT)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, subjects=(), key_areas=(), officers=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", "请选择"), *((str(s.pk), f"{s.name}({s.unit.display_name})")
                                                          for s in subjects)]
        self.fields["key_area"].choices = [("", "请选择"), *((k.code, k.name) for k in key_areas)]
        self.fields["officers"].choices = [(str(o.pk), f"{o.name}({o.unit.display_name})") for o in officers]
        if editing:
            for name in ("procedure_kind", "subject", "filed_on", "officers"):
                del self.fields[name]
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = "缺少版本号,请刷新页面后重新修改"

    def data_for_service(self) -> dict:
        c = dict(self.cleaned_data)
        c.pop("version", None)
        if "officers" in c:
            c["officers"] = [int(v) for v in c["officers"]]
        if "subject" in c:
            c["subject"] = int(c["subject"])
        return c

    @staticmethod
    def initial_from(case) -> dict:
        fields = ("source", "cause", "found_on", "party_name", "party_kind", "party_id_number", "party_address",
                  "party_phone", "facts")
        return {**{f: getattr(case, f) for f in fields}, "key_area": case.key_area.code, "version": case.version}


# ---------------------------------------------------------------- the steps' extra fields


class StepVersion(forms.Form):
    """Every step of a case posts the case version it saw (review #18): a stale act is refused (409), a missing
    version named (400). The case page fills it in (views.CaseDetailView)."""

    version = forms.IntegerField(label="版本号", widget=forms.HiddenInput, required=False, min_value=0,
                                 max_value=2**31 - 1)


class InvestigateExtra(StepVersion):
    facts = forms.CharField(label="违法事实", max_length=20000, required=False, widget=TEXT, help_text="必填")
    evidence = forms.CharField(label="证据摘要", max_length=20000, required=False, widget=TEXT, help_text="必填")
    basis_violation = forms.CharField(label="违法依据", max_length=5000, required=False, help_text="必填:违反的法律条款")


class NotifyExtra(StepVersion):
    measures = forms.MultipleChoiceField(label="拟处罚种类", choices=PENALTY_MEASURES, required=False,
                                         widget=forms.CheckboxSelectMultiple, help_text="必选(第9条)")
    fine_amount = forms.DecimalField(label="拟罚款金额(元)", required=False, min_value=0, max_digits=14,
                                     decimal_places=2)
    confiscation_amount = forms.DecimalField(label="拟没收金额(元)", required=False, min_value=0, max_digits=14,
                                             decimal_places=2)
    basis_penalty = forms.CharField(label="处罚依据", max_length=5000, required=False, help_text="必填")


class HearingExtra(StepVersion):
    # The case page fills the choices: the unit's officers not on the case (views.CaseDetailView).
    host = forms.IntegerField(label="听证主持人", required=False, min_value=1, max_value=2**62, widget=forms.Select,
                              help_text="必填:本单位执法人员中非本案调查人员(第64条第4项);办理日期即听证日期")


class LegalReviewExtra(StepVersion):
    opinion = forms.CharField(label="审核意见", max_length=5000, required=False, widget=TEXT,
                              help_text="必填;审核人为当前登录的法制办人员,请附法制审核意见书")


class DecideExtra(StepVersion):
    measures = forms.MultipleChoiceField(label="处罚种类", choices=PENALTY_MEASURES, required=False,
                                         widget=forms.CheckboxSelectMultiple,
                                         help_text="不选则为告知的处罚;不得重于告知的处罚(第45条)")
    fine_amount = forms.DecimalField(label="罚款金额(元)", required=False, min_value=0, max_digits=14, decimal_places=2,
                                     help_text="不填则为告知的金额")
    confiscation_amount = forms.DecimalField(label="没收金额(元)", required=False, min_value=0, max_digits=14,
                                             decimal_places=2)
    late_reason = forms.CharField(label="超期作出决定的理由", max_length=300, required=False,
                                  help_text="办案期限届满后作出决定的必填(如 经负责人批准延期及其文号,第60条)")


class SimpleDecideExtra(StepVersion):
    measures = forms.MultipleChoiceField(label="处罚种类", choices=[("warning", "警告"), ("fine", "罚款")],
                                         required=False, widget=forms.CheckboxSelectMultiple, help_text="必选(第51条)")
    fine_amount = forms.DecimalField(label="罚款金额(元)", required=False, min_value=0, max_digits=14, decimal_places=2,
                                     help_text="公民二百元以下,法人或者其他组织三千元以下")
    facts = forms.CharField(label="违法事实", max_length=20000, required=False, widget=TEXT, help_text="必填")
    basis_penalty = forms.CharField(label="处罚依据", max_length=5000, required=False, help_text="必填")


# ---------------------------------------------------------------- case acts


class _ActForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1,
                                 error_messages={"required": "缺少版本号,请刷新页面后重试"})


class OfficerAddForm(_ActForm):
    officer = forms.TypedChoiceField(label="执法人员", choices=(), coerce=int)
    role = forms.ChoiceField(label="分工", choices=OFFICER_ROLES, initial="assist")
    on = forms.DateField(label="承办日期", widget=DATE, required=False, help_text="不填为今天;须持有该日有效的执法证件")

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [("", "请选择"), *((o.pk, o.name) for o in officers)]


class OfficerRemoveForm(_ActForm):
    row = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    on = forms.DateField(label="调离日期", widget=DATE, required=False)
    reason = forms.CharField(label="调离原因", max_length=300)


class HearingRequestForm(_ActForm):
    on = forms.DateField(label="当事人要求听证日期", widget=DATE, help_text="告知后五日内(第64条第1项)")


class HearingScheduleForm(_ActForm):
    on = forms.DateField(label="拟听证日期", widget=DATE, help_text="最迟通知日自此日倒数七日(第64条第2项),列入期限")
    place = forms.CharField(label="听证地点", max_length=200)


class HearingNoticeForm(_ActForm):
    on = forms.DateField(label="送达听证通知日期", widget=DATE)


class PaymentForm(_ActForm):
    amount_paid = forms.DecimalField(label="缴纳罚款(元)", min_value=0, max_digits=14, decimal_places=2)
    paid_on = forms.DateField(label="缴款日期", widget=DATE)
    channel = forms.ChoiceField(label="缴款渠道", choices=CHANNELS)
    receipt_number = forms.CharField(label="缴款凭证号", max_length=60, help_text="银行回单、电子缴款凭证或专用票据号码")
    payee = forms.CharField(label="收款银行或支付平台", max_length=100, required=False)
    spot_reason = forms.ChoiceField(label="当场收缴事由", choices=[("", "—"), *rules.SPOT_REASONS], required=False,
                                    help_text="仅当场收缴时选择(第68条、第69条)")


class HandoverForm(_ActForm):
    payment_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    on = forms.DateField(label="上缴日期", widget=DATE)
    receipt = forms.CharField(label="上缴银行回单号", max_length=60)


class PaymentVoidForm(_ActForm):
    payment_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    reason = forms.CharField(label="作废原因", max_length=500, help_text="如 凭证号录入错误、重复登记")


class SeizureForm(_ActForm):
    on = forms.DateField(label="查封扣押日期", widget=DATE)
    place = forms.CharField(label="查封扣押地点", max_length=200)
    items = forms.CharField(label="查封扣押的场所、设施或者财物", max_length=2000, widget=TEXT,
                            help_text="须另登记文字记录和全程音像记录(国办发〔2018〕118号)")


class DecisionUndoneForm(_ActForm):
    kind = forms.ChoiceField(label="情形", choices=UNDONE_KINDS)
    on = forms.DateField(label="日期", widget=DATE, help_text="复议决定、判决生效或本机关更正之日;撤回公开的期限自此日起算")
    document = forms.CharField(label="文书及文号", max_length=200, help_text="如 某区人民政府行政复议决定书 某府复决〔2026〕3号")
    fine_amount = forms.DecimalField(label="变更后的罚款金额(元)", required=False, min_value=0, max_digits=14,
                                     decimal_places=2, help_text="仅决定被变更且罚款减少时填写")
    note = forms.CharField(label="说明", max_length=2000, required=False, widget=TEXT)
    files = forms.FileField(label="文书文件", required=False,
                            help_text="复议决定书、判决书或撤销、变更决定的扫描件(PDF、Word、OFD 或图片),必须上传")


class SeizureEndForm(_ActForm):
    seizure = forms.TypedChoiceField(label="查封扣押", choices=(), coerce=int)
    on = forms.DateField(label="解除或处理日期", widget=DATE)
    outcome = forms.ChoiceField(label="处理结果", choices=rules.SEIZURE_ENDS)
    note = forms.CharField(label="说明", max_length=2000, required=False, widget=TEXT,
                           help_text="「其他处理决定」须写明决定内容及文号")

    def __init__(self, *args, seizures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seizure"].choices = [(a.pk, f"{a.on:%Y-%m-%d} {a.detail.get('place', '')}") for a in seizures]


class EnforceForm(_ActForm):
    on = forms.DateField(label="强制执行日期", widget=DATE)
    kind = forms.ChoiceField(label="强制执行方式", choices=rules.ENFORCE_KINDS)
    place = forms.CharField(label="执行地点", max_length=200)
    content = forms.CharField(label="执行内容", max_length=2000, widget=TEXT,
                              help_text="须另登记文字记录和全程音像记录(国办发〔2018〕118号 三(三));申请人民法院强制执行请在结案时选择")


ACT_FORMS = {"hearing_request": HearingRequestForm, "hearing_schedule": HearingScheduleForm,
             "hearing_notice": HearingNoticeForm, "seizure": SeizureForm, "decision_undone": DecisionUndoneForm,
             "seizure_end": SeizureEndForm, "enforce": EnforceForm}


class FilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *STATUSES])
    unit = forms.CharField(label="单位代码", required=False, max_length=32)
    key_area = forms.ChoiceField(label="执法领域", required=False, choices=())
    subject = forms.ChoiceField(label="执法主体", required=False, choices=())
    year = forms.IntegerField(label="立案年份", required=False, min_value=1949, max_value=9999)
    overdue = forms.ChoiceField(label="逾期", required=False, choices=[("", "全部"), ("true", "有逾期期限"),
                                                                      ("false", "无逾期")])

    def __init__(self, *args, key_areas=(), subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_area"].choices = [("", "全部"), *((k.code, k.name) for k in key_areas)]
        self.fields["subject"].choices = [("", "全部"), *((str(s.pk), s.name) for s in subjects)]
