"""The small forms of the shared clock partial (deadlines/_clock.html): one per act, prefixed by the clock
so several clocks on one page keep their fields apart. The services validate again (one place per rule)."""

from django import forms

from fazhi.deadlines import rules
from fazhi.core.forms import DateInput

DATE_ERRORS = {"invalid": "日期格式错误,请使用 YYYY-MM-DD", "required": "请填写日期"}


def _date(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, input_formats=["%Y-%m-%d"], widget=DateInput(), help_text=help_text,
                           error_messages=DATE_ERRORS)


def _text(label: str, max_length: int, required_message: str, *, textarea: bool = False) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 2}) if textarea else forms.TextInput()
    return forms.CharField(label=label, max_length=max_length, widget=widget,
                           error_messages={"required": required_message,
                                           "max_length": f"至多 {max_length} 字,请精简"})


class ClockForm(forms.Form):
    # The clock's newest event when the form was shown: a submission made on an older state is refused.
    last_event = forms.IntegerField(label="期限版本", widget=forms.HiddenInput, min_value=0, max_value=2**63 - 1,
                                    error_messages={"required": "缺少期限版本,请刷新页面后重试",
                                                    "invalid": "期限版本无效,请刷新页面后重试"})


class PauseForm(ClockForm):
    on = _date("中止起始日", "中止期间不计入期限(含该日)")
    reason = _text("中止原因", 1000, "请填写中止的原因", textarea=True)


class ResumeForm(ClockForm):
    on = _date("恢复计算之日", "该日起重新计入期限")


class RestartForm(ClockForm):
    on = _date("重新起算日", "如收到补正材料之日")
    reason = _text("重新起算原因", 1000, "请填写重新起算的原因,如「收到补正材料」", textarea=True)


class ExtendForm(ClockForm):
    days = forms.IntegerField(label="延长期间", min_value=1, max_value=3650,
                              error_messages={"required": "请填写延长的日数", "invalid": "延长期间应为正整数",
                                              "min_value": "延长期间应为正整数", "max_value": "延长期间过长"})
    approver = _text("批准人", 60, "请填写批准延长的负责人姓名")
    basis = _text("依据", 300, "请填写延长的依据,如「行政复议法第六十二条」及批准文书")


FORMS = {rules.PAUSE: PauseForm, rules.RESUME: ResumeForm, rules.RESTART: RestartForm, rules.EXTEND: ExtendForm}


def prefix(deadline_id: int, action: str) -> str:
    return f"c{deadline_id}-{action}"


def clock_form(action: str, deadline_id: int, *, data=None, last_event: int | None = None) -> ClockForm:
    initial = {"last_event": last_event} if last_event is not None else None
    return FORMS[action](data=data, prefix=prefix(deadline_id, action), initial=initial)
