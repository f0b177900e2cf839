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
