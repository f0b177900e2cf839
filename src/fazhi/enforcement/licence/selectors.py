"""Reads of 行政许可, all through the scoping (`visible_to`): a unit sees its own items and cases, the office,
inspectors and leaders all; the public sees published items only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast

from fazhi.core.errors import InvalidInput
from fazhi.core.filters import FilterError, clean_text, clean_unit_code, parse_bool, parse_year, visible_unit_path
from fazhi.deadlines.models import Deadline
from fazhi.deadlines.selectors import overdue_records
from fazhi.enforcement.licence import rules
from fazhi.enforcement.licence.models import ITEM_PUBLISHED, ITEM_STATUSES, STATUSES, LicenceCase, LicenceItem


def _unit(query, user, field="unit"):
    try:
        code = clean_unit_code(query.get(field) or "")
    except FilterError as e:
        raise InvalidInput(f"「实施单位」{e}", field=field) from None
    if not code:
        return "", None
    if user is None:  # the public pages: any unit by its code
        from fazhi.org.models import Unit

        path = Unit.objects.filter(code=code).values_list("path", flat=True).first()
        if path is None:
            raise InvalidInput(f"「实施单位」未找到单位「{code}」,请核对单位代码", field=field)
        return code, path
    try:
        return code, visible_unit_path(user, code)
    except FilterError as e:
        raise InvalidInput(f"「实施单位」{e}", field=field) from None


def _id(query, field: str, label: str) -> int | None:
    raw = (query.get(field) or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18 and int(raw) > 0):
        raise InvalidInput(f"「{label}」{raw[:20]} 无效,应为编号(正整数)", field=field)
    return int(raw)


def _choice(query, field: str, label: str, choices) -> str:
    value = (query.get(field) or "").strip()
    if value and value not in dict(choices):
        raise InvalidInput(f"「{label}」{value[:20]} 无效,可选:{'、'.join(f'{k}({v})' for k, v in choices)}", field=field)
    return value


@dataclass
class ItemFilters:
    status: str = ""
    unit: str = ""
    unit_path: str | None = None
    subject: int | None = None
    q: str = ""

    @classmethod
    def parse(cls, query, *, user=None) -> ItemFilters:
        status = _choice(query, "status", "状态", ITEM_STATUSES)
        unit, path = _unit(query, user)
        try:
            q = clean_text(query.get("q") or "", max_length=100).strip()
        except FilterError as e:
            raise InvalidInput(f"「事项名称或编码」{e}", field="q") from None
        return cls(status=status, unit=unit, unit_path=path, subject=_id(query, "subject", "实施主体"), q=q)

    def apply(self, qs):
        if self.unit_path:
            qs = qs.in_subtree(self.unit_path)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.subject:
            qs = qs.filter(subject_id=self.subject)
        if self.q:
            qs = qs.filter(Q(name__icontains=self.q) | Q(code__icontains=self.q))
        return qs

    def describe(self) -> str:
        parts = [f"实施单位 {self.unit}" if self.unit else "", f"状态 {dict(ITEM_STATUSES)[self.status]}" if self.status else "",
                 f"名称含「{self.q}」" if self.q else ""]
        return "、".join(p for p in parts if p)


def items(*, user, filters: ItemFilters):
    qs = LicenceItem.objects.visible_to(user).select_related("unit", "subject")
    return filters.apply(qs).order_by("unit__sort_order", "code", "id")


def item_get(*, user, pk: int) -> LicenceItem | None:
    return LicenceItem.objects.visible_to(user).select_related("unit", "subject", "created_by").filter(pk=pk).first()


def public_items(*, filters: ItemFilters):
    qs = LicenceItem.objects.filter(status=ITEM_PUBLISHED).select_related("unit", "subject")
    return filters.apply(qs).order_by("unit__sort_order", "code", "id")


def public_item(key: str) -> LicenceItem | None:
    if not (isinstance(key, str) and len(key) == 32 and key.isascii() and key.isalnum()):
        return None
    return LicenceItem.objects.filter(status=ITEM_PUBLISHED, public_key=key).select_related("unit", "subject").first()


def overdue_q(today: date) -> Q:
    """A case with an open, running clock past its due date (the work list's rule: due today is not overdue), read
    from the clocks' side (deadlines.selectors.overdue_records): its cost follows the overdue clocks, not the cases."""
    return Q(pk__in=overdue_records(LicenceCase, today))


@dataclass
class CaseFilters:
    status: str = ""
    unit: str = ""
    unit_path: str | None = None
    item: int | None = None
    subject: int | None = None
    year: int | None = None
    overdue: bool | None = None

    @classmethod
    def parse(cls, query, *, user) -> CaseFilters:
        status = _choice(query, "status", "状态", STATUSES)
        unit, path = _unit(query, user)
        try:
            year = parse_year(query.get("year"))
        except FilterError as e:
            raise InvalidInput(f"「年份」{e}", field="year") from None
        try:
            overdue = parse_bool(query.get("overdue"))
        except FilterError as e:
            raise InvalidInput(f"「逾期」{e}", field="overdue") from None
        return cls(status=status, unit=unit, unit_path=path, item=_id(query, "item", "许可事项"),
                   subject=_id(query, "subject", "实施主体"), year=year, overdue=overdue)

    def apply(self, qs):
        if self.unit_path:
            qs = qs.in_subtree(self.unit_path)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.item:
            qs = qs.filter(item_id=self.item)
        if self.subject:
            qs = qs.filter(subject_id=self.subject)
        if self.year:
            qs = qs.filter(number_year=self.year)
        if self.overdue is not None:
            qs = qs.filter(overdue_q(rules.today())) if self.overdue else qs.exclude(overdue_q(rules.today()))
        return qs

    def describe(self) -> str:
        parts = [f"实施单位 {self.unit}" if self.unit else "", f"{self.year} 年收件" if self.year else "",
                 f"状态 {dict(STATUSES)[self.status]}" if self.status else "",
                 f"许可事项 {self.item}" if self.item else "",
                 {True: "有逾期期限", False: "无逾期期限", None: ""}[self.overdue]]
        return "、".join(p for p in parts if p)


def cases(*, user, filters: CaseFilters):
    qs = (LicenceCase.objects.visible_to(user).select_related("unit", "item", "subject")
          .annotate(is_overdue=Exists(Deadline.objects.filter(
              content_type=ContentType.objects.get_for_model(LicenceCase), object_id=Cast(OuterRef("pk"), CharField()),
              status=Deadline.OPEN, paused_since__isnull=True, due__lt=rules.today()))))
    return filters.apply(qs).order_by("-received_on", "-id")


def case_get(*, user, pk: int) -> LicenceCase | None:
    return (LicenceCase.objects.visible_to(user).select_related("unit", "item", "subject", "created_by")
            .filter(pk=pk).first())


def case_acts(case) -> list:
    return list(case.acts.select_related("actor").order_by("id"))


def applicant_view(case, user) -> dict:
    """The applicant's ID number and contact as this user may read them: in clear for whoever acts on the case (its
    unit, the office), masked for those who only read when the applicant is a natural person (an organisation's
    registered details are public) — the same rule as a penalty case's party."""
    from fazhi.core.masking import mask_text

    data = {"code": case.applicant_code, "contact": case.applicant_contact, "masked": False}
    if case.applicant_kind == "person" and not rules.can_act(user, case.unit):
        data = {"code": mask_text(case.applicant_code), "contact": mask_text(case.applicant_contact), "masked": True}
    return data


PICK_LIMIT = 100  # officers offered in one pick list; a larger unit searches by name or certificate number


def officer_pick(unit, q: str = "") -> tuple[list, int]:
    """The case unit's officers in post for a pick list (现场核查, 听证主持人): at most PICK_LIMIT, by name, filtered by
    `q` (name or certificate number); with the count of all that match, so the page says when the list is cut."""
    from fazhi.enforcement.subjects.models import Officer

    qs = Officer.objects.filter(unit=unit, active=True)
    q = (q or "").strip()[:40]
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(certificates__number__icontains=q)).distinct()
    return list(qs.order_by("name", "id")[:PICK_LIMIT]), qs.count()
