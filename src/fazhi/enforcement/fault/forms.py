from django import forms

from fazhi.core.uploads import accepted_text
from fazhi.enforcement.fault.models import FAULT_KINDS, RESPONSIBILITIES, SANCTIONS, SOURCES
from fazhi.core.forms import DateInput


def _date_field(label, **kw):
    return forms.DateField(label=label, widget=DateInput(), **kw)


class OpenForm(forms.Form):
    case_kind = forms.ChoiceField(label="案件类别", choices=[("penalty", "行政处罚"), ("licence", "行政许可")])
    case_number = forms.CharField(label="案号", max_length=60, help_text="行政处罚案号或行政许可申请编号")
    officers = forms.CharField(label="责任人员", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                               help_text="本案所属单位执法人员的姓名或工号,多人用顿号、逗号或换行分隔")
    found_on = _date_field("认定日期")
    source = forms.ChoiceField(label="发现途径", choices=SOURCES)
    fault_kind = forms.ChoiceField(label="过错情形", choices=FAULT_KINDS)
    responsibility = forms.ChoiceField(label="责任类型", choices=RESPONSIBILITIES)
    fault = forms.CharField(label="过错事实", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def officer_names(self) -> list[str]:
        import re

        return [n for n in re.split(r"[、,,;;\s]+", self.cleaned_data.get("officers", "")) if n]


class DecideForm(forms.Form):
    sanction = forms.ChoiceField(label="追究方式", choices=SANCTIONS)
    sanction_on = _date_field("处理决定日期")
    sanction_ref = forms.CharField(label="处理决定文号", max_length=100)
    sanction_note = forms.CharField(label="处理情况说明", max_length=5000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class CompensationForm(forms.Form):
    compensation_paid = forms.CharField(label="国家赔偿金额(元)", max_length=20)
    compensation_on = _date_field("赔偿支付日期")
    compensation_ref = forms.CharField(label="赔偿决定书文号", max_length=100)
    files = forms.FileField(label="赔偿决定书或支付凭证", help_text=accepted_text())
    version = forms.IntegerField(widget=forms.HiddenInput)


class VoidForm(forms.Form):
    reason = forms.CharField(label="作废原因", max_length=1000)
    version = forms.IntegerField(widget=forms.HiddenInput)
