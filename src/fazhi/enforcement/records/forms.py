"""The form of one 全过程记录 on a case page: step and form of record from the case, the recording officer from the
case's unit."""

from django import forms

from fazhi.core.uploads import accepted_text
from fazhi.enforcement.records.registry import KINDS


class RecordForm(forms.Form):
    step = forms.ChoiceField(label="环节")
    kind = forms.ChoiceField(label="记录形式", choices=KINDS)
    file = forms.FileField(label="记录文件")
    recorded_at = forms.DateTimeField(label="记录时间", input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
                                                                      "%Y-%m-%d %H:%M:%S"])
    place = forms.CharField(label="记录地点", max_length=200)
    officer = forms.ChoiceField(label="记录人(执法人员)")
    note = forms.CharField(label="说明", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, steps=(), officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", "请选择"), *steps]
        self.fields["officer"].choices = [("", "请选择"), *((str(o.pk), o.name) for o in officers)]
        self.fields["recorded_at"].widget.input_type = "datetime-local"
        self.fields["file"].help_text = "文字记录:" + accepted_text() + "。音像记录另可:" + accepted_text(av=True).split(";")[-1]


class VoidForm(forms.Form):
    reason = forms.CharField(label="作废原因", max_length=1000)
    next = forms.CharField(widget=forms.HiddenInput, required=False)
