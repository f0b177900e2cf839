"""Reads of 行政处罚 cases, all through the scoping (`visible_to`): a unit sees its own cases; the office,
inspectors and leaders all. The list's filters are parsed once here for pages, exports and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q

from fazhi.core.errors import InvalidInput
from fazhi.core.filters import FilterError, clean_unit_code, parse_bool, parse_year, visible_unit_path
from fazhi.deadlines.selectors import overdue_records
from fazhi.enforcement.penalty import rules
from fazhi.enforcement.penalty.models import STATUSES, PenaltyCase


def _key_areas():
    from fazhi.org.models import KeyArea

    return list(KeyArea.objects.filter(active=True))


@dataclass
class CaseFilters:
    status: str = ""
    unit: str = ""
    key_area: str = ""
    subject: int | None = None
    year: int | None = None
    overdue: bool | None = None

    @classmethod
    def parse(cls, query) -> CaseFilters:
        """A value not understood is InvalidInput naming its filter (400)."""
        status = (query.get("status") or "").strip()
        if status and status not in dict(STATUSES):
            raise InvalidInput(f"「状态」{status[:20]} 无效,可选:{'、'.join(f'{k}({v})' for k, v in STATUSES)}",
                               field="status")
        try:
            unit = clean_unit_code(query.get("unit") or "")
        except FilterError as e:
            raise InvalidInput(f"「单位」{e}", field="unit") from None
        key_area = (query.get("key_area") or "").strip()
        if key_area and key_area not in {k.code for k in _key_areas()}:
            raise InvalidInput(f"「执法领域」{key_area[:40]} 无效,请从列表中选择重点领域代码", field="key_area")
        raw_subject = str(query.get("subject") or "").strip()
        subject = None
        if raw_subject:
            if not (raw_subject.isascii() and raw_subject.isdigit() and len(raw_subject) <= 12):
                raise InvalidInput("「执法主体」应为执法主体编号(正整数)", field="subject")
            subject = int(raw_subject)
        try:
            year = parse_year(query.get("year"))
        except FilterError as e:
            raise InvalidInput(f"「年份」{e}", field="year") from None
        try:
            overdue = parse_bool(query.get("overdue"))
        except FilterError as e:
            raise InvalidInput(f"「逾期」{e}", field="overdue") from None
        return cls(status=status, unit=unit, key_area=key_area, subject=subject, year=year, overdue=overdue)

    def apply(self, qs, *, user):
        if self.unit:
            try:
                qs = qs.in_subtree(visible_unit_path(user, self.unit))
            except FilterError as e:
                raise InvalidInput(f"「单位」{e}", field="unit") from None
        if self.status:
            qs = qs.filter(status=self.status)
        if self.key_area:
            qs = qs.filter(key_area__code=self.key_area)
        if self.subject:
            qs = qs.filter(subject_id=self.subject)
        if self.year:
            qs = qs.filter(number_year=self.year)
        if self.overdue is not None:
            late = Q(pk__in=overdue_records(PenaltyCase, rules.today()))  # read from the clocks' side (index)
            qs = qs.filter(late) if self.overdue else qs.exclude(late)
        return qs

    def describe(self) -> str:
        parts = []
        if self.unit:
            parts.append(f"单位 {self.unit}")
        if self.key_area:
            parts.append(f"执法领域 {self.key_area}")
        if self.subject:
            parts.append(f"执法主体 {self.subject}")
        if self.year:
            parts.append(f"{self.year} 年立案")
        if self.status:
            parts.append(f"状态 {dict(STATUSES)[self.status]}")
        if self.overdue is not None:
            parts.append("有逾期期限" if self.overdue else "无逾期期限")
        return "、".join(parts)


def overdue_q():
    """A case with a running clock past its due date (办案期限, 缴款, 上缴 …), as a boolean for the rows: the one
    rule of deadlines.selectors.overdue_records (read from the clocks' side), as the filter reads it."""
    return ExpressionWrapper(Q(pk__in=overdue_records(PenaltyCase, rules.today())), output_field=BooleanField())


def cases(*, user, filters: CaseFilters):
    qs = PenaltyCase.objects.visible_to(user).select_related("unit", "subject", "key_area")
    return filters.apply(qs, user=user).annotate(overdue=overdue_q()).order_by("-filed_on", "-id")


def case_get(*, user, pk: int) -> PenaltyCase | None:
    return (PenaltyCase.objects.visible_to(user).select_related("unit", "subject", "key_area", "created_by", "decided_by")
            .filter(pk=pk).first())


def officer_rows(case) -> list:
    return list(case.officers.select_related("officer").prefetch_related("officer__certificates").order_by("id"))


def payments(case) -> list:
    return list(case.payments.select_related("recorded_by").order_by("paid_on", "id"))


def case_acts(case) -> list:
    return list(case.acts.select_related("actor").order_by("id"))


def subjects_for(user) -> list:
    """The pick list of 立案: the qualified subjects of the units the user acts for (the office: all)."""
    from fazhi.core.scoping import scope_for
    from fazhi.enforcement.subjects.models import QUALIFIED, EnforcementSubject

    qs = EnforcementSubject.objects.visible_to(user).filter(review_status=QUALIFIED).select_related("unit")
    scope = scope_for(user)
    if not scope.is_office:
        qs = [s for s in qs if scope.acts_for(s.unit)]
    return list(qs)


def officers_for(user, unit=None) -> list:
    from fazhi.enforcement.subjects.models import Officer

    qs = Officer.objects.visible_to(user).filter(active=True).select_related("unit")
    if unit is not None:
        qs = qs.filter(unit=unit)
    return list(qs.prefetch_related("certificates")[:500])


def filter_subjects(user) -> list:
    """The list filter's choices: the subjects the user may see (their units'; the office, leaders, inspectors all)."""
    from fazhi.enforcement.subjects.models import EnforcementSubject

    return list(EnforcementSubject.objects.visible_to(user).only("id", "name").order_by("name", "id"))


def key_areas() -> list:
    return _key_areas()


def party_view(case, user) -> dict:
    """The party's personal data as this user may read it: masked for those who only read (leaders, inspectors,
    the office's readers are not masked — the office acts), for a natural person only (an organisation's
    registered details are public)."""
    from fazhi.core.masking import mask_text
    from fazhi.enforcement.penalty import rules
    from fazhi.enforcement.penalty.models import PERSON

    data = {"id_number": case.party_id_number, "address": case.party_address, "phone": case.party_phone,
            "masked": False}
    if case.party_kind == PERSON and not rules.sees_personal_data(user, case):
        data = {"id_number": mask_text(case.party_id_number), "phone": mask_text(case.party_phone),
                "address": (case.party_address[:6] + "****") if case.party_address else "", "masked": True}
    return data
