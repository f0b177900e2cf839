"""Forms of subjects and officers: they only read the request (the services check everything again)."""

from django import forms

from fazhi.enforcement.subjects import models as m
from fazhi.enforcement.subjects import rules
from fazhi.core.forms import DateInput

DATE = DateInput()
VERSION = {"required": "缺少版本号,请刷新页面后重试"}


def _date(label: str) -> dict:
    return {"required": f"请填写「{label}」", "invalid": f"「{label}」应为 YYYY-MM-DD 格式的日期"}


def _text(label: str) -> dict:
    return {"required": f"请填写「{label}」", "max_length": f"「{label}」过长"}


def _choice(label: str) -> dict:
    return {"required": f"请选择「{label}」", "invalid_choice": f"「{label}」无效,请从列表中选择"}


def version_field():
    return forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput, error_messages=VERSION)


class SubjectForm(forms.Form):
    name = forms.CharField(label="主体名称", max_length=100, error_messages=_text("主体名称"))
    kind = forms.ChoiceField(label="主体类别", choices=m.SUBJECT_KINDS, error_messages=_choice("主体类别"))
    basis = forms.CharField(label="设定依据", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
                            error_messages=_text("设定依据"), help_text="授予执法权的法律、法规名称及条款")
    entrusted_by = forms.ModelChoiceField(label="委托机关", queryset=None, required=False,
                                          error_messages=_choice("委托机关"), help_text="受委托组织必填")
    entrustment_document = forms.CharField(label="委托书文号", max_length=100, required=False,
                                           help_text="受委托组织必填")
    entrustment_until = forms.DateField(label="委托期限至", required=False, widget=DATE,
                                        error_messages=_date("委托期限至"))
    key_areas = forms.ModelMultipleChoiceField(label="执法领域", queryset=None, required=False,
                                               to_field_name="code", widget=forms.CheckboxSelectMultiple,
                                               error_messages={"invalid_choice": "「执法领域」无效,请从列表中选择",
                                                               "invalid_pk_value": "「执法领域」无效,请从列表中选择"})
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from fazhi.org.models import KeyArea, Unit

        super().__init__(*args, **kwargs)
        self.fields["entrusted_by"].queryset = Unit.objects.filter(active=True).order_by("sort_order", "code")
        self.fields["key_areas"].queryset = KeyArea.objects.filter(active=True).order_by("sort_order", "code")


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label="审查结论", choices=[(m.QUALIFIED, "合格"), (m.UNQUALIFIED, "不合格"),
                                                        (m.TO_CORRECT, "需纠正")], error_messages=_choice("审查结论"))
    on = forms.DateField(label="审查日期", widget=DATE, error_messages=_date("审查日期"))
    note = forms.CharField(label="审查意见", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="不合格、需纠正的须写明理由和纠正要求")
    version = version_field()


class AnnounceForm(forms.Form):
    on = forms.DateField(label="公告日期", widget=DATE, error_messages=_date("公告日期"))
    ref = forms.CharField(label="公告文号或网址", max_length=200, error_messages=_text("公告文号或网址"))
    version = version_field()


class DatedReasonForm(forms.Form):
    """Revoke a subject, deactivate a power, an officer leaving: the date and the reason."""

    on = forms.DateField(label="日期", widget=DATE, error_messages=_date("日期"))
    reason = forms.CharField(label="原因", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages=_text("原因"))
    version = version_field()


class PowerForm(forms.Form):
    kind = forms.ChoiceField(label="职权类别", choices=m.POWER_KINDS, error_messages=_choice("职权类别"))
    name = forms.CharField(label="职权名称", max_length=200, error_messages=_text("职权名称"))
    basis = forms.CharField(label="实施依据", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
                            error_messages=_text("实施依据"))


class OfficerForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=40, error_messages=_text("姓名"))
    subject = forms.ModelChoiceField(label="执法主体", queryset=m.EnforcementSubject.objects.none(), required=False,
                                     error_messages=_choice("执法主体"))
    staff_number = forms.CharField(label="工号/编号", max_length=40, required=False)
    post = forms.CharField(label="职务", max_length=60, required=False)
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, subjects=None, **kwargs):
        super().__init__(*args, **kwargs)
        if subjects is not None:
            self.fields["subject"].queryset = subjects


class CertificateForm(forms.Form):
    number = forms.CharField(label="证件编号", max_length=40, error_messages=_text("证件编号"))
    kind = forms.ChoiceField(label="证件类型", choices=m.CERT_KINDS, error_messages=_choice("证件类型"))
    issued_by = forms.CharField(label="发证机关", max_length=100, required=False)
    issued_on = forms.DateField(label="发证日期", widget=DATE, error_messages=_date("发证日期"))
    expires_on = forms.DateField(label="有效期至", widget=DATE, error_messages=_date("有效期至"))
    reviewed_year = forms.IntegerField(label="年审通过年度", required=False, min_value=1980, max_value=2200,
                                       error_messages={"invalid": "「年审通过年度」应为四位年份",
                                                       "min_value": "「年审通过年度」应为四位年份",
                                                       "max_value": "「年审通过年度」应为四位年份"})


