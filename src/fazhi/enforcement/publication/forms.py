"""Forms of the publication acts: a date (and a reason for a withdrawal the unit starts itself)."""

from django import forms
from django.utils import timezone
from fazhi.core.forms import DateInput


class PublishForm(forms.Form):
    on = forms.DateField(label="公开日期", widget=DateInput(), help_text="在政府网站或公示平台实际公开的日期")
    version = forms.IntegerField(widget=forms.HiddenInput)
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


class WithdrawForm(PublishForm):
    reason = forms.CharField(label="撤回原因", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="决定被变更、撤销、确认违法或无效时已记明原因;本单位发现公开内容有误等自行撤回时必填")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "撤回日期"
        self.fields["on"].help_text = "从公示平台撤下的日期"
