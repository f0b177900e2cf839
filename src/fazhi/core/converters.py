"""URL converter for record ids: at most 18 digits, so a huge number is a 404, not a database overflow."""

MAX_ID = 2**63 - 1
ID_REGEX = r"[0-9]{1,18}"


class IdConverter:
    regex = ID_REGEX

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def parse_id(value) -> int | None:
    """An id or a version from a form: an int in 0..MAX_ID, else None."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 <= n <= MAX_ID else None
