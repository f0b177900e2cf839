"""Staff pages of subjects and officers: the subjects register (filters, paginated), register and edit (versioned),
the subject's page (powers with add / deactivate, officers, review, announcement, revocation, history), the
officers register with the certificate state coloured, the officer's page (certificates: new issue, 年审,
suspend / revoke; leave), the acts without a legal basis and their correction, each unit's catalogue of major
decisions, the two .xlsx registers; and the public page of announced subjects. Thin: parse, call the service,
respond; every read through the scoping."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from fazhi.core.errors import FazhiError, NotAllowed
from fazhi.core.history import recent_changes
from fazhi.core.scoping import scope_for
from fazhi.core.views import PAGE_SIZE, RoleRequiredMixin, UnitRecordCreateView, see_other
from fazhi.core.views import form_error as _form_error
from fazhi.core.views import query_without as _query
from fazhi.enforcement.subjects import exports, forms, rules, selectors, services
from fazhi.enforcement.subjects import models as m
from fazhi.org.models import KeyArea, Unit
from fazhi.org.selectors import may_register, picked_unit, writable_units
from fazhi.portal.views import PublicView


def _pick_unit(request, units):
    code = request.POST.get("unit", "")
    return picked_unit(units, code), code


def _area_choices():
    return list(KeyArea.objects.filter(active=True).order_by("sort_order", "code").values_list("code", "name"))


class _Tabbed(RoleRequiredMixin, TemplateView):
    tab = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(tab=self.tab, **kwargs)


class _TabbedCreate(UnitRecordCreateView):
    tab = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(tab=self.tab, **kwargs)


# ---------------------------------------------------------------- subjects


class SubjectListView(_Tabbed):
    template_name = "enforcement/subjects/list.html"
    tab = "subjects"

    def get(self, request, *args, **kwargs):
        ctx = self.get_context_data(query=request.GET, q=_query(request), can_register=may_register(request.user),
                                    kinds=m.SUBJECT_KINDS, reviews=m.REVIEW_STATES, areas=_area_choices())
        try:
            filters = selectors.SubjectFilters.parse(request.GET)
            page = Paginator(selectors.subjects(user=request.user, filters=filters), PAGE_SIZE).get_page(
                request.GET.get("page"))
            rows = list(page.object_list)
        except FazhiError as e:
            return self.render_to_response({**ctx, "error": e.message, "page_obj": None}, status=400)
        return self.render_to_response({**ctx, "page_obj": page, "rows": rows, "today": timezone.localdate()})


def _subject_data(form) -> dict:
    data = {k: form.cleaned_data.get(k) for k in services.SUBJECT_FIELDS}
    data["key_areas"] = list(form.cleaned_data.get("key_areas") or [])
    return data


class SubjectCreateView(_TabbedCreate):
    template_name = "enforcement/subjects/form.html"
    tab = "subjects"
    form_class = forms.SubjectForm
    refusal = "只有本单位或法制办可以登记执法主体"
    success_message = "已登记执法主体,待法制办主体资格审查"

    def create(self, unit, form):
        return services.subject_create(unit=unit, actor=self.request.user, data=_subject_data(form))


def _subject_or_404(request, pk) -> m.EnforcementSubject:
    subject = selectors.subject_get(user=request.user, pk=pk)
    if subject is None:
        raise Http404("未找到该执法主体,或您无权查看")
    return subject


class SubjectEditView(_Tabbed):
    template_name = "enforcement/subjects/form.html"
    tab = "subjects"

    def _subject(self, pk):
        subject = _subject_or_404(self.request, pk)
        if not rules.can_edit_subject(self.request.user, subject):
            raise PermissionDenied("只有本单位或法制办可以修改执法主体(已撤销的不能修改)")
        return subject

    def get(self, request, pk, *args, **kwargs):
        subject = self._subject(pk)
        initial = {k: getattr(subject, k) for k in services.SUBJECT_FIELDS if k != "key_areas"}
        initial.update(key_areas=list(subject.key_areas.all()), version=subject.version)
        return self.render_to_response(self.get_context_data(form=forms.SubjectForm(initial=initial),
                                                             subject=subject))

    def post(self, request, pk, *args, **kwargs):
        subject = self._subject(pk)
        form = forms.SubjectForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.subject_update(subject=subject, actor=request.user, data=_subject_data(form),
                                        expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已保存执法主体")
                return see_other(subject.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, subject=subject), status=status)


SUBJECT_ACTS = ("review", "announce", "revoke")


class SubjectDetailView(_Tabbed):
    template_name = "enforcement/subjects/detail.html"
    tab = "subjects"

    def get_context_data(self, pk, **kwargs):
        user = self.request.user
        subject = _subject_or_404(self.request, pk)
        today = timezone.localdate()
        editable = rules.can_edit_subject(user, subject)
        v = {"version": subject.version}
        bound = kwargs.pop("bound", {})

        def form_for(name, cls, allowed, initial=None):
            if name in bound:
                return bound[name]
            return cls(initial={**v, **(initial or {})}) if allowed else None

        return super().get_context_data(
            subject=subject, today=today, powers=selectors.powers(subject),
            officers=selectors.subject_officers(subject, today), refusal=rules.subject_refusal(subject, today),
            can_edit=editable,
            review_form=form_for("review", forms.ReviewForm, rules.can_review(user) and subject.revoked_on is None,
                                 {"on": today}),
            announce_form=form_for("announce", forms.AnnounceForm,
                                   rules.can_announce(user, subject) and rules.announce_refusal(subject) is None,
                                   {"on": today}),
            revoke_form=form_for("revoke", forms.DatedReasonForm, editable, {"on": today}),
            power_form=bound.get("power") or (forms.PowerForm() if editable else None),
            deactivate_error=kwargs.pop("deactivate_error", None),
            recent_changes=recent_changes(m.EnforcementSubject, subject), basis=rules.BASIS_SUBJECT, **kwargs)


class SubjectActView(SubjectDetailView):
    """POST: the review (office), the announcement, the revocation."""

    FORMS = {"review": forms.ReviewForm, "announce": forms.AnnounceForm, "revoke": forms.DatedReasonForm}

    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, pk, act):
        if act not in self.FORMS:
            raise Http404
        subject = _subject_or_404(request, pk)
        form = self.FORMS[act](request.POST)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                if act == "review":
                    services.subject_review(subject=subject, actor=request.user, outcome=d["outcome"], on=d["on"],
                                            note=d["note"], expected_version=d["version"])
                elif act == "announce":
                    services.subject_announce(subject=subject, actor=request.user, on=d["on"], ref=d["ref"],
                                              expected_version=d["version"])
                else:
                    services.subject_revoke(subject=subject, actor=request.user, on=d["on"], reason=d["reason"],
                                            expected_version=d["version"])
            except NotAllowed as e:
                raise PermissionDenied(e.message) from None
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, {"review": "已登记主体资格审查结论", "announce": "已登记向社会公告",
                                           "revoke": "已撤销执法主体"}[act])
                return see_other(subject.get_absolute_url())
        elif not _may(request.user, act, subject):
            raise PermissionDenied("您无权办理此项")
        return self.render_to_response(self.get_context_data(pk=pk, bound={act: form}), status=status)


def _may(user, act, subject) -> bool:
    return {"review": rules.can_review(user), "announce": rules.can_announce(user, subject),
            "revoke": rules.may_act_for(user, subject.unit)}[act]


class PowerAddView(SubjectDetailView):
    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, pk):
        subject = _subject_or_404(request, pk)
        if not rules.can_edit_subject(request.user, subject):
            raise PermissionDenied("只有本单位或法制办可以修改职权清单")
        form = forms.PowerForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.power_add(subject=subject, actor=request.user, data=form.cleaned_data)
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已增加职权")
                return see_other(subject.get_absolute_url() + "#powers")
        return self.render_to_response(self.get_context_data(pk=pk, bound={"power": form}), status=status)


class PowerDeactivateView(SubjectDetailView):
    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, pk):
        power = selectors.power_get(user=request.user, pk=pk)
        if power is None:
            raise Http404("未找到该职权,或您无权查看")
        if not rules.can_edit_subject(request.user, power.subject):
            raise PermissionDenied("只有本单位或法制办可以修改职权清单")
        form = forms.DatedReasonForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.power_deactivate(power=power, actor=request.user, on=d["on"], reason=d["reason"],
                                          expected_version=d["version"])
            except FazhiError as e:
                return self.render_to_response(self.get_context_data(
                    pk=power.subject_id, deactivate_error=(power.pk, e.message)), status=e.status)
            messages.success(request, f"已停用职权「{power.name}」")
            return see_other(power.subject.get_absolute_url() + "#powers")
        message = next(iter(form.errors.values()))[0]
        return self.render_to_response(self.get_context_data(pk=power.subject_id,
                                                             deactivate_error=(power.pk, message)), status=400)


class SubjectExportView(RoleRequiredMixin, View):
    def get(self, request):
        try:
            return exports.subjects_xlsx(user=request.user, query=request.GET)
        except FazhiError as e:
            return HttpResponseBadRequest(e.message, content_type="text/plain; charset=utf-8")


# ---------------------------------------------------------------- officers


class OfficerListView(_Tabbed):
    template_name = "enforcement/subjects/officers.html"
    tab = "officers"

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        ctx = self.get_context_data(query=request.GET, q=_query(request), states=forms.STATE_CHOICES,
                                    can_register=may_register(request.user), today=today,
                                    expiring_days=rules.EXPIRING_DAYS, review_rule=rules.BASIS_REVIEW)
        try:
            filters = selectors.OfficerFilters.parse(request.GET)
            page = Paginator(selectors.officers(user=request.user, filters=filters, today=today), PAGE_SIZE).get_page(
                request.GET.get("page"))
            rows = selectors.officer_rows(page.object_list, today)
        except FazhiError as e:
            return self.render_to_response({**ctx, "error": e.message, "page_obj": None}, status=400)
        return self.render_to_response({**ctx, "page_obj": page, "rows": rows})


def _unit_subjects(units):
    return m.EnforcementSubject.objects.filter(unit__in=units, revoked_on__isnull=True).select_related("unit")


class OfficerCreateView(_TabbedCreate):
    template_name = "enforcement/subjects/officer_form.html"
    tab = "officers"

    refusal = "只有本单位或法制办可以登记执法人员"
    success_message = "已登记执法人员,请登记其执法证件"

    def make_form(self, units, data=None):
        return forms.OfficerForm(data, subjects=_unit_subjects(units))

    def create(self, unit, form):
        return services.officer_create(unit=unit, actor=self.request.user, data=form.cleaned_data)


def _officer_or_404(request, pk) -> m.Officer:
    officer = selectors.officer_get(user=request.user, pk=pk)
    if officer is None:
        raise Http404("未找到该执法人员,或您无权查看")
    return officer


class OfficerEditView(_Tabbed):
    template_name = "enforcement/subjects/officer_form.html"
    tab = "officers"

    def _officer(self, pk):
        officer = _officer_or_404(self.request, pk)
        if not rules.can_manage_officers(self.request.user, officer.unit):
            raise PermissionDenied("只有本单位或法制办可以修改执法人员")
        return officer

    def get(self, request, pk, *args, **kwargs):
        officer = self._officer(pk)
        initial = {k: getattr(officer, k) for k in services.OFFICER_FIELDS} | {"version": officer.version}
        return self.render_to_response(self.get_context_data(
            form=forms.OfficerForm(initial=initial, subjects=_unit_subjects([officer.unit])), officer=officer))

    def post(self, request, pk, *args, **kwargs):
        officer = self._officer(pk)
        form = forms.OfficerForm(request.POST, subjects=_unit_subjects([officer.unit]))
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.officer_update(officer=officer, actor=request.user, data=data, expected_version=version)
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已保存执法人员信息")
                return see_other(officer.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, officer=officer), status=status)


class OfficerDetailView(_Tabbed):
    template_name = "enforcement/subjects/officer.html"
    tab = "officers"

    def get_context_data(self, pk, **kwargs):
        user = self.request.user
        officer = _officer_or_404(self.request, pk)
        today = timezone.localdate()
        may = rules.can_manage_officers(user, officer.unit)
        certs = list(officer.certificates.all())
        bound = kwargs.pop("bound", {})
        cert_rows = [{"cert": c, "valid": rules.certificate_valid_on(c, today),
                      "review_overdue": rules.review_overdue(c, today),
                      "review_form": (bound.get(("review", c.pk)) or forms.CertificateReviewForm(
                          initial={"version": c.version,
                                   "year": min((c.reviewed_year or c.issued_on.year) + 1, today.year)}))
                      if may and c.status != m.CERT_REVOKED else None,
                      "status_form": (bound.get(("status", c.pk)) or forms.CertificateStatusForm(
                          initial={"version": c.version, "on": today}))
                      if may and c.status != m.CERT_REVOKED else None} for c in certs]
        return super().get_context_data(
            officer=officer, today=today, state=rules.certificate_state(certs, today), cert_rows=cert_rows,
            can_edit=may, expiring_days=rules.EXPIRING_DAYS, review_rule=rules.BASIS_REVIEW,
            certificate_form=bound.get("certificate") or (forms.CertificateForm() if may and officer.active else None),
            leave_form=bound.get("leave") or (forms.DatedReasonForm(initial={"version": officer.version, "on": today})
                                              if may and officer.active else None),
            recent_changes=recent_changes(m.Officer, officer), **kwargs)


class OfficerLeaveView(OfficerDetailView):
    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, pk):
        officer = _officer_or_404(request, pk)
        if not rules.can_manage_officers(request.user, officer.unit):
            raise PermissionDenied("只有本单位或法制办可以办理离岗")
        form = forms.DatedReasonForm(request.POST)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.officer_leave(officer=officer, actor=request.user, on=d["on"], reason=d["reason"],
                                       expected_version=d["version"])
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已办理离岗")
                return see_other(officer.get_absolute_url())
        return self.render_to_response(self.get_context_data(pk=pk, bound={"leave": form}), status=status)


class CertificateAddView(OfficerDetailView):
    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, pk):
        officer = _officer_or_404(request, pk)
        if not rules.can_manage_officers(request.user, officer.unit):
            raise PermissionDenied("只有本单位或法制办可以登记执法证件")
        form = forms.CertificateForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.certificate_add(officer=officer, actor=request.user, data=form.cleaned_data)
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已登记执法证件")
                return see_other(officer.get_absolute_url() + "#certificates")
        return self.render_to_response(self.get_context_data(pk=pk, bound={"certificate": form}), status=status)


class CertificateActView(OfficerDetailView):
    """POST: 年审 (review) or 暂扣 / 注销 (status) of one certificate."""

    FORMS = {"review": forms.CertificateReviewForm, "status": forms.CertificateStatusForm}

    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, pk, act):
        if act not in self.FORMS:
            raise Http404
        cert = selectors.certificate_get(user=request.user, pk=pk)
        if cert is None:
            raise Http404("未找到该证件,或您无权查看")
        if not rules.can_manage_officers(request.user, cert.unit):
            raise PermissionDenied("只有本单位或法制办可以办理执法证件")
        form = self.FORMS[act](request.POST)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                if act == "review":
                    services.certificate_review(certificate=cert, actor=request.user, year=d["year"],
                                                expected_version=d["version"])
                else:
                    services.certificate_status(certificate=cert, actor=request.user, status=d["status"], on=d["on"],
                                                reason=d["reason"], expected_version=d["version"])
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已登记年审" if act == "review" else "已办理证件暂扣或注销")
                return see_other(cert.officer.get_absolute_url() + f"#cert-{cert.pk}")
        return self.render_to_response(self.get_context_data(pk=cert.officer_id, bound={(act, cert.pk): form}),
                                       status=status)


class OfficerExportView(RoleRequiredMixin, View):
    def get(self, request):
        try:
            return exports.officers_xlsx(user=request.user, query=request.GET)
        except FazhiError as e:
            return HttpResponseBadRequest(e.message, content_type="text/plain; charset=utf-8")


# ---------------------------------------------------------------- acts without a legal basis


class BasislessListView(_Tabbed):
    template_name = "enforcement/subjects/basisless_list.html"
    tab = "basisless"

    def get(self, request, *args, **kwargs):
        status = (request.GET.get("status") or "").strip()
        ctx = self.get_context_data(statuses=m.ACT_STATES, status=status, query=request.GET, q=_query(request),
                                    can_report=rules.can_report_basisless(request.user))
        try:
            if status and status not in m.ACT_STATE_LABELS:
                raise FazhiError(f"「纠正状态」{status[:20]} 无效,可选:{'、'.join(m.ACT_STATE_LABELS)}"
                                 f"({'、'.join(m.ACT_STATE_LABELS.values())})", field="status")
            unit = selectors._unit(request.GET, "责任单位")
            page = Paginator(selectors.basisless(user=request.user, status=status, unit=unit), PAGE_SIZE).get_page(
                request.GET.get("page"))
            rows = list(page.object_list)
        except FazhiError as e:
            return self.render_to_response({**ctx, "error": e.message, "page_obj": None}, status=400)
        return self.render_to_response({**ctx, "page_obj": page, "rows": rows})


class BasislessCreateView(_Tabbed):
    template_name = "enforcement/subjects/basisless_form.html"
    tab = "basisless"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.can_report_basisless(request.user):
            raise PermissionDenied("没有合法依据的执法行为由法制办或督查登记")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=forms.BasislessForm(
            initial={"found_on": timezone.localdate()})))

    def post(self, request, *args, **kwargs):
        form = forms.BasislessForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                act = services.basisless_create(actor=request.user, data=form.cleaned_data)
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已登记,待责任单位纠正")
                return see_other(act.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=status)


def _basisless_or_404(request, pk) -> m.BasislessAct:
    act = selectors.basisless_get(user=request.user, pk=pk)
    if act is None:
        raise Http404("未找到该记录,或您无权查看")
    return act


class BasislessDetailView(_Tabbed):
    template_name = "enforcement/subjects/basisless.html"
    tab = "basisless"

    def get_context_data(self, pk, **kwargs):
        user = self.request.user
        act = _basisless_or_404(self.request, pk)
        today = timezone.localdate()
        bound = kwargs.pop("bound", {})
        v = {"version": act.version, "on": today}
        return super().get_context_data(
            record=act,
            correct_form=bound.get("correct") or (forms.CorrectionForm(initial=v)
                                                  if rules.can_correct_basisless(user, act) else None),
            accept_form=bound.get("decide") or (forms.AcceptForm(initial=v)
                                                if rules.can_accept_basisless(user, act) else None),
            recent_changes=recent_changes(m.BasislessAct, act), **kwargs)


class BasislessActView(BasislessDetailView):
    FORMS = {"correct": forms.CorrectionForm, "decide": forms.AcceptForm}

    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, pk, act):
        if act not in self.FORMS:
            raise Http404
        record = _basisless_or_404(request, pk)
        form = self.FORMS[act](request.POST)
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                if act == "correct":
                    services.basisless_correct(act=record, actor=request.user, on=d["on"], correction=d["correction"],
                                               expected_version=d["version"])
                else:
                    services.basisless_decide(act=record, actor=request.user, accept=d["decision"] == "accept",
                                              on=d["on"], reason=d["reason"], expected_version=d["version"])
            except NotAllowed as e:
                raise PermissionDenied(e.message) from None
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已保存")
                return see_other(record.get_absolute_url())
        elif not (rules.may_act_for(request.user, record.unit) if act == "correct"
                  else scope_for(request.user).is_office):
            raise PermissionDenied("您无权办理此项")
        return self.render_to_response(self.get_context_data(pk=pk, bound={act: form}), status=status)


# ---------------------------------------------------------------- catalogue of major decisions


class CatalogueView(_Tabbed):
    template_name = "enforcement/subjects/catalogue.html"
    tab = "catalogue"

    def get(self, request, *args, **kwargs):
        ctx = self.get_context_data(query=request.GET, q=_query(request), can_add=rules.can_edit_catalogue(request.user, None),
                                    basis=rules.BASIS_MAJOR)
        try:
            unit = selectors._unit(request.GET)
            page = Paginator(selectors.entries(user=request.user, unit=unit), PAGE_SIZE).get_page(
                request.GET.get("page"))
        except FazhiError as e:
            return self.render_to_response({**ctx, "error": e.message, "page_obj": None}, status=400)
        labels = forms.measure_labels(page.object_list)
        rows = [(e, "、".join(labels.get((e.unit_id, x), x) for x in e.measures),
                 rules.can_edit_catalogue(request.user, e.unit)) for e in page.object_list]
        return self.render_to_response({**ctx, "page_obj": page, "rows": rows})


def _entry_data(form) -> dict:
    return {k: form.cleaned_data.get(k) for k in services.ENTRY_FIELDS}


class EntryCreateView(_Tabbed):
    template_name = "enforcement/subjects/entry_form.html"
    tab = "catalogue"

    def _units(self):
        units = [u for u in writable_units(self.request.user) if rules.can_edit_catalogue(self.request.user, u)]
        if not units:
            raise PermissionDenied("重大执法决定目录由法制办编制和调整,办案单位可以查看")
        return units

    def get(self, request, *args, **kwargs):
        units = self._units()  # ?unit=<code>: the form lists that unit's licence items
        code = request.GET.get("unit", "")
        unit = picked_unit(units, code)
        return self.render_to_response(self.get_context_data(form=forms.EntryForm(unit=unit), units=units,
                                                             unit_code=unit.code if unit else code))

    def post(self, request, *args, **kwargs):
        units = self._units()
        unit, code = _pick_unit(request, units)
        form = forms.EntryForm(request.POST, unit=unit)
        status = 400
        if unit is None:
            form.add_error(None, "请选择「单位」")
        elif form.is_valid():
            try:
                services.entry_create(unit=unit, actor=request.user, data=_entry_data(form))
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已增加目录事项")
                from django.urls import reverse

                return see_other(reverse("subject-catalogue") + f"?unit={unit.code}")
        return self.render_to_response(self.get_context_data(form=form, units=units, unit_code=code), status=status)


class EntryEditView(_Tabbed):
    template_name = "enforcement/subjects/entry_form.html"
    tab = "catalogue"

    def _entry(self, pk):
        entry = selectors.entry_get(user=self.request.user, pk=pk)
        if entry is None:
            raise Http404("未找到该目录事项,或您无权查看")
        if not rules.can_edit_catalogue(self.request.user, entry.unit):
            raise PermissionDenied("重大执法决定目录由法制办编制和调整,办案单位不能自行修改")
        return entry

    def get(self, request, pk, *args, **kwargs):
        entry = self._entry(pk)
        initial = {k: getattr(entry, k) for k in services.ENTRY_FIELDS} | {"version": entry.version}
        return self.render_to_response(self.get_context_data(form=forms.EntryForm(initial=initial, unit=entry.unit),
                                                             entry=entry))

    def post(self, request, pk, *args, **kwargs):
        entry = self._entry(pk)
        form = forms.EntryForm(request.POST, unit=entry.unit, initial={"measures": entry.measures})
        status = 400
        if form.is_valid():
            try:
                services.entry_update(entry=entry, actor=request.user, data=_entry_data(form),
                                      expected_version=form.cleaned_data["version"])
            except FazhiError as e:
                _form_error(form, e)
                status = e.status
            else:
                messages.success(request, "已保存目录事项")
                from django.urls import reverse

                return see_other(reverse("subject-catalogue") + f"?unit={entry.unit.code}")
        return self.render_to_response(self.get_context_data(form=form, entry=entry), status=status)


# ---------------------------------------------------------------- public


class PublicSubjectsView(PublicView):
    """行政执法公示: announced, qualified, not revoked subjects with their powers and basis, and their officers
    holding a valid certificate (name and certificate number, as 亮证执法 shows them)."""

    template_name = "enforcement/subjects/public_list.html"
    section = "enforcement-subjects"

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        units = Unit.objects.filter(active=True, kind__in=("department", "subdistrict", "town")).order_by(
            "sort_order", "code")
        ctx = self.get_context_data(query=request.GET, units=units, areas=_area_choices())
        try:
            filters = selectors.PublicFilters.parse(request.GET)
            page = Paginator(selectors.public_subjects(filters=filters, today=today), 20).get_page(
                request.GET.get("page"))
        except FazhiError as e:
            return self.render_to_response({**ctx, "error": e.message, "page_obj": None}, status=400)
        rows = [(s, selectors.public_officers(s, today)) for s in page.object_list]
        return self.render_to_response({**ctx, "page_obj": page, "rows": rows, "q": _query(request)})


# ---------------------------------------------------------------- overview


class OverviewView(RoleRequiredMixin, TemplateView):
    """执法总览: cases by unit, key area, status and overdue state; certificates expiring and expired; subjects
    not reviewed or not announced — each within what the user may see (the office: everything)."""

    template_name = "enforcement/subjects/overview.html"

    def get_context_data(self, **kwargs):
        from fazhi.enforcement.subjects import overview

        user, today = self.request.user, timezone.localdate()
        return super().get_context_data(today=today, cases=overview.cases(user, today),
                                        certs=overview.certificates(user, today),
                                        subjects=overview.subjects(user, today), expiring_days=rules.EXPIRING_DAYS,
                                        **kwargs)
