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


class CappedCountPaginator(Paginator):
    """For registers that grow to millions of rows (enforcement cases, publications): the total is counted only up
    to `cap` — COUNT(*) over a LIMIT subquery, so the cost is bounded whatever the table's size — and beyond it
    the page says 「超过 10000 件」 and offers the filters; pages up to the cap stay reachable by number."""

    cap = 10000

    @cached_property
    def count(self) -> int:
        return min(self.object_list[: self.cap + 1].count(), self.cap + 1)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @property
    def num_pages(self) -> int:
        return super().num_pages if not self.capped else -(-self.cap // self.per_page)
