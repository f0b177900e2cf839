from django import forms

from fazhi.core.forms import DateInput
from fazhi.decisions import models as m

DATE = DateInput()
REQUIRED = "请填写「{}」"


def _required(label: str) -> dict:
    return {"required": REQUIRED.format(label), "invalid": f"「{label}」应为 YYYY-MM-DD 格式的日期"}


# ---------------------------------------------------------------- the procedure's extra fields per step


class HearingForm(forms.Form):
    materials_on = forms.DateField(label="听证材料公布日期", widget=DATE, error_messages=_required("听证材料公布日期"),
                                   help_text="办理日期即听证日期;听证材料须于听证会 7 日前公布(条例 第18条)")


class LegalitySubmitForm(forms.Form):
    reply_by = forms.DateField(label="要求反馈日期", required=False, widget=DATE,
                               error_messages=_required("要求反馈日期"),
                               help_text="不填为最短审查期届满日;审查时间不少于 7 个工作日(条例 第27条)")


class DecideForm(forms.Form):
    meeting = forms.CharField(label="决策会议", max_length=200, error_messages={"required": "请填写「决策会议」(如 区政府第12次常务会议)"},
                              help_text="常务会议或者全体会议;办理日期即会议日期,会议纪要作为材料上传")
    conclusion = forms.CharField(label="决策机关负责人的决定", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                                 error_messages={"required": "请填写「决策机关负责人的决定」"})


class PublishForm(forms.Form):
    channel = forms.CharField(label="公布途径", max_length=200, error_messages={"required": "请填写「公布途径」(如 区政府网站)"})
    text = forms.CharField(label="公布内容", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="不填则公布决策机关负责人的决定")


# ---------------------------------------------------------------- catalogue and accountability pages


class CatalogueForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100,
                              error_messages={"required": "请填写「年度」", "invalid": "「年度」应为年份,如 2026"})
    title = forms.CharField(label="目录名称", max_length=200, required=False, help_text="不填为「N年度重大行政决策事项目录」")


class ItemForm(forms.Form):
    title = forms.CharField(label="决策事项", max_length=300, error_messages={"required": "请填写「决策事项」"})
    summary = forms.CharField(label="事项概要", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    unit = forms.ModelChoiceField(label="承办单位", queryset=None, to_field_name="code",
                                  error_messages={"required": "请选择「承办单位」", "invalid_choice": "「承办单位」无效,请从列表中选择"})
    maker = forms.CharField(label="决策机关", max_length=100, initial="区人民政府",
                            error_messages={"required": "请填写「决策机关」"})
    maker_head = forms.CharField(label="决策机关负责人", max_length=100, error_messages={"required": "请填写「决策机关负责人」"})
    planned = forms.DateField(label="计划决策时间", widget=DATE, error_messages=_required("计划决策时间"))
    professional = forms.BooleanField(label="专业性、技术性较强(须专家论证)", required=False)
    stability = forms.BooleanField(label="涉及社会稳定(须风险评估)", required=False)
    hearing = forms.BooleanField(label="拟举行听证", required=False)
    reason = forms.CharField(label="调整理由", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="目录公布后调入、变更须说明理由")
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from fazhi.org.models import Unit

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("path")


class RemoveForm(forms.Form):
    reason = forms.CharField(label="调出理由", max_length=5000, error_messages={"required": "请填写「调出理由」"})
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput,
                                 error_messages={"required": "缺少版本号,请刷新页面后重试"})


class PublishCatalogueForm(forms.Form):
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput,
                                 error_messages={"required": "缺少版本号,请刷新页面后重试"})


# The consultation is the portal's one mechanism: its form too (period checked by the service, one place).
from fazhi.portal.forms import ConsultationForm  # noqa: E402,F401


class AccountabilityForm(forms.Form):
    grounds = forms.MultipleChoiceField(label="情形", choices=m.GROUNDS, widget=forms.CheckboxSelectMultiple,
                                        error_messages={"required": "请选择「情形」:超越权限、违反程序"})
    facts = forms.CharField(label="事实", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": "请填写「事实」"})
    loss = forms.CharField(label="造成的损失", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "请填写「造成的损失」"})
    people = forms.CharField(label="责任人员", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="每行一人:姓名 职务(如 张三 副局长)")
    units = forms.ModelMultipleChoiceField(label="责任单位", queryset=None, to_field_name="code", required=False)

    def __init__(self, *args, **kwargs):
        from fazhi.org.models import Unit

        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.order_by("path")

    def clean_people(self):
        rows = []
        for line in self.cleaned_data["people"].splitlines():
            parts = line.strip().split(None, 1)
            if parts:
                rows.append({"name": parts[0], "post": parts[1] if len(parts) > 1 else ""})
        return rows


class CloseForm(forms.Form):
    result = forms.CharField(label="处理结果", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写「处理结果」"})
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput,
                                 error_messages={"required": "缺少版本号,请刷新页面后重试"})
