"""DRF plumbing named in settings (pagination, token auth, error format).

Kept apart from `core.api` because DRF imports these while loading its own views.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from fazhi.core.errors import FazhiError


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; keys are made with `fazhi api-token USERNAME`."""

    keyword = "Token"


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = settings.FAZHI["MAX_PAGE_SIZE"]
    invalid_page_message = "页码无效: {message}"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {"page_size": [f"每页条数必须是 1 到 {self.max_page_size} 之间的整数"]}
            )
        return size


def _summary(errors) -> str:
    """A one-line Chinese message naming the field(s): 「字段」: 原因."""
    if isinstance(errors, dict):
        parts = []
        for field, msgs in errors.items():
            msg = msgs[0] if isinstance(msgs, list) and msgs else msgs
            if isinstance(msg, dict):
                msg = _summary(msg)
            label = "" if field in ("non_field_errors", "__all__", "detail") else f"「{field}」"
            parts.append(f"{label}{msg}")
        return ";".join(str(p) for p in parts)
    if isinstance(errors, list):
        return ";".join(str(e) for e in errors)
    return str(errors)


def exception_handler(exc, context):
    if isinstance(exc, FazhiError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response({"detail": _summary(errors), "errors": errors}, status=400)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到该记录,或您无权查看")
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": _summary(response.data), "errors": response.data}
    return response


class HasAnyRole:
    """Default API permission: signed in and holding a role on some unit (or system admin)."""

    message = "您还没有任何单位的角色,请联系法制办授权"

    def has_permission(self, request, view) -> bool:
        from fazhi.core.scoping import scope_for

        scope = scope_for(request.user)
        return bool(scope.all_units or scope.unit_paths or scope.is_sysadmin)

    def has_object_permission(self, request, view, obj) -> bool:
        return True
