"""Forms of 行政应诉: the case (register, edit), a hearing, the extra fields of some procedure steps
(procedures.actions extras), the list's filters and the accountability record's forms. The services check
everything again (one place for the rules); these only read the request."""

from django import forms

from fazhi.core.forms import DateInput, MultipleFileField
from fazhi.remedies.litigation import models as m

DATE = DateInput()
VERSION = {"required": "缺少版本号,请刷新页面后重试"}


def _date(label: str, required: bool = True) -> dict:
    return {"required": f"请填写「{label}」", "invalid": f"「{label}」应为 YYYY-MM-DD 格式的日期"}


def _text(label: str) -> dict:
    return {"required": f"请填写「{label}」", "max_length": f"「{label}」过长"}


def parse_parties(text: str) -> list[dict]:
    """One party a line: 名称 [自然人|法人|非法人组织] (the kind defaults to 自然人)."""
    kinds = {label: code for code, label in m.PARTY_KINDS}
    rows = []
    for line in (text or "").splitlines():
        parts = line.strip().rsplit(None, 1)
        if not parts:
            continue
        if len(parts) == 2 and parts[1] in kinds:
            rows.append({"name": parts[0], "kind": kinds[parts[1]]})
        else:
            rows.append({"name": line.strip(), "kind": m.PERSON})
    return rows


def parties_text(rows: list[dict]) -> str:
    return "\n".join(f"{p['name']} {m.PARTY_KIND_LABELS.get(p.get('kind'), '自然人')}" for p in rows)


def names(text: str) -> list[str]:
    """Names separated by lines, commas or 、."""
    for sep in (",", ",", "、", ";", ";"):
        text = (text or "").replace(sep, "\n")
    return [n.strip() for n in text.splitlines() if n.strip()]


class CaseForm(forms.Form):
    court = forms.CharField(label="受理法院", max_length=100, error_messages=_text("受理法院"))
    case_number = forms.CharField(label="案号", max_length=60, error_messages=_text("案号"),
                                  help_text="人民法院的案号,如 (2026)陕0113行初15号")
    cause = forms.CharField(label="案由", max_length=200, error_messages=_text("案由"), help_text="如 行政处罚、政府信息公开")
    court_level = forms.ChoiceField(label="审级", choices=m.INSTANCES, initial=m.FIRST)
    plaintiffs = forms.CharField(label="原告", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                                 error_messages=_text("原告"), help_text="每行一个:名称 类型(自然人、法人、非法人组织),如 张三 自然人")
    third_parties = forms.CharField(label="第三人", max_length=2000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 1}), help_text="可不填;格式同原告")
    act_name = forms.CharField(label="被诉行政行为", max_length=200, error_messages=_text("被诉行政行为"))
    act_number = forms.CharField(label="行政行为文书号", max_length=100, required=False)
    act_date = forms.DateField(label="行政行为作出日期", required=False, widget=DATE, error_messages=_date("行政行为作出日期"))
    after_reconsideration = forms.BooleanField(label="经行政复议后起诉", required=False)
    reconsideration_number = forms.CharField(label="行政复议案号", max_length=100, required=False,
                                             help_text="复议后起诉的,填写行政复议决定的案号")
    received_on = forms.DateField(label="收到起诉状副本和应诉通知书日期", widget=DATE,
                                  error_messages=_date("收到起诉状副本和应诉通知书日期"),
                                  help_text="答辩举证期限(15日)自此起算")
    note = forms.CharField(label="备注", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)

    def clean_plaintiffs(self):
        return parse_parties(self.cleaned_data["plaintiffs"])

    def clean_third_parties(self):
        return parse_parties(self.cleaned_data["third_parties"])


