from captcha.fields import CaptchaField
from django import forms

from fazhi.portal.services import CONTENT_MAX, FILES_MAX, NOTE_MAX, REPLY_MAX, TITLE_MAX
from fazhi.programme.forms import MultipleFileField

CAPTCHA_HELP = "请输入图片中的 4 个字母(不区分大小写);看不清可点击「换一张」"


class PublicSubmissionForm(forms.Form):
    """The fields every public form shares: contact details (optional), attachments and the CAPTCHA.
    A module's form adds its own fields before them (see SuggestionForm)."""

    name = forms.CharField(label="姓名", max_length=40, required=False,
                           help_text="选填。仅承办单位和法制办可见,不会公开")
    phone = forms.CharField(label="联系电话", max_length=32, required=False,
                            help_text="选填。便于承办单位联系您;仅承办单位和法制办可见")
    email = forms.EmailField(label="电子邮箱", max_length=120, required=False,
                             error_messages={"invalid": "格式不正确,应形如 name@example.com"})
    files = MultipleFileField(label="附件", required=False)
    captcha = CaptchaField(label="验证码", help_text=CAPTCHA_HELP,
                           error_messages={"invalid": "验证码不正确,请按图片重新输入", "required": "请输入验证码"})

    def __init__(self, *args, **kwargs):
        from fazhi.core.uploads import accepted_text

        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = f"选填,最多 {FILES_MAX} 个:{accepted_text()}。仅承办单位和法制办可见"
        for f in ("name", "phone", "email"):
            self.fields[f].widget.attrs.setdefault("class", "form-control")
        self.fields["email"].help_text = "选填。仅承办单位和法制办可见"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def contact(self) -> dict:
        return {k: self.cleaned_data.get(k, "") for k in ("name", "phone", "email")}


class SuggestionForm(PublicSubmissionForm):
    title = forms.CharField(label="主题", max_length=TITLE_MAX, error_messages={"required": "请填写主题"},
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    content = forms.CharField(label="意见建议", max_length=CONTENT_MAX,
                              error_messages={"required": "请填写意见建议的内容"},
                              widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
                              help_text=f"最多 {CONTENT_MAX} 字。内容在公众查询页显示时,其中的电话、身份证号等会被遮盖")

    field_order = ["title", "content", "name", "phone", "email", "files", "captcha"]


class TrackForm(forms.Form):
    tracking_no = forms.CharField(label="受理编号", max_length=40, error_messages={"required": "请填写受理编号"},
                                  widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off",
                                                                "placeholder": "如 20260517-K7QX3M9P"}))
    code = forms.CharField(label="查询码", max_length=40, error_messages={"required": "请填写查询码"},
                           widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}))


class AssignForm(forms.Form):
    unit = forms.ChoiceField(label="承办单位", error_messages={"required": "请选择承办单位",
                                                           "invalid_choice": "请从列表中选择承办单位"})
    note = forms.CharField(label="交办意见", max_length=NOTE_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "请选择")] + [(u.code, u.name) for u in units]
        self.fields["unit"].widget.attrs["class"] = "form-select"


class ReplyForm(forms.Form):
    reply = forms.CharField(label="答复", max_length=REPLY_MAX, error_messages={"required": "请填写答复内容"},
                            widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}))
    publish = forms.BooleanField(label="在公众查询页公开答复(电话、身份证号、提出人姓名会被遮盖)", required=False)
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)


# ------------------------------------------------------------------ public consultation (公开征求意见)

from fazhi.deadlines.forms import DateInput  # noqa: E402
from fazhi.portal.models import ADOPTION_CHOICES  # noqa: E402

DATE_ERRORS = {"invalid": "日期格式错误,请使用 YYYY-MM-DD", "required": "请填写日期"}


class ConsultationForm(forms.Form):
    """What a module asks when its 公开征求意见 step opens a consultation (e.g. as the step's extra form):
    the module passes the cleaned data to `services.consultation_open` with its rule and target; the
    service checks the period against the rule (the form does not, one place per rule)."""

    title = forms.CharField(label="征求意见标题", max_length=TITLE_MAX, error_messages={"required": "请填写征求意见标题"},
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    summary = forms.CharField(label="起草说明(摘要)", max_length=CONTENT_MAX, required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
    text = forms.CharField(label="征求意见稿", max_length=100_000, error_messages={"required": "请填写征求意见稿全文"},
                           widget=forms.Textarea(attrs={"rows": 10, "class": "form-control"}))
    starts_on = forms.DateField(label="开始日期", input_formats=["%Y-%m-%d"], widget=DateInput(),
                                error_messages=DATE_ERRORS, help_text="公众自该日起可在公众服务网站提出意见")
    ends_on = forms.DateField(label="截止日期", input_formats=["%Y-%m-%d"], widget=DateInput(),
                              error_messages=DATE_ERRORS, help_text="不得短于法定最短征求意见期(按工作日历计算)")
    shorter_reason = forms.CharField(label="缩短理由", max_length=NOTE_MAX, required=False,
                                     widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                                     help_text="仅重大行政决策因情况紧急等原因缩短征求意见期时填写")

    def open_kwargs(self) -> dict:
        """The keyword arguments of `consultation_open` this form gives."""
        return {k: self.cleaned_data.get(k, "") for k in ("title", "summary", "text", "starts_on", "ends_on",
                                                          "shorter_reason")}


class AdoptionForm(forms.Form):
    """The drafting unit's answer to one opinion (采纳情况)."""

    submission = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    adoption = forms.ChoiceField(label="采纳情况", choices=[("", "请选择")] + ADOPTION_CHOICES,
                                 error_messages={"required": "请选择采纳情况", "invalid_choice": "请从列表中选择采纳情况"})
    reason = forms.CharField(label="理由", max_length=REPLY_MAX, required=False,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                             help_text="部分采纳、不予采纳须说明理由;采纳情况表在征求意见截止后公开(个人信息遮盖)")
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adoption"].widget.attrs["class"] = "form-select"


class OpinionForm(PublicSubmissionForm):
    """The public's opinion on a draft or a published document (`portal/_opinion_form.html`)."""

    title = forms.CharField(label="主题", max_length=TITLE_MAX, required=False,
                            widget=forms.TextInput(attrs={"class": "form-control"}),
                            help_text="选填,如「对第三条的意见」")
    content = forms.CharField(label="意见内容", max_length=CONTENT_MAX, error_messages={"required": "请填写意见内容"},
                              widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
                              help_text=f"最多 {CONTENT_MAX} 字。请写明涉及的条款和修改建议;采纳情况公开时,"
                                        "其中的电话、身份证号等会被遮盖")

    field_order = ["title", "content", "name", "phone", "email", "files", "captcha"]
