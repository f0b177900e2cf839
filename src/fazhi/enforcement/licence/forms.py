"""Forms of 行政许可: the item (register and edit), the case (register and edit), the extra fields of some steps
(procedures.actions extras), the case acts, and the lists' filters. The services check the rules again."""

from django import forms

from fazhi.core.forms import DateInput
from fazhi.enforcement.licence import rules
from fazhi.enforcement.licence.models import (
    APPLICANT_KINDS, BASIS_KINDS, HEARING_KINDS, HEARING_REQUESTED, ITEM_STATUSES, STATUSES,
)

DATE = DateInput()
ITEM_FIELDS = ("code", "name", "basis_kind", "basis", "conditions", "quantity_limit", "procedure", "promised_days",
               "materials", "fee_charged", "fee_amount", "fee_basis")


class ItemForm(forms.Form):
    unit = forms.ChoiceField(label="实施单位", choices=())
    subject = forms.TypedChoiceField(label="实施主体", choices=(), coerce=int, empty_value=None)
    code = forms.CharField(label="事项编码", max_length=40, help_text="如 XK-001,本单位内唯一")
    name = forms.CharField(label="事项名称", max_length=200)
    basis_kind = forms.ChoiceField(label="设定依据类别", choices=[("", "请选择"), *BASIS_KINDS],
                                   help_text="只有法律、行政法规、地方性法规可以设定行政许可,省级政府规章可设定临时性许可(第14–17条)")
    basis = forms.CharField(label="设定依据", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text="法律、法规的名称和条款")
    conditions = forms.CharField(label="许可条件", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    quantity_limit = forms.CharField(label="数量限制", max_length=300, required=False, help_text="无数量限制的留空")
    procedure = forms.CharField(label="办理程序", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    promised_days = forms.IntegerField(label="承诺办理时限(工作日)", required=False, min_value=1, max_value=365,
                                       help_text="短于法定期限;不承诺的留空")
    materials = forms.CharField(label="申请材料目录", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text="每行一项")
    fee_charged = forms.BooleanField(label="收费", required=False, help_text="只有法律、行政法规规定的才能收费(第58条)")
    fee_amount = forms.CharField(label="收费标准", max_length=300, required=False)
    fee_basis = forms.CharField(label="收费依据", max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, units=(), subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "请选择"), *((u.code, u.display_name) for u in units)]
        self.fields["subject"].choices = [("", "请选择"), *((s.pk, f"{s.name}({s.get_review_status_display()})")
                                                            for s in subjects)]

    def data_for_service(self) -> dict:
        c = self.cleaned_data
        return {"unit": c["unit"], "subject": c["subject"], **{k: c.get(k) for k in ITEM_FIELDS}}

    @staticmethod
    def initial_from(item) -> dict:
        return {**{k: getattr(item, k) for k in ITEM_FIELDS}, "unit": item.unit.code, "subject": item.subject_id,
                "version": item.version}


class ItemPublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1,
                                 error_messages={"required": "缺少版本号,请刷新页面后重试"})
    on = forms.DateField(label="公布日期", widget=DATE)


class ItemWithdrawForm(ItemPublishForm):
    on = forms.DateField(label="停止实施日期", widget=DATE)
    reason = forms.CharField(label="停止实施原因", max_length=2000, help_text="如设定依据已废止")


ITEM_ACT_FORMS = {"publish": ItemPublishForm, "withdraw": ItemWithdrawForm}
ITEM_ACT_LABELS = {"publish": "公布", "withdraw": "停止实施"}

CASE_FIELDS = ("applicant_name", "applicant_kind", "applicant_code", "applicant_contact", "matter", "received_on")


class CaseForm(forms.Form):
    item = forms.TypedChoiceField(label="许可事项", choices=(), coerce=int, empty_value=None,
                                  help_text="只能选择已公布的本单位许可事项(许可法定)")
    applicant_name = forms.CharField(label="申请人", max_length=100)
    applicant_kind = forms.ChoiceField(label="申请人类型", choices=APPLICANT_KINDS, initial="legal_person")
    applicant_code = forms.CharField(label="证件号码或统一社会信用代码", max_length=40, required=False)
    applicant_contact = forms.CharField(label="联系方式", max_length=100, required=False)
    matter = forms.CharField(label="申请事项", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    received_on = forms.DateField(label="收到申请材料日期", widget=DATE, help_text="补正告知期限自此日起算")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "请选择"), *((i.pk, f"{i.unit.display_name} {i.code} {i.name}") for i in items)]

    def data_for_service(self) -> dict:
        return {"item": self.cleaned_data["item"], **{k: self.cleaned_data.get(k) for k in CASE_FIELDS}}

    @staticmethod
    def initial_from(case) -> dict:
        return {**{k: getattr(case, k) for k in CASE_FIELDS}, "item": case.item_id, "version": case.version}


# ---------------------------------------------------------------- the steps' extra fields


def _is_id(value) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit() and 0 < len(value) <= 18


class OfficerIdsField(forms.MultipleChoiceField):
    """Officer ids: the page offers the case unit's officers (views.officer_choices, bounded and searchable); the
    service checks each belongs to the unit and holds a valid certificate."""

    def valid_value(self, value) -> bool:
        return _is_id(value)


class OfficerIdField(forms.ChoiceField):
    def valid_value(self, value) -> bool:
        return _is_id(value)


