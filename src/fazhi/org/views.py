from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from fazhi.core import rates
from fazhi.core.errors import FazhiError
from fazhi.core.history import recent_changes
from fazhi.core.views import InvalidFormStatusMixin, ScopedDetailView, ScopedQuerysetMixin
from fazhi.org import selectors, services
from fazhi.org.forms import UnitForm
from fazhi.org.models import Unit
from fazhi.org.permissions import can_edit_unit


class UnitDetailView(ScopedDetailView):
    model = Unit
    slug_field = "code"
    slug_url_kwarg = "code"
    template_name = "org/unit_detail.html"
    context_object_name = "unit"

    def base_queryset(self):
        return Unit.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        unit = self.object
        return super().get_context_data(
            children=selectors.unit_list(user=self.request.user).filter(parent=unit),
            people=selectors.unit_people(unit=unit),
            can_edit=can_edit_unit(self.request.user, unit),
            recent_changes=recent_changes(Unit, unit, limit=5),
            rates=rates.summary(self.request.user, unit=unit.code, unit_path=unit.path),  # each links to its records
            **kwargs,
        )


class UnitEditView(InvalidFormStatusMixin, ScopedQuerysetMixin, FormView):
    model = Unit
    form_class = UnitForm
    template_name = "org/unit_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.unit = self.get_queryset().filter(code=kwargs["code"]).first()
        if self.unit is None:
            from django.http import Http404

            raise Http404("未找到该单位,或您无权查看")
        if not can_edit_unit(request.user, self.unit):
            raise PermissionDenied("只有法制办可以修改单位信息")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Unit.objects.get(pk=self.unit.pk)
        if self.request.method == "GET":
            kwargs["initial"] = {"version": self.unit.version}
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(unit=self.unit, **kwargs)

    def form_valid(self, form):
        changes = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            services.unit_update(unit=self.unit, actor=self.request.user,
                                 expected_version=form.cleaned_data["version"], changes=changes,
                                 reason=form.cleaned_data["reason"])
        except FazhiError as e:
            form.add_error(None if e.field == "version" else e.field, e.message)
            self.invalid_status = e.status
            return self.form_invalid(form)
        except ValidationError as e:
            for field, errs in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
            return self.form_invalid(form)
        messages.success(self.request, "单位信息已保存")
        return redirect("unit-detail", code=self.unit.code)
