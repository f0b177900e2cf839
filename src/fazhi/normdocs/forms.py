"""Forms of normative documents: the draft, the extra fields of some steps (procedures.actions extras),
the consultation, evaluation, cleanup and the list's filters."""

from django import forms

from fazhi.core.forms import DateInput
from fazhi.normdocs.models import (
    CLEANUP_DECISIONS, CORRECTIONS, EVALUATION_CONCLUSIONS, MATERIALS, PROBLEM_KINDS, STATUSES,
)

DATE = DateInput()


class DocumentForm(forms.Form):
    title = forms.CharField(label="文件名称", max_length=200)
    summary = forms.CharField(label="起草说明", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=20000)
    text = forms.CharField(label="文件内容(草案)", required=False, widget=forms.Textarea(attrs={"rows": 8}),
                           max_length=200000)
    public_interest = forms.BooleanField(label="涉及公众利益或社会影响面广(必须公开征求意见)", required=False)
    business_related = forms.BooleanField(label="与市场主体生产经营密切相关(征求意见不少于30日)", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)


class PublishExtra(forms.Form):
    """签发公布: the 办理日期 is the publication date; the 文号 is allocated on publication."""

    channel = forms.CharField(label="公布渠道", max_length=100, required=False,
                              help_text="如 区政府门户网站、政府公报;必填")
    valid_until = forms.DateField(label="有效期至", required=False, widget=DATE,
                                  help_text="不填为公布之日起的法定有效期(一般不超过5年);可以更短")


def _material_fields(required: bool) -> dict:
    hint = "必须上传" if required else "需补正的材料"
    return {kind: forms.FileField(label=label, required=False, help_text=hint) for kind, label in MATERIALS}


FileExtra = type("FileExtra", (forms.Form,), {"__doc__": "报备: the four required materials, each typed.",
                                              **_material_fields(True)})
ResubmitExtra = type("ResubmitExtra", (forms.Form,), {"__doc__": "补正后重新报送: the corrected materials.",
                                                      **_material_fields(False)})


class ReviewExtra(forms.Form):
    problem_kinds = forms.MultipleChoiceField(label="问题类型(存在问题时必选)", choices=PROBLEM_KINDS, required=False,
                                              widget=forms.CheckboxSelectMultiple)


class OpinionExtra(forms.Form):
    correction = forms.ChoiceField(label="纠正方式", choices=[("", "请选择"), *CORRECTIONS], required=False)
    suggestion = forms.CharField(label="处理意见(向区政府提出的书面处理建议)", required=False, max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 3}))


class ConsultationForm(forms.Form):
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="截止日期", widget=DATE)
    summary = forms.CharField(label="起草说明(摘要)", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class EvaluationForm(forms.Form):
    evaluated_on = forms.DateField(label="评估日期", widget=DATE)
    evaluator = forms.CharField(label="评估人(机构)", max_length=100)
    findings = forms.CharField(label="实施情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    conclusion = forms.ChoiceField(label="评估结论", choices=EVALUATION_CONCLUSIONS)


class CampaignForm(forms.Form):
    title = forms.CharField(label="清理名称", max_length=200)
    as_of = forms.DateField(label="清理基准日", widget=DATE)


class ItemForm(forms.Form):
    decision = forms.ChoiceField(label="清理意见", choices=[("", "请选择"), *CLEANUP_DECISIONS])
    reason = forms.CharField(label="理由", max_length=2000)
    reviewer = forms.CharField(label="审查人", max_length=40)
    version = forms.IntegerField(label="版本号", min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput,
                                 error_messages={"required": "缺少版本号,请刷新页面后重试",
                                                 "invalid": "版本号无效,请刷新页面后重试"})


class FilterForm(forms.Form):
    q = forms.CharField(label="文件名称或文号", required=False, max_length=100)
    unit = forms.CharField(label="单位代码", required=False, max_length=32)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), *STATUSES])
    year = forms.IntegerField(label="公布年份", required=False, min_value=1949, max_value=9999)
