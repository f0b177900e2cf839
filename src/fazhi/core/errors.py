"""One error hierarchy, mapped to one format by pages and the API."""


class FazhiError(Exception):
    status = 400

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