class CertificateReviewForm(forms.Form):
    year = forms.IntegerField(label="年审年度", min_value=1980, max_value=2200,
                              error_messages={"required": "请填写「年审年度」", "invalid": "「年审年度」应为四位年份",
                                              "min_value": "「年审年度」应为四位年份", "max_value": "「年审年度」应为四位年份"})
    version = version_field()


class CertificateStatusForm(forms.Form):
    status = forms.ChoiceField(label="处理", choices=[(m.CERT_SUSPENDED, "暂扣"), (m.CERT_REVOKED, "注销/吊销")],
                               error_messages=_choice("处理"))
    on = forms.DateField(label="处理日期", widget=DATE, error_messages=_date("处理日期"))
    reason = forms.CharField(label="处理原因", max_length=5000, error_messages=_text("处理原因"))
    version = version_field()


class BasislessForm(forms.Form):
    unit = forms.ModelChoiceField(label="责任单位", queryset=None, to_field_name="code",
                                  error_messages=_choice("责任单位"))
    acting_body = forms.CharField(label="实施机构", max_length=100, error_messages=_text("实施机构"),
                                  help_text="实际实施执法行为的机构(可以不是执法主体)")
    act = forms.CharField(label="执法行为", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                          error_messages=_text("执法行为"), help_text="行为内容及其缺少合法依据的情形")
    found_on = forms.DateField(label="发现日期", widget=DATE, error_messages=_date("发现日期"))
    found_by = forms.CharField(label="发现途径", max_length=100, required=False, help_text="如 执法检查、投诉举报、案卷评查")

    def __init__(self, *args, **kwargs):
        from fazhi.org.models import Unit

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(active=True).order_by("sort_order", "code")


class CorrectionForm(forms.Form):
    on = forms.DateField(label="纠正日期", widget=DATE, error_messages=_date("纠正日期"))
    correction = forms.CharField(label="纠正情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                                 error_messages=_text("纠正情况"))
    version = version_field()


class AcceptForm(forms.Form):
    decision = forms.ChoiceField(label="确认", choices=[("accept", "确认已纠正"), ("return", "退回重新纠正")],
                                 error_messages=_choice("确认"))
    on = forms.DateField(label="日期", widget=DATE, error_messages=_date("日期"))
    reason = forms.CharField(label="意见", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="退回的须写明理由")
    version = version_field()


def measure_choices(unit=None, keep=()) -> list:
    """Penalty measures, then the licence items of the line's unit by code (a licence decision is major by the item
    applied for: licence.rules.major_measures); no unit yet, no items."""
    from fazhi.enforcement.licence.rules import major_measure_choices
    from fazhi.enforcement.penalty.models import PENALTY_MEASURES

    return list(PENALTY_MEASURES) + major_measure_choices(unit, keep)


def measure_labels(entries) -> dict:
    """(unit id, code) → label of every measure the catalogue lines name (penalty measures for any unit)."""
    from fazhi.enforcement.licence.rules import measure_labels as licence_labels
    from fazhi.enforcement.penalty.models import PENALTY_MEASURES

    pairs = {(e.unit_id, x) for e in entries for x in e.measures}
    return {**{(u, x): dict(PENALTY_MEASURES)[x] for u, x in pairs if x in dict(PENALTY_MEASURES)},
            **licence_labels(p for p in pairs if p[1] not in dict(PENALTY_MEASURES))}


class EntryForm(forms.Form):
    decision_kind = forms.ChoiceField(label="决定类别", choices=m.DECISION_KINDS, error_messages=_choice("决定类别"))
    title = forms.CharField(label="事项", max_length=200, error_messages=_text("事项"))
    measures = forms.MultipleChoiceField(label="处理措施", choices=[], required=False,
                                         widget=forms.CheckboxSelectMultiple,
                                         error_messages={"invalid_choice": "「处理措施」无效,请从列表中选择"},
                                         help_text="作出其中任一措施的决定即为重大执法决定;行政许可类选本单位的许可事项"
                                                   "(按事项编码,受理时认定;先选单位才列出该单位的事项)")
    amount_from = forms.DecimalField(label="罚没款金额起点(元)", required=False, min_value=0.01, max_digits=14,
                                     decimal_places=2,
                                     error_messages={"invalid": "「罚没款金额起点」应为金额(元),如 50000",
                                                     "min_value": "「罚没款金额起点」应大于 0",
                                                     "max_digits": "「罚没款金额起点」过大",
                                                     "max_decimal_places": "「罚没款金额起点」至多两位小数",
                                                     "max_whole_digits": "「罚没款金额起点」过大"},
                                     help_text="罚款、没收金额达到此数的即为重大执法决定;不以金额判断的留空")
    basis = forms.CharField(label="依据", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    active = forms.BooleanField(label="有效", required=False, initial=True)
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        keep = self.initial.get("measures") or ()
        self.fields["measures"].choices = measure_choices(unit, keep)


STATE_CHOICES = [("", "全部"), *rules.CERT_STATE_LABELS.items()]
