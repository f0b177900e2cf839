"""The OpenAPI schema's defaults for every operation: the error answers in the one error format.

Kept apart from `core.drf`, which DRF imports while loading its settings (drf-spectacular imports DRF's views).
"""

from drf_spectacular import openapi
from drf_spectacular.authentication import SessionScheme

from fazhi.core.drf import ErrorSerializer, HasAnyRole

ERRORS = {
    "400": "输入有误(字段和原因见 errors)",
    "401": "未登录,或令牌无效",
    "403": "无权进行此操作",
    "404": "未找到该记录,或您无权查看;列表页码超出范围",
    "409": "记录已被他人修改(version 过期)或与现有记录冲突(如程序的前置步骤未完成,code 为 procedure.step_missing),"
           "请刷新后重试",
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
PAGING = {"page", "page_size"}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, documenting the 4xx answers each operation can give."""

    def error_statuses(self) -> list[str]:
        codes = ["400", "401"]
        # A signed-in user without a role is refused everywhere but /me, which only asks who they are.
        if self.method in UNSAFE or any(issubclass(p, HasAnyRole) for p in getattr(self.view, "permission_classes", [])):
            codes.append("403")
        if "{" in self.path or self._is_list_view() and self._get_paginator():
            codes.append("404")
        if self.method in UNSAFE:
            codes.append("409")
        return codes

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for param in parameters:
            # An optional filter sent empty (a form's 全部) means no filter; paging parameters must be numbers.
            if param["in"] == "query" and not param.get("required") and param["name"] not in PAGING:
                param["allowEmptyValue"] = True
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_statuses():
            if code not in responses:
                responses[code] = {**self._get_response_for_code(ErrorSerializer, code, direction=direction),
                                   "description": ERRORS[code]}
        return responses


class FazhiSessionScheme(SessionScheme):
    """Our session authentication (Chinese CSRF message) is documented as DRF's: a session cookie."""

    target_class = "fazhi.core.drf.SessionAuthentication"
