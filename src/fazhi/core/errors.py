"""One error hierarchy, mapped to one format by pages and the API."""


class FazhiError(Exception):
    status = 400
    code: str | None = None  # a stable machine-readable code (e.g. procedure.step_missing), sent with the message

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def as_dict(self) -> dict:
        body: dict = {"detail": self.message}
        if self.field:
            body["errors"] = {self.field: [self.message]}
        return body


class InvalidInput(FazhiError):
    status = 400


class StaleEdit(FazhiError):
    status = 409

    def __init__(self, message: str = "该记录已被他人修改,您的修改未保存。请刷新页面,在最新内容上重新修改。"):
        super().__init__(message, field="version")


class NotAllowed(FazhiError):
    status = 403


class Conflict(FazhiError):
    """The act conflicts with the record's state (HTTP 409), e.g. a procedure step whose required steps
    are not done; `code` names the conflict for clients (`procedure.step_missing`)."""

    status = 409

    def __init__(self, message: str, *, code: str, field: str | None = None):
        super().__init__(message, field=field)
        self.code = code


class RateLimited(FazhiError):
    """Too many requests from one address in a period (HTTP 429); `retry_at` says when it may try again."""

    status = 429

    def __init__(self, message: str, *, retry_at=None, field: str | None = None):
        super().__init__(message, field=field)
        self.retry_at = retry_at
