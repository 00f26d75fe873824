"""A paginator whose count stops at a cap, so a list's cost does not grow with the table.

Django's paginator counts every matching row (`SELECT COUNT(*)`) to number the pages: over
an index that is cheap for a few hundred rows and grows with the table after that. Nobody
works a queue from its 21st page of fifty — they filter, search or sort by the deadline — so
above `cap` rows the count stops (`SELECT COUNT(*) FROM (… LIMIT cap + 1)`, which the planner
ends after cap + 1 index entries) and the page says «более 1000». The totals per status and
operator are the supervisors' dashboard's (monitoring), counted there in SQL.

The cap was 10,000 until the shared harness at 1,000,000 appeals (issue 11): an operator with
7,000 open appeals then had their queue counted to 7,000 and more on every page (in PostgreSQL
alone 5.5 ms at 1M against 1.6 at 200k, bench/README.md); at 1,000 the count costs the same at any volume.

A list whose rows are "A or B" (an operator's queue: assigned to me, or to nobody) is counted
in `parts`, disjoint conditions that together cover it: each part is a range of one index,
while the OR makes the planner read the whole index range and test every entry.
"""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    cap = 1_000

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, parts=()):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.parts = tuple(parts)

    @cached_property
    def count(self) -> int:
        # No ordering inside the count: the planner may read any index that answers the filter.
        rows = self.object_list.order_by()
        if not self.parts:
            return rows[: self.cap + 1].count()
        total = 0
        for part in self.parts:
            total += rows.filter(part)[: self.cap + 1 - total].count()
            if total > self.cap:
                break
        return total

    @property
    def capped(self) -> bool:
        """True when there are more rows than the count went to: the count is then `cap + 1`."""
        return self.count > self.cap


def page_of(queryset, number, per_page: int) -> Page:
    """`Paginator(queryset, per_page).get_page(number)`, without the COUNT when the first page holds everything.

    Most people's lists fit one page: their first page is read with one row more than it shows, and
    when that row is not there the rows read are the whole list (no count, no pagination). Otherwise,
    and for any other page, Django's paginator as usual (the count asked only when the page needs it).
    """
    if number in (None, "", "1"):
        rows = list(queryset[: per_page + 1])
        if len(rows) <= per_page:
            return Paginator(rows, per_page).page(1)
        return Page(rows[:per_page], 1, Paginator(queryset, per_page))
    return Paginator(queryset, per_page).get_page(number)
