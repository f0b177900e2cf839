"""Reads of subjects, officers, acts without a legal basis and the catalogue, every one through the scoping, in a
constant number of queries per page (prefetches, never a query per row). Filters are parsed once here for the
pages, the exports and the API: a value not understood is InvalidInput naming the filter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from fazhi.core.errors import InvalidInput
from fazhi.core.filters import FilterError, clean_text, clean_unit_code, parse_bool, visible_unit_path
from fazhi.enforcement.subjects import models as m
from fazhi.enforcement.subjects import rules


def _unit(query, label: str = "单位") -> str:
    try:
        return clean_unit_code(query.get("unit", ""))
    except FilterError as e:
        raise InvalidInput(f"「{label}」{e}", field="unit") from None


def _in_unit(qs, user, code: str, label: str = "单位"):
    if not code:
        return qs
    try:
        return qs.in_subtree(visible_unit_path(user, code))
    except FilterError as e:
        raise InvalidInput(f"「{label}」{e}", field="unit") from None


def _choice(query, name: str, choices: dict, label: str) -> str:
    value = (query.get(name) or "").strip()
    if value and value not in choices:
        raise InvalidInput(f"「{label}」{value[:20]} 无效,可选:{'、'.join(choices)}({'、'.join(choices.values())})",
                           field=name)
    return value


def _key_area(query) -> str:
    from fazhi.org.models import KeyArea

    try:  # checked before the database sees it (PostgreSQL refuses a NUL byte in text: a 500)
        code = clean_text(query.get("key_area"), max_length=40).strip()
    except FilterError as e:
        raise InvalidInput(f"「执法领域」{e}", field="key_area") from None
    if code and not KeyArea.objects.filter(code=code).exists():
        raise InvalidInput(f"「执法领域」{code[:20]} 不是重点领域代码,请从列表中选择", field="key_area")
    return code


@dataclass
class SubjectFilters:
    unit: str = ""
    kind: str = ""
    review: str = ""
    announced: bool | None = None
    key_area: str = ""

    @classmethod
    def parse(cls, query) -> SubjectFilters:
        try:
            announced = parse_bool(query.get("announced", ""))
        except FilterError as e:
            raise InvalidInput(f"「已公告」{e}", field="announced") from None
        return cls(unit=_unit(query), kind=_choice(query, "kind", m.SUBJECT_KIND_LABELS, "主体类别"),
                   review=_choice(query, "review", m.REVIEW_STATE_LABELS, "审查结论"), announced=announced,
                   key_area=_key_area(query))

    def apply(self, qs, *, user):
        qs = _in_unit(qs, user, self.unit)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.review:
            qs = qs.filter(review_status=self.review)
        if self.announced is not None:
            qs = qs.filter(announced_on__isnull=not self.announced)
        if self.key_area:
            qs = qs.filter(key_areas__code=self.key_area)
        return qs

    def describe(self) -> str:
        parts = [f"单位 {self.unit}(含下级)" if self.unit else "",
                 m.SUBJECT_KIND_LABELS.get(self.kind, ""), m.REVIEW_STATE_LABELS.get(self.review, ""),
                 {True: "已公告", False: "未公告"}.get(self.announced, ""),
                 f"执法领域 {self.key_area}" if self.key_area else ""]
        return "、".join(p for p in parts if p)


def _active_count(model):
    """Active powers (officers) of each listed subject: a subquery per row over the subject's index, not a join of
    powers × officers grouped per subject (which the paginator's COUNT would also have to build)."""
    rows = (model.objects.filter(subject=OuterRef("pk"), active=True).order_by().values("subject")
            .annotate(n=Count("id")).values("n")[:1])
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def subjects(*, user, filters: SubjectFilters | None = None):
    from fazhi.org.models import KeyArea

    qs = (m.EnforcementSubject.objects.visible_to(user).select_related("unit", "entrusted_by")
          .prefetch_related(Prefetch("key_areas", queryset=KeyArea.objects.order_by("sort_order", "code")))
          .annotate(n_powers=_active_count(m.Power), n_officers=_active_count(m.Officer)))
    if filters is not None:
        qs = filters.apply(qs, user=user)
    return qs.order_by("unit__sort_order", "unit__code", "name", "id")


def subject_get(*, user, pk: int) -> m.EnforcementSubject | None:
    return (m.EnforcementSubject.objects.visible_to(user)
            .select_related("unit", "entrusted_by", "reviewed_by", "created_by").filter(pk=pk).first())


def powers(subject) -> list[m.Power]:
    return list(subject.powers.order_by("-active", "kind", "id"))


def power_get(*, user, pk: int) -> m.Power | None:
    return m.Power.objects.visible_to(user).select_related("subject", "subject__unit", "unit").filter(pk=pk).first()


def _certs_prefetch():
    return Prefetch("certificates", queryset=m.Certificate.objects.order_by("-issued_on", "-id"))


STATE_LABELS = rules.CERT_STATE_LABELS


@dataclass
class OfficerFilters:
    unit: str = ""
    state: str = ""
    q: str = ""
    active: bool | None = True

    @classmethod
    def parse(cls, query) -> OfficerFilters:
        try:
            q = clean_text(query.get("q", ""), max_length=40).strip()
        except FilterError as e:
            raise InvalidInput(f"「姓名」{e}", field="q") from None
        try:
            active = parse_bool(query.get("active", "true") if "active" in query else "true")
        except FilterError as e:
            raise InvalidInput(f"「在岗」{e}", field="active") from None
        return cls(unit=_unit(query), state=_choice(query, "state", STATE_LABELS, "证件状态"), q=q, active=active)

    def apply(self, qs, *, user, today: date):
        qs = _in_unit(qs, user, self.unit)
        if self.state:
            qs = qs.filter(rules.officer_state_q(self.state, today))
        if self.q:
            qs = qs.filter(Q(name__contains=self.q) | Q(staff_number__contains=self.q))
        if self.active is not None:
            qs = qs.filter(active=self.active)
        return qs

    def describe(self) -> str:
        parts = [f"单位 {self.unit}(含下级)" if self.unit else "", STATE_LABELS.get(self.state, ""),
                 f"姓名含「{self.q}」" if self.q else "", {True: "在岗", False: "已离岗"}.get(self.active, "")]
        return "、".join(p for p in parts if p)


def officers(*, user, filters: OfficerFilters | None = None, today: date):
    qs = (m.Officer.objects.visible_to(user).select_related("unit", "subject")
          .prefetch_related(_certs_prefetch()))
    if filters is not None:
        qs = filters.apply(qs, user=user, today=today)
    return qs.order_by("unit__sort_order", "unit__code", "name", "id")


def officer_rows(officers_, today: date) -> list[dict]:
    """Each officer with the state of its certificates (rules.certificate_state) and the 年审 warning."""
    rows = []
    for o in officers_:
        certs = list(o.certificates.all())
        cert = rules.valid_certificate(certs, today)
        rows.append({"officer": o, "state": rules.certificate_state(certs, today), "certificate": cert,
                     "review_overdue": cert is not None and rules.review_overdue(cert, today),
                     "latest": certs[0] if certs else None})
    return rows


def officer_get(*, user, pk: int) -> m.Officer | None:
    return (m.Officer.objects.visible_to(user).select_related("unit", "subject", "created_by")
            .prefetch_related(_certs_prefetch()).filter(pk=pk).first())


def certificate_get(*, user, pk: int) -> m.Certificate | None:
    return m.Certificate.objects.visible_to(user).select_related("officer", "unit").filter(pk=pk).first()


def subject_officers(subject, today: date) -> list[dict]:
    qs = subject.officers.select_related("unit").prefetch_related(_certs_prefetch()).order_by("-active", "name", "id")
    return officer_rows(qs, today)


# ---------------------------------------------------------------- acts without a legal basis, catalogue


def basisless(*, user, status: str = "", unit: str = ""):
    qs = m.BasislessAct.objects.visible_to(user).select_related("unit", "subject", "created_by")
    qs = _in_unit(qs, user, unit, "责任单位")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "-found_on", "-id")


