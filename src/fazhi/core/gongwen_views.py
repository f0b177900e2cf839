"""The office's 公文模板 page: upload, list (history), download, restore, void with reason."""


from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from fazhi.core import gongwen, gongwen_templates as tpl
from fazhi.core.converters import parse_id
from fazhi.core.errors import FazhiError
from fazhi.core.models import GongwenTemplate
from fazhi.core.uploads import MIME
from fazhi.core.views import OfficeOnlyMixin, RoleRequiredMixin, attachment_disposition


class TemplateForm(forms.Form):
    file = forms.FileField(label="模板文件(.docx)", help_text=(
        f"Word .docx,不超过 {tpl.MAX_TEMPLATE_MB} MB;须含占位符 " + "、".join(gongwen.PLACEHOLDERS.values())
        + ",各自单独成段"), error_messages={"required": "请选择要上传的 .docx 模板文件"})
    note = forms.CharField(label="说明", max_length=200, required=False)


class OfficeMixin(OfficeOnlyMixin, RoleRequiredMixin):
    office_only_message = "只有法制办可以管理公文模板"


class TemplatesView(OfficeMixin, TemplateView):
    template_name = "core/gongwen_templates.html"

    def get_context_data(self, **kwargs):
        current = GongwenTemplate.objects.current()
        return super().get_context_data(
            templates=GongwenTemplate.objects.select_related("uploaded_by", "voided_by").order_by("-uploaded_at", "-id"),
            current=current, source=gongwen.template_bytes()[1] if current is None else None,
            placeholders=gongwen.PLACEHOLDERS.values(), form=kwargs.pop("form", None) or TemplateForm(), **kwargs)

    def post(self, request, *args, **kwargs):
        form = TemplateForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                t = tpl.template_upload(upload=form.cleaned_data["file"], actor=request.user,
                                        note=form.cleaned_data["note"])
            except FazhiError as e:
                form.add_error("file" if e.field == "file" else None, e.message)
            else:
                messages.success(request, f"已上传并启用模板「{t.original_name}」")
                return redirect("gongwen-templates")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TemplateFileView(OfficeMixin, View):
    """A template's .docx: `current` is the one in force (uploaded, configured or shipped)."""

    def get(self, request, key: str):
        if key == "current":
            body, name = gongwen.template_bytes()[0], "公文模板-当前.docx"
        else:
            t = GongwenTemplate.objects.filter(pk=parse_id(key)).first() if parse_id(key) is not None else None
            if t is None:
                raise Http404("没有这个模板")
            with t.file.open("rb") as f:
                body, name = f.read(), t.original_name
        resp = HttpResponse(body, content_type=MIME["docx"])
        resp["Content-Disposition"] = attachment_disposition(name)
        return resp


class TemplateActionView(OfficeMixin, View):
    def post(self, request, pk: int, action: str):
        t = GongwenTemplate.objects.filter(pk=pk).first()
        if t is None or action not in ("restore", "void"):
            raise Http404("没有这个模板")
        try:
            if action == "restore":
                tpl.template_restore(template=t, actor=request.user)
                messages.success(request, f"已恢复使用模板「{t.original_name}」")
            else:
                tpl.template_void(template=t, actor=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, f"已作废模板「{t.original_name}」")
        except FazhiError as e:
            messages.error(request, e.message)
            return redirect("gongwen-templates")
        return redirect("gongwen-templates")