class StepVersion(forms.Form):
    """Every step posts the case version it saw (the page fills it in, views.CaseDetailView): services.perform
    refuses a stale act (409) and names a missing version (400), for the page and the API alike."""

    version = forms.IntegerField(label="版本号", widget=forms.HiddenInput, required=False, min_value=0,
                                 max_value=2**31 - 1)


class ReviewExtra(StepVersion):
    inspected = forms.ChoiceField(label="现场核查", required=False, choices=[("no", "未进行现场核查"), ("yes", "已现场核查")],
                                  help_text="需要对实质内容核实的,指派两名以上工作人员核查(第34条)")
    inspection_on = forms.DateField(label="核查日期", required=False, widget=DATE)
    inspection_place = forms.CharField(label="核查地点", max_length=200, required=False)
    inspection_officers = OfficerIdsField(label="核查人员", required=False, choices=(),
                                          error_messages={"invalid_choice": "「核查人员」应为执法人员编号"},
                                          help_text="至少两名本单位执法人员,核查当日持有有效执法证件(第34条第3款;按住 Ctrl 多选)")


class DecideExtra(StepVersion):
    reason = forms.CharField(label="决定理由", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="不予许可的必填(第38条),写入决定书并告知救济途径")
    late_reason = forms.CharField(label="超期作出决定的理由", max_length=300, required=False,
                                  help_text="决定期限已届满的必填(如延期批准文号、法律法规的另行规定)")


class CertificateExtra(StepVersion):
    certificate_number = forms.CharField(label="许可证件编号", max_length=60, required=False, help_text="必填")
    valid_from = forms.DateField(label="有效期自", required=False, widget=DATE, help_text="必填")
    valid_until = forms.DateField(label="有效期至", required=False, widget=DATE, help_text="长期有效的留空")


# ---------------------------------------------------------------- case acts


class _ActForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1,
                                 error_messages={"required": "缺少版本号,请刷新页面后重试"})


class MaterialsReceivedForm(_ActForm):
    on = forms.DateField(label="收到补正材料日期", widget=DATE, help_text="受理审查期限自此日重新起算")


class ExtendForm(_ActForm):
    days = forms.IntegerField(label="延长工作日数", min_value=1, max_value=3650, help_text="至多十个工作日,只能延长一次(第42条)")
    approver = forms.CharField(label="批准人(本机关负责人)", max_length=60)
    basis = forms.CharField(label="延长理由及依据", max_length=300, initial=rules.BASIS_EXTEND)
    notified_on = forms.DateField(label="告知申请人延长理由日期", widget=DATE)


class WithdrawForm(_ActForm):
    on = forms.DateField(label="撤回申请日期", widget=DATE, help_text="作出决定前;撤回后案件终结,各项期限停止计算")
    reason = forms.CharField(label="撤回理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="如申请人书面申请撤回及其日期")


class HearingRightForm(_ActForm):
    on = forms.DateField(label="告知听证权利日期", widget=DATE,
                         help_text="直接涉及申请人与他人之间重大利益关系的(第47条);自此日起五日内可申请听证")


class HearingRequestForm(_ActForm):
    on = forms.DateField(label="收到听证申请日期", widget=DATE, help_text="决定期限自此日起中止计算,至听证举行(第45条)")
    requested_by = forms.CharField(label="听证申请人", max_length=200, help_text="申请人或利害关系人的名称")


class HearingNoticeForm(_ActForm):
    kind = forms.ChoiceField(label="听证事由", required=False,
                             choices=[("", "—(已收到听证申请的不填)"), *((k, v) for k, v in HEARING_KINDS
                                                                    if k != HEARING_REQUESTED)],
                             help_text="本机关依第46条举行听证的必填;决定期限自通知之日起中止计算(第45条)")
    on = forms.DateField(label="听证通知日期", widget=DATE)
    hearing_on = forms.DateField(label="听证日期", widget=DATE, help_text="通知应在听证七日前送达(第48条)")
    place = forms.CharField(label="听证地点", max_length=200)
    host = OfficerIdField(label="听证主持人", choices=(), error_messages={"invalid_choice": "「听证主持人」应为执法人员编号"},
                          help_text="审查该申请的工作人员(现场核查人员)以外的本单位执法人员(第48条)")


class HearingHeldForm(_ActForm):
    on = forms.DateField(label="举行听证日期", widget=DATE, help_text="决定期限自次日起恢复计算")
    record = forms.CharField(label="听证笔录要点", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="应当根据听证笔录作出行政许可决定(第48条第2款)")


ACT_FORMS = {"materials_received": MaterialsReceivedForm, "extend": ExtendForm, "withdraw": WithdrawForm,
             "hearing_right": HearingRightForm, "hearing_request": HearingRequestForm,
             "hearing_notice": HearingNoticeForm, "hearing_held": HearingHeldForm}


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *STATUSES])
    unit = forms.CharField(label="实施单位(代码)", required=False, max_length=32)
    item = forms.CharField(label="许可事项编号", required=False, max_length=18)
    year = forms.CharField(label="收件年份", required=False, max_length=4)
    overdue = forms.ChoiceField(label="逾期", required=False, choices=[("", "不限"), ("true", "有逾期期限"), ("false", "无逾期")])


class ItemFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *ITEM_STATUSES])
    unit = forms.CharField(label="实施单位(代码)", required=False, max_length=32)
    q = forms.CharField(label="事项名称或编码", required=False, max_length=100)
