from django import forms

from fazhi.programme.models import ASSIGNMENT_STATUSES, PHASES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ReportForm(forms.Form):
    text = forms.CharField(label="进展情况", max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}))
    files = MultipleFileField(label="佐证材料", required=False,
                              help_text="PDF、Word、Excel、JPG、PNG、OFD,单个文件不超过 20 MB")
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核", choices=[("accept", "通过"), ("return", "退回")])
    reason = forms.CharField(label="理由", max_length=2000, required=False)
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)


class BulkReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核", choices=[("accept", "通过"), ("return", "退回")])
    reason = forms.CharField(label="理由", max_length=2000, required=False)
    reports = forms.TypedMultipleChoiceField(label="报送", coerce=int, choices=[], required=False)

    def __init__(self, *args, report_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].choices = [(i, i) for i in report_ids]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=2000)


class FilterForm(forms.Form):
    unit = forms.CharField(label="单位代码", required=False, max_length=32)
    category = forms.CharField(label="类别", required=False, max_length=40)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + ASSIGNMENT_STATUSES)
    overdue = forms.ChoiceField(label="逾期", required=False, choices=[("", "全部"), ("true", "已逾期"), ("false", "未逾期")])
    phase = forms.ChoiceField(label="阶段", required=False, choices=[("", "全部")] + PHASES)


class ImportForm(forms.Form):
    file = forms.FileField(label="责任分解表(.xlsx 或 .csv)")


class WorkPlanForm(forms.Form):
    head_name = forms.CharField(label="一把手(牵总)姓名", max_length=40)
    head_title = forms.CharField(label="一把手职务", max_length=60, required=False)
    head_phone = forms.CharField(label="一把手电话", max_length=32)
    deputy_name = forms.CharField(label="分管领导姓名", max_length=40)
    deputy_title = forms.CharField(label="分管领导职务", max_length=60, required=False)
    deputy_phone = forms.CharField(label="分管领导电话", max_length=32)
    staff_1_name = forms.CharField(label="专人一 姓名", max_length=40)
    staff_1_phone = forms.CharField(label="专人一 电话", max_length=32)
    staff_2_name = forms.CharField(label="专人二 姓名", max_length=40, required=False)
    staff_2_phone = forms.CharField(label="专人二 电话", max_length=32, required=False)
    plan_summary = forms.CharField(label="工作方案摘要", max_length=5000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label="工作方案、工作计划及机构文件", required=False)
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field.widget, (forms.HiddenInput, MultipleFileInput)):
                field.widget.attrs.setdefault("class", "form-control")

    def service_data(self) -> dict:
        d = self.cleaned_data
        staff = [{"name": d.get(f"staff_{i}_name", ""), "phone": d.get(f"staff_{i}_phone", "")} for i in (1, 2)]
        return {**{k: d[k] for k in ("head_name", "head_title", "head_phone", "deputy_name", "deputy_title",
                                     "deputy_phone", "plan_summary")}, "staff": staff}