def basisless_get(*, user, pk: int) -> m.BasislessAct | None:
    return (m.BasislessAct.objects.visible_to(user).select_related("unit", "subject", "created_by", "accepted_by")
            .filter(pk=pk).first())


def entries(*, user, unit: str = "", active: bool | None = None):
    qs = m.MajorDecisionEntry.objects.visible_to(user).select_related("unit")
    qs = _in_unit(qs, user, unit)
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("unit__sort_order", "unit__code", "decision_kind", "id")


def entry_get(*, user, pk: int) -> m.MajorDecisionEntry | None:
    return m.MajorDecisionEntry.objects.visible_to(user).select_related("unit").filter(pk=pk).first()


# ---------------------------------------------------------------- public


@dataclass
class PublicFilters:
    unit: str = ""
    key_area: str = ""

    @classmethod
    def parse(cls, query) -> PublicFilters:
        return cls(unit=_unit(query), key_area=_key_area(query))


def public_subjects(*, filters: PublicFilters, today: date):
    """Announced, qualified, not revoked subjects with their active powers and their officers (certificates
    prefetched: the page shows those valid today), for anyone."""
    from fazhi.org.models import KeyArea, Unit

    qs = (m.EnforcementSubject.objects.filter(rules.public_subjects_q(today)).select_related("unit", "entrusted_by")
          .prefetch_related(
              Prefetch("key_areas", queryset=KeyArea.objects.order_by("sort_order", "code")),
              Prefetch("powers", queryset=m.Power.objects.filter(active=True).order_by("kind", "id"),
                       to_attr="public_powers"),
              Prefetch("officers", queryset=m.Officer.objects.filter(active=True).order_by("name", "id")
                       .prefetch_related(_certs_prefetch()), to_attr="public_officers")))
    if filters.unit:
        path = Unit.objects.filter(code=filters.unit, active=True).values_list("path", flat=True).first()
        if path is None:
            raise InvalidInput(f"「单位」未找到单位「{filters.unit}」,请核对单位代码", field="unit")
        qs = qs.in_subtree(path)
    if filters.key_area:
        qs = qs.filter(key_areas__code=filters.key_area)
    return qs.order_by("unit__sort_order", "unit__code", "name", "id")


def public_officers(subject, today: date) -> list[tuple]:
    """(name, certificate) of the subject's officers holding a certificate valid today (亮证: 行政执法公示)."""
    rows = []
    for o in subject.public_officers:
        cert = rules.valid_certificate(o.certificates.all(), today)
        if cert is not None:
            rows.append((o.name, cert))
    return rows
