"""List filters validated one way for the API and the pages: a value that is not understood is a
400 naming the filter, never silently ignored (django-filter's booleans treat `maybe` as "no filter").
An empty value means "no filter", as an HTML form's 全部 sends it (the schema says so: allowEmptyValue)."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db import models
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field

BOOLEAN_MESSAGE = "只能是 true 或 false(留空表示不限)"
UNIT_CODE_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")
UNIT_CODE_MESSAGE = "单位代码只能由字母、数字、- 和 _ 组成(至多 32 个字符),如 D01"
CONTROL_MESSAGE = "含有不可见的控制字符,请删除后重试"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The same rules for the OpenAPI schema, so generated clients (and schemathesis) know them.
NO_CONTROL_PATTERN = r"^[^\x00-\x1f\x7f]*$"
UNIT_CODE_PATTERN = r"^[A-Za-z0-9_-]{0,32}$"  # empty: no filter


class FilterError(ValueError):
    """A filter value that is not understood; the message says what is allowed."""


def parse_bool(raw) -> bool | None:
    """'' → None (no filter), `true`, `false`: what the schema says and the pages send; nothing else."""
    value = "" if raw is None else str(raw)
    if value in ("", "true", "false"):
        return {"": None, "true": True, "false": False}[value]
    raise FilterError(BOOLEAN_MESSAGE)


def clean_text(raw, *, max_length: int) -> str:
    """A free-text filter value: no control characters, not too long (kept as given, like the schema says)."""
    value = "" if raw is None else str(raw)
    if _CONTROL.search(value):
        raise FilterError(CONTROL_MESSAGE)
    if len(value) > max_length:
        raise FilterError(f"过长(至多 {max_length} 个字符)")
    return value


def parse_year(raw) -> int | None:
    """A year filter: '' → None, else four ASCII digits (a register's year of receipt, filing, decision …)."""
    value = ("" if raw is None else str(raw)).strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        raise FilterError(f"{value[:10]} 无效,请填写四位年份,如 2026")
    return int(value)


def clean_unit_code(raw) -> str:
    """A unit code in a filter, upper-cased; '' means no filter. Not trimmed: the pages offer choices."""
    value = "" if raw is None else str(raw)
    if _CONTROL.search(value):
        raise FilterError(CONTROL_MESSAGE)
    if value and not UNIT_CODE_RE.fullmatch(value):
        raise FilterError(UNIT_CODE_MESSAGE)
    return value.upper()


def visible_unit_path(user, code: str) -> str:
    """The tree path of a unit named in a filter (already cleaned by `clean_unit_code`), if `user` may
    see it: the one rule for every unit filter (pages, exports, API). Another unit's code is refused
    the same way as an unknown one, so a filter never tells a unit user which codes exist."""
    from fazhi.org.models import Unit

    path = Unit.objects.visible_to(user).filter(code=code).values_list("path", flat=True).first()
    if path is None:
        raise FilterError(f"未找到单位「{code}」,或您无权查看;请从列表中选择单位,或核对单位代码")
    return path


# ---------------------------------------------------------------- a register's filters read from a query
# Each reads one parameter of a page's, an export's or the API's query and raises InvalidInput naming the filter
# (its Chinese label) and what is allowed — the registers' Filters.parse are built from these.


def _refused(label: str, field: str, error: Exception):
    from fazhi.core.errors import InvalidInput

    return InvalidInput(f"「{label}」{error}", field=field)


def query_choice(query, name: str, choices, label: str) -> str:
    """A code among `choices` ((code, label) pairs); '' is no filter."""
    from fazhi.core.errors import InvalidInput

    value = (query.get(name) or "").strip()
    labels = dict(choices)
    if value and value not in labels:
        raise InvalidInput(f"「{label}」{value[:20]} 无效,可选:{'、'.join(f'{k}({v})' for k, v in labels.items())}",
                           field=name)
    return value


def query_unit(query, name: str, label: str) -> str:
    try:
        return clean_unit_code(query.get(name) or "")
    except FilterError as e:
        raise _refused(label, name, e) from None


def query_year(query, name: str, label: str) -> int | None:
    try:
        return parse_year(query.get(name))
    except FilterError as e:
        raise _refused(label, name, e) from None


def query_bool(query, name: str, label: str) -> bool | None:
    try:
        return parse_bool(query.get(name) or "")
    except FilterError as e:
        raise _refused(label, name, e) from None


def query_text(query, name: str, label: str, *, max_length: int = 100) -> str:
    try:
        return clean_text(query.get(name) or "", max_length=max_length).strip()
    except FilterError as e:
        raise _refused(label, name, e) from None


def unit_path_of(user, code: str, label: str, *, name: str = "unit") -> str:
    """`visible_unit_path` refused as InvalidInput naming the filter."""
    try:
        return visible_unit_path(user, code)
    except FilterError as e:
        raise _refused(label, name, e) from None


def in_unit_subtree(qs, user, code: str, label: str, *, name: str = "unit"):
    """`qs` narrowed to the unit `code` and those below it, if the user may see that unit."""
    return qs.in_subtree(unit_path_of(user, code, label, name=name)) if code else qs


class StrictBooleanField(forms.Field):
    widget = forms.TextInput  # the raw text reaches `to_python`, which refuses what it does not know

    def to_python(self, value):
        try:
            return parse_bool(value)
        except FilterError as e:
            raise forms.ValidationError(str(e), code="invalid") from None

    def validate(self, value):
        pass  # None (no filter) is valid


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class UnitCodeField(forms.CharField):
    def to_python(self, value):
        try:
            return clean_unit_code(value)
        except FilterError as e:
            raise forms.ValidationError(str(e), code="invalid") from None


@extend_schema_field({"type": "string", "pattern": UNIT_CODE_PATTERN})
class UnitCodeFilter(django_filters.CharFilter):
    """A unit code (format checked; the caller decides whether the unit must exist)."""

    field_class = UnitCodeField


@extend_schema_field({"type": "string", "pattern": NO_CONTROL_PATTERN})
class TextFilter(django_filters.CharFilter):
    """Free text: no control characters (refused by StrictFilterForm)."""


class StrictFilterForm(forms.Form):
    """No filter value may carry control characters (a NUL also breaks PostgreSQL's text literals)."""

    def clean(self):
        for name in self.fields:
            raw = self.data.get(name)
            if isinstance(raw, str) and _CONTROL.search(raw):
                self.add_error(name, CONTROL_MESSAGE)
        return super().clean()


class FilterSet(django_filters.FilterSet):
    """Base of every API filter set: strict booleans, no control characters."""

    FILTER_DEFAULTS = {**django_filters.FilterSet.FILTER_DEFAULTS,
                       models.BooleanField: {"filter_class": StrictBooleanFilter},
                       models.CharField: {"filter_class": TextFilter},
                       models.TextField: {"filter_class": TextFilter}}

    class Meta:
        form = StrictFilterForm


class FilterBackend(DjangoFilterBackend):
    """DRF's filter backend with the strict base for `filterset_fields`."""

    filterset_base = FilterSet
