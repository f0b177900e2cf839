"""Pagination whose total comes from somewhere cheaper than COUNT(*) over the whole table
(e.g. maintained tallies), so a page costs the same at 10 thousand or 1 million rows."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class KnownCountPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count
