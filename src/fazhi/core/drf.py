"""DRF plumbing named in settings (pagination, token auth, error format).

Kept apart from `core.api` because DRF imports these while loading its own views.
"""

import codecs
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import (
    RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from rest_framework import exceptions, parsers, serializers
from rest_framework.authentication import SessionAuthentication as DRFSessionAuthentication
from rest_framework.authentication import TokenAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from fazhi.core.pagination import CappedCountPaginator
from fazhi.core.errors import FazhiError

# Deeper JSON than any request of ours needs; the limit keeps the parser and serializers off the recursion limit.
MAX_JSON_DEPTH = 32


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; keys are made with `fazhi api-token USERNAME`."""

    keyword = "Token"


class SessionAuthentication(DRFSessionAuthentication):
    """DRF's session authentication, refusing a missing or wrong CSRF token in Chinese."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                "CSRF 校验失败:请刷新页面后重新提交;脚本请改用 `Authorization: Token <key>` 认证"
            ) from None


def request_refusal(exc) -> str | None:
    """The Chinese reason for Django's refusals of a request's size or shape; None for other exceptions.
    Shared by the API's exception handler and the pages' 400 handler."""
    if isinstance(exc, RequestDataTooBig):
        mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
        return f"请求内容过大:文件以外的内容至多 {mb:g} MB,请减少一次提交的内容"
    if isinstance(exc, TooManyFieldsSent):
        return f"提交的字段过多:一次至多 {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} 个,请分批提交"
    if isinstance(exc, TooManyFilesSent):
        return f"一次上传的文件过多:至多 {settings.DATA_UPLOAD_MAX_NUMBER_FILES} 个,请分批上传"
    if isinstance(exc, MultiPartParserError):
        return "上传的表单数据不完整或格式有误,无法读取;请重新选择文件后再提交"
    if isinstance(exc, SuspiciousOperation):
        return "请求有误,已被拒绝;请检查提交的内容后重试"
    return None


def _check_body_size(parser_context) -> None:
    """A JSON body is read whole: hold it to DATA_UPLOAD_MAX_MEMORY_SIZE, like Django's own forms."""
    request = (parser_context or {}).get("request")
    meta = getattr(request, "META", {})
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        raise RequestDataTooBig()


def _depth_exceeds(value, limit: int) -> bool:
    """Whether a parsed JSON value nests deeper than `limit` (iteratively: no recursion of our own)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with Chinese messages, a size limit and a nesting limit: `[`×1000 is a 400, not a
    RecursionError."""

    def parse(self, stream, media_type=None, parser_context=None):
        _check_body_size(parser_context)
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = codecs.getreader(encoding)(stream).read()
        except UnicodeDecodeError:
            raise exceptions.ParseError(f"请求体不是 {encoding.upper()} 编码的 JSON,请检查编码") from None
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            raise exceptions.ParseError(f"请求体 JSON 嵌套过深(至多 {MAX_JSON_DEPTH} 层)") from None
        except json.JSONDecodeError as e:
            raise exceptions.ParseError(
                f"请求体不是有效的 JSON:第 {e.lineno} 行第 {e.colno} 列有误,请检查括号、引号和逗号") from None
        except ValueError as e:
            raise exceptions.ParseError(str(e)) from None
        if _depth_exceeds(data, MAX_JSON_DEPTH):
            raise exceptions.ParseError(f"请求体 JSON 嵌套过深(至多 {MAX_JSON_DEPTH} 层)")
        return data


def _refuse_constant(name):
    raise ValueError(f"请求体含有 JSON 不允许的数值 {name},请改用数字或 null")


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, refusing a broken body in Chinese (Django limits its size and fields)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except exceptions.ParseError:
            raise exceptions.ParseError(request_refusal(MultiPartParserError())) from None


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

    def get_page_number(self, request, paginator):
        """A page that is not a positive integer is bad input (400); one past the end is not found (404)."""
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if raw in self.last_page_strings:
            return paginator.num_pages
        try:
            number = int(raw)
        except ValueError:
            number = 0
        if number < 1:
            raise exceptions.ValidationError({"page": ["页码必须是从 1 开始的整数"]})
        return number

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.page_size_query_param:
                param["schema"].update(minimum=1, maximum=self.max_page_size)
                param["description"] = f"每页条数,1 到 {self.max_page_size},默认 {self.page_size}"
            elif param["name"] == self.page_query_param:
                param["schema"]["minimum"] = 1
                param["description"] = "页码,从 1 开始"
        return params


class CappedPagination(Pagination):
    """For registers of millions of rows: `count` is exact up to the cap (core.pagination.CappedCountPaginator) and
    `count_capped` says when it is not — a client narrows with the filters instead of paging through them all."""

    django_paginator_class = CappedCountPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count_capped"] = {
            "type": "boolean", "description": f"true:记录超过 {CappedCountPaginator.cap} 条,count 只计到此数;请用筛选条件缩小范围"}
        return result


def _summary(errors) -> str:
    """A one-line Chinese message naming the field(s): 「字段」原因;「字段」第 2 项:原因 for lists of objects."""
    if isinstance(errors, dict):
        parts = []
        for field, msgs in errors.items():
            msg = _first(msgs)
            label = "" if field in ("non_field_errors", "__all__", "detail") else f"「{field}」"
            parts.append(f"{label}{msg}")
        return ";".join(parts)
    return _first(errors)


def _first(msgs) -> str:
    if isinstance(msgs, dict):
        return _summary(msgs)
    if isinstance(msgs, list):
        for i, m in enumerate(msgs, 1):
            text = _first(m)
            if text:
                return f"第 {i} 项:{text}" if isinstance(m, dict) else text
        return ""
    return str(msgs)


def error_body(detail: str, errors: dict | None = None, code: str | None = None) -> dict:
    """The one error format of the API: {"detail": "…", "errors": {"字段": ["…"]}}, plus "code" when the
    error has one (a 409's `procedure.step_missing`)."""
    body = {"detail": str(detail), "errors": errors or {}}
    if code:
        body["code"] = code
    return body


def exception_handler(exc, context):
    if isinstance(exc, FazhiError):
        body = exc.as_dict()
        return Response(error_body(body["detail"], body.get("errors"), exc.code), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(error_body(_summary(errors), errors), status=400)
    reason = request_refusal(exc)
    if reason:
        return Response(error_body(reason), status=400)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到该记录,或您无权查看")
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = error_body(_summary(data), data)
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = error_body(detail)
    return response


class ErrorSerializer(serializers.Serializer):
    """错误的统一格式:detail 是一句中文说明(指出字段和改法),errors 按字段列出原因。"""

    detail = serializers.CharField(help_text="一句中文说明,指出字段和改法")
    errors = serializers.DictField(child=serializers.JSONField(), help_text="字段 → 原因列表;与字段无关时为空")
    code = serializers.CharField(required=False, help_text="部分错误的固定代码,如 procedure.step_missing(前置步骤未完成)")


class HasAnyRole:
    """Default API permission: signed in and holding a role on some unit (or system admin)."""

    message = "您还没有任何单位的角色,请联系法制办授权"

    def has_permission(self, request, view) -> bool:
        from fazhi.core.scoping import scope_for

        return scope_for(request.user).has_any_role

    def has_object_permission(self, request, view, obj) -> bool:
        return True
