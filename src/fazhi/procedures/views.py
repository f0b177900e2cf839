"""Pages of procedures: every role reads the definitions; the office publishes new versions (a form of
steps, or an imported JSON) and exports them; `StepActView`, the base of every module's step-act page.
Thin: parse, call the service, respond."""

from __future__ import annotations

import json
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from fazhi.core.errors import FazhiError, NotAllowed
from fazhi.core.views import OfficeOnlyMixin, RoleRequiredMixin, attachment_disposition, message_error
from fazhi.procedures import actions, rules, selectors, services
from fazhi.procedures.forms import DefinitionForm, ImportForm, StepFormSet, step_initial


class ProcedureView(RoleRequiredMixin, TemplateView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(can_manage=rules.can_manage_definitions(self.request.user),
                                        role_labels=rules.STEP_ROLES, **kwargs)


def _version(request) -> int | None:
    raw = (request.GET.get("version") or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9 and int(raw) >= 1):
        raise Http404("版本号应为正整数")
    return int(raw)


def _definition_or_404(request, code: str, version: int | None = None):
    definition = selectors.definition_get(user=request.user, code=code, version=version)
    if definition is None:
        raise Http404("没有这个程序或版本")
    return definition


class DefinitionListView(ProcedureView):
    template_name = "procedures/list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(definitions=selectors.definitions_current(user=self.request.user), **kwargs)


class DefinitionDetailView(ProcedureView):
    template_name = "procedures/detail.html"

    def get_context_data(self, code: str, **kwargs):
        definition = _definition_or_404(self.request, code, _version(self.request))
        steps = selectors.definition_steps(definition)
        names = {s.code: s.name for s in steps}
        clocks = selectors.deadline_labels(steps)
        return super().get_context_data(
            definition=definition, versions=selectors.definition_versions(user=self.request.user, code=code),
            steps=[(s, [names.get(c, c) for c in s.requires], clocks.get(s.code, "")) for s in steps], **kwargs)


def _strip_where(message: str) -> str:
    """「第 2 步「步骤编码」a 重复」 at its own field reads 「a 重复」: the row and field are already shown there."""
    return re.sub(r"^第 \d+ 步(「[^」]*」)?", "", message).lstrip(":")


class DefinitionNewVersionView(OfficeOnlyMixin, ProcedureView):
    office_only_message = "只有法制办可以修改程序定义"

    """A new version from the one in force: its steps prefilled, edited, published as version n+1."""

    template_name = "procedures/edit.html"

    def get_context_data(self, code: str, **kwargs):
        current = _definition_or_404(self.request, code)
        if "form" not in kwargs:
            data = selectors.definition_as_dict(current)
            kwargs["form"] = DefinitionForm(initial={"name": current.name, "note": current.note,
                                                     "based_on": current.version})
            kwargs["formset"] = StepFormSet(initial=[step_initial(s) for s in data["steps"]], prefix="steps")
        return super().get_context_data(current=current, **kwargs)

    def post(self, request, code: str, *args, **kwargs):
        current = _definition_or_404(request, code)
        form = DefinitionForm(request.POST)
        formset = StepFormSet(request.POST, prefix="steps")
        summary: list[str] = []
        status = 400
        if form.is_valid() and formset.is_valid():
            if form.cleaned_data["based_on"] not in (None, current.version):
                summary.append(f"编辑期间已发布第 {current.version} 版;请刷新页面,在最新版本上修改")
                status = 409
            else:
                steps = formset.steps()
                data = {"code": code, "name": form.cleaned_data["name"], "note": form.cleaned_data["note"],
                        "steps": [s for _, _, s in steps]}
                try:
                    definition = services.definition_publish(data=data, actor=request.user)
                except FazhiError as e:
                    summary = self._place(e, form, steps)
                else:
                    messages.success(request, f"已发布第 {definition.version} 版;此后开始办理的记录适用新版本")
                    return redirect(reverse("procedure-detail", args=[code]))
        elif formset.non_form_errors():
            summary.extend(formset.non_form_errors())
        ctx = self.get_context_data(code=code, form=form, formset=formset, summary=summary)
        return self.render_to_response(ctx, status=status)

    @staticmethod
    def _place(error, form, steps) -> list[str]:
        """Each refusal at its row's field (linked by aria-describedby), all of them listed above the form."""
        errors = getattr(error, "errors", None) or {error.field or "__all__": error.message}
        forms_by_row = {i: f for i, f, _ in steps}
        for key, message in errors.items():
            parts = key.split(".")
            if parts[0] == "steps" and len(parts) == 3 and int(parts[1]) in forms_by_row:
                row_form = forms_by_row[int(parts[1])]
                if parts[2] in row_form.fields:
                    row_form.add_error(parts[2], _strip_where(message))
            elif key in form.fields:
                form.add_error(key, message)
        return list(errors.values())


class DefinitionExportView(ProcedureView):
    def get(self, request, code: str, *args, **kwargs):
        definition = _definition_or_404(request, code, _version(request))
        body = json.dumps(selectors.definition_as_dict(definition), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = attachment_disposition(f"{definition.code}.v{definition.version}.json")
        return response


class DefinitionImportView(OfficeOnlyMixin, ProcedureView):
    office_only_message = "只有法制办可以修改程序定义"

    template_name = "procedures/import.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ImportForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES)
        summary: list[str] = []
        if form.is_valid():
            try:
                definition = services.definition_import(raw=form.cleaned_data["file"].read(), actor=request.user)
            except FazhiError as e:
                summary = list((getattr(e, "errors", None) or {"file": e.message}).values())
                form.add_error("file", "文件未导入,原因见上方列表" if len(summary) > 1 else summary[0])
            else:
                messages.success(request, f"已导入「{definition.name}」,发布为第 {definition.version} 版")
                return redirect(reverse("procedure-detail", args=[definition.code]))
        return self.render_to_response(self.get_context_data(form=form, summary=summary), status=400)


class StepActView(RoleRequiredMixin, View):
    """POST one act on one step of a record's procedure (the form of `procedures/_step_actions.html`), read by
    the same `actions.act_parse` as the API. A module subclasses it, setting `step_actions` and `get_object`
    (the scoped record, or Http404). Done: a message and 303 to the record's page. Refused: 403 for a role
    that may not act; otherwise the Chinese message (its code in data-error-code) and 303 back, where the
    step's form shows the refusal at its field."""

    http_method_names = ["post"]
    step_actions: actions.StepActions | None = None

    def get_object(self, request, pk):
        raise NotImplementedError

    def get_procedure_run(self, obj):
        return actions.run_for_record(obj, self.step_actions.code)

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()

    def post(self, request, pk, *args, **kwargs):
        obj = self.get_object(request, pk)
        back = self.get_success_url(obj)
        run = None
        try:
            with transaction.atomic():
                run = self.get_procedure_run(obj)
                act = actions.act_parse(request.POST, request.FILES, self.step_actions, run, actor=request.user)
                actions.act_perform(record_obj=obj, run=run, act=act, actions=self.step_actions, actor=request.user)
        except NotAllowed as e:
            raise PermissionDenied(e.message) from None
        except FazhiError as e:
            message_error(request, e)
            if run is not None:
                actions.remember_failure(request, run, e)
        else:
            messages.success(request, _done_message(run, act))
        response = HttpResponseRedirect(back)
        response.status_code = 303
        return response


def _done_message(run, act) -> str:
    name = next(s.name for s in selectors.run_specs(run) if s.code == act.step)
    if act.decide is not None:
        return f"已{'批准' if act.approve else '驳回'}「{name}」不适用申请"
    if act.not_applicable:
        return f"已申请「{name}」不适用,待法制办批准"
    return f"已办理「{name}」"