class HearingForm(forms.Form):
    held_on = forms.DateField(label="庭审日期", widget=DATE, error_messages=_date("庭审日期"))
    kind = forms.ChoiceField(label="庭审类型", choices=m.HEARING_KINDS, initial=m.TRIAL_HEARING)
    notice_received = forms.BooleanField(label="收到出庭通知书", required=False)
    notice_on = forms.DateField(label="出庭通知书收到日期", required=False, widget=DATE,
                                error_messages=_date("出庭通知书收到日期"))
    notice = forms.FileField(label="出庭通知书", required=False)
    leader_name = forms.CharField(label="出庭负责人姓名", max_length=40, required=False)
    leader_post = forms.ChoiceField(label="负责人职务层级", choices=[("", "—"), *m.LEADER_POSTS], required=False)
    leader_title = forms.CharField(label="负责人职务名称", max_length=60, required=False, help_text="如 局长、副局长")
    staff = forms.CharField(label="出庭工作人员", max_length=500, required=False, help_text="本单位工作人员姓名,多人用顿号分隔")
    lawyers = forms.CharField(label="出庭律师", max_length=500, required=False, help_text="仅律师出庭不视为本单位出庭应诉")
    absence_reason = forms.ChoiceField(label="负责人未出庭理由", choices=[("", "—"), *m.ABSENCE_REASONS], required=False)
    absence_note = forms.CharField(label="负责人未出庭情况说明", max_length=2000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput, error_messages=VERSION)

    def clean_staff(self):
        return names(self.cleaned_data["staff"])

    def clean_lawyers(self):
        return names(self.cleaned_data["lawyers"])


# ---------------------------------------------------------------- the procedure's extra fields per step


class AnswerExtra(forms.Form):
    """答辩举证: the 答辩状 and the evidence, each typed (the 办理日期 is the day they were submitted)."""

    defence = forms.FileField(label="答辩状", required=False, help_text="必须上传")
    evidence = MultipleFileField(label="证据和依据", required=False,
                                 help_text="作出行政行为的证据和所依据的规范性文件,必须上传(可多个)")


class JudgmentExtra(forms.Form):
    """裁判 / 二审裁判: the 办理日期 is the day of the judgment or ruling; its document is the step's material."""

    kind = forms.ChoiceField(label="裁判类型", choices=m.JUDGMENT_KINDS,
                             error_messages={"required": "请选择「裁判类型」(判决或裁定)",
                                             "invalid_choice": "「裁判类型」应为判决或裁定"})
    result = forms.ChoiceField(label="裁判结果", choices=m.RESULTS,
                               error_messages={"required": "请选择「裁判结果」", "invalid_choice": "「裁判结果」无效,请从列表中选择"})
    loss_causes = forms.MultipleChoiceField(label="败诉原因", choices=m.LOSS_CAUSES, required=False,
                                            widget=forms.CheckboxSelectMultiple,
                                            error_messages={"invalid_choice": "「败诉原因」无效,请从列表中选择"},
                                            help_text="败诉的必须选择(可多选);选择「其他」须写明")
    loss_note = forms.CharField(label="败诉原因说明", max_length=2000, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))


class AppealExtra(forms.Form):
    appealed_by = forms.ChoiceField(label="上诉人", choices=m.APPELLANTS,
                                    error_messages={"required": "请选择「上诉人」", "invalid_choice": "「上诉人」无效"})
    appeal_court = forms.CharField(label="二审法院", max_length=100, error_messages=_text("二审法院"))
    appeal_number = forms.CharField(label="二审案号", max_length=60, required=False, help_text="尚未立案的可以稍后在案件信息中补填")


# ---------------------------------------------------------------- list, accountability


class FilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *m.STATUSES], required=False)
    unit = forms.CharField(label="被告单位代码", max_length=32, required=False)
    year = forms.CharField(label="收案年份", max_length=4, required=False)
    lost = forms.ChoiceField(label="败诉", choices=[("", "全部"), ("true", "败诉"), ("false", "未败诉")], required=False)


class PeopleForm(forms.Form):
    people = forms.CharField(label="责任领导", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages=_text("责任领导"), help_text="每行一人:姓名 职务(如 张三 副局长)")
    facts = forms.CharField(label="事实", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages=_text("事实"))
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput, error_messages=VERSION)

    def clean_people(self):
        rows = []
        for line in self.cleaned_data["people"].splitlines():
            parts = line.strip().split(None, 1)
            if parts:
                rows.append({"name": parts[0], "post": parts[1] if len(parts) > 1 else ""})
        return rows


class CloseForm(forms.Form):
    result = forms.CharField(label="处理结果", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages=_text("处理结果"))
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput, error_messages=VERSION)
