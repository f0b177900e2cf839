"""Base API classes: every queryset goes through the scoping rule."""

from rest_framework import viewsets

from fazhi.core.converters import ID_REGEX


class ScopedViewSetMixin:
    """Every API view's queryset passes through the model's `visible_to(user)`.

    Subclasses set `queryset` (or override `base_queryset`); they cannot forget the scoping
    because `get_queryset` is defined here and applies it last.
    """

    lookup_value_regex = ID_REGEX  # a huge number is a 404, not a database overflow

    def base_queryset(self):
        return self.queryset.all()

    def get_queryset(self):
        return self.base_queryset().visible_to(self.request.user)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


def _json_type_error(field, value) -> str | None:
    """What is wrong with the JSON type of `value` for `field` (None: right type, or not ours to judge)."""
    from rest_framework import serializers

    if value is None:
        return None  # the field's own allow_null decides
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    checks = [
        (serializers.BooleanField, isinstance(value, bool), "应为 true 或 false"),
        (serializers.IntegerField, number and float(value).is_integer(), "应为整数"),
        ((serializers.FloatField, serializers.DecimalField), number, "应为数字"),
        ((serializers.CharField, serializers.ChoiceField, serializers.DateField, serializers.DateTimeField,
          serializers.TimeField), isinstance(value, str), "应为文本(带引号的字符串)"),
        ((serializers.ListField, serializers.ListSerializer, serializers.MultipleChoiceField),
         isinstance(value, list), "应为列表"),
        ((serializers.Serializer, serializers.DictField), isinstance(value, dict), "应为对象"),
    ]
    for kinds, ok, message in checks:
        if isinstance(field, kinds):
            if not ok:
                return message
            break
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        for i, item in enumerate(value, 1):
            problem = _json_type_error(field.child, item)
            if problem:
                return f"第 {i} 项{problem}"
    return None


class StrictJSONMixin:
    """A JSON body must carry the types its schema states: DRF alone would take 0 for "0" and "12" for 12.
    Form and multipart bodies (all text) are left to the fields."""

    def to_internal_value(self, data):
        from django.http import QueryDict
        from rest_framework.exceptions import ValidationError

        if isinstance(data, dict) and not isinstance(data, QueryDict):
            errors = {}
            for name, field in self.fields.items():
                if not field.read_only and name in data:
                    problem = _json_type_error(field, data[name])
                    if problem:
                        errors[name] = [problem]
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)
