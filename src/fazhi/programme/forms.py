from django import forms
from django.forms.utils import ErrorDict

from fazhi.core.forms import DateInput, MultipleFileField, MultipleFileInput  # noqa: F401 — moved to core; kept importable here
from fazhi.programme.models import ASSIGNMENT_STATUSES, PHASES



class ReportForm(forms.Form):
    text = forms.CharField(label="进展情况", max_length=5000, error_messages={"required": "请填写进展情况"},
                           widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}))
    files = MultipleFileField(label="佐证材料", required=False)
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from fazhi.core.uploads import accepted_text

        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = accepted_text()  # the limit is a setting (FAZHI_MAX_UPLOAD_MB)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核", choices=[("accept", "通过"), ("return", "退回")])
    reason = forms.CharField(label="理由", max_length=2000, required=False)
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)


class BulkReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核", choices=[("accept", "通过"), ("return", "退回")])
    reason = forms.CharField(label="理由", max_length=2000, required=False,
                             help_text="退回时必填;批量退回时所有选中的报送使用同一理由")
    reports = forms.TypedMultipleChoiceField(label="报送", coerce=int, choices=[], required=False)

    def __init__(self, *args, report_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].choices = [(i, i) for i in report_ids]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=2000)


class FilterForm(forms.Form):
    """The table's filters as choices (validation is `selectors.TableFilters`, shared with exports)."""

    unit = forms.ChoiceField(label="单位", required=False)
    category = forms.ChoiceField(label="类别", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + ASSIGNMENT_STATUSES)
    phase = forms.ChoiceField(label="阶段", required=False, choices=[("", "全部")] + PHASES)
    overdue = forms.ChoiceField(label="逾期", required=False, choices=[("", "全部"), ("true", "已逾期"), ("false", "未逾期")])
    due_soon = forms.ChoiceField(label="临期", required=False, choices=[("", "全部"), ("true", "临期(即将到期)")])

    def __init__(self, *args, units=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部单位")] + [(u.code, u.display_name) for u in units]
        self.fields["category"].choices = [("", "全部类别")] + [(c, c) for c in categories]
        for name in ("unit", "category"):  # a value typed into the URL stays visible, with its message
            value = str(self.data.get(name, "")).strip()[:64] if self.is_bound else ""
            if value and value not in {str(v) for v, _ in self.fields[name].choices}:
                self.fields[name].choices = [*self.fields[name].choices, (value, value)]

    def full_clean(self):
        # Validated by TableFilters (one place, shared with the exports); this form renders the
        # choices and carries TableFilters' messages to their fields.
        self._errors, self.cleaned_data = ErrorDict(), {}

    @property
    def active(self) -> bool:
        """Whether any filter is set (the folded filters open on small screens)."""
        return bool(self.is_bound and any(self.data.get(name) for name in self.fields))


class ImportForm(forms.Form):
    file = forms.FileField(label="责任分解表文件", help_text=".xlsx,或 .csv(UTF-8 或 Excel 另存的 GBK 编码)",
                           error_messages={"required": "请选择要导入的文件", "empty": "文件是空的,请检查后重新选择"},
                           widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}))


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
        for field in self.fields.values():
            field.error_messages["required"] = f"请填写{field.label}"
            if not isinstance(field.widget, (forms.HiddenInput, MultipleFileInput)):
                field.widget.attrs.setdefault("class", "form-control")

    def service_data(self) -> dict:
        d = self.cleaned_data
        staff = [{"name": d.get(f"staff_{i}_name", ""), "phone": d.get(f"staff_{i}_phone", "")} for i in (1, 2)]
        return {**{k: d[k] for k in ("head_name", "head_title", "head_phone", "deputy_name", "deputy_title",
                                     "deputy_phone", "plan_summary")}, "staff": staff}


def _date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, input_formats=["%Y-%m-%d"], error_messages={
        "required": "请填写日期", "invalid": "须为 YYYY-MM-DD 格式的日期"},
        widget=DateInput(), **kwargs)


class PhaseForm(forms.Form):
    """One phase's dates (plan 六 leaves them to the office). Names stay plain (`start`, `end`);
    each row gets its own ids through `auto_id`."""

    phase = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)
    start = _date_field("开始日期")
    end = _date_field("结束日期")
    reason = forms.CharField(label="调整说明", max_length=500, required=False)

    def __init__(self, *args, phase, **kwargs):
        kwargs.setdefault("auto_id", f"phase{phase.pk}_%s")
        kwargs.setdefault("initial", {"phase": phase.pk, "version": phase.version, "start": phase.start,
                                      "end": phase.end})
        super().__init__(*args, **kwargs)
        name = phase.get_key_display()
        self.fields["start"].label, self.fields["end"].label = f"{name}开始日期", f"{name}结束日期"
        self.fields["reason"].label = f"{name}调整说明"


class ProgrammeForm(forms.Form):
    """A new creation cycle and its four phases."""

    name = forms.CharField(label="名称", max_length=200, error_messages={"required": "请填写名称"},
                           widget=forms.TextInput(attrs={"placeholder": "依法行政示范区创建 2027–2028"}))
    start = _date_field("开始日期")
    end = _date_field("结束日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in PHASES:
            self.fields[f"{key}_start"] = _date_field(f"{label}开始日期")
            self.fields[f"{key}_end"] = _date_field(f"{label}结束日期")

    def phase_rows(self):
        """(label, start field, end field) per phase, for the template's table."""
        return [(label, self[f"{key}_start"], self[f"{key}_end"]) for key, label in PHASES]

    def phases(self) -> dict:
        d = self.cleaned_data
        return {key: (d[f"{key}_start"], d[f"{key}_end"]) for key, _ in PHASES}
