"""A paginator whose count stops at a cap, so a list's cost does not grow with the table.

Django's paginator counts every matching row (`SELECT COUNT(*)`) to number the pages: over
an index that is cheap for a few thousand rows and grows with the table after that. Nobody
pages to the 201st page of a work queue — they filter — so above `cap` rows the count
stops (`SELECT COUNT(*) FROM (… LIMIT cap + 1)`, which the planner ends after cap + 1 index
entries) and the page says «более 10 000».
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    cap = 10_000

    @cached_property
    def count(self) -> int:
        # No ordering inside the count: the planner may read any index that answers the filter.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """True when there are more rows than the count went to: the count is then `cap + 1`."""
        return self.count > self.cap
