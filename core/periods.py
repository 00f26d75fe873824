"""The dashboard's periods: this month, last month, this quarter, or chosen dates (company time, end exclusive)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext_lazy as _

THIS_MONTH, LAST_MONTH, QUARTER, CUSTOM = "month", "last_month", "quarter", "custom"
CHOICES = [
    (THIS_MONTH, _("этот месяц")),
    (LAST_MONTH, _("прошлый месяц")),
    (QUARTER, _("этот квартал")),
    (CUSTOM, _("свои даты")),
]
MAX_DAYS = 366
FIRST_YEAR, LAST_YEAR = 2000, 2100  # chosen dates outside these are typing errors (and 9999-12-31 has no day after)


@dataclass(frozen=True)
class Period:
    start: date  # the first day
    end: date  # the day after the last one

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def previous(self) -> "Period":
        """The period before, of the same kind: the month, the quarter or as many days before."""
        if self.start.day == 1 and self.end.day == 1:
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
            return Period(_add_months(self.start, -months), self.start)
        return Period(self.start - timedelta(days=self.days), self.start)

    def bounds(self, tz) -> tuple[datetime, datetime]:
        return datetime.combine(self.start, time.min, tzinfo=tz), datetime.combine(self.end, time.min, tzinfo=tz)

    def months(self) -> list[date]:
        """The first days of the months the period touches."""
        first, months = self.start.replace(day=1), []
        while first < self.end:
            months.append(first)
            first = _add_months(first, 1)
        return months


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_for(choice: str, today: date, *, start: date | None = None, end: date | None = None) -> Period:
    """`end` of a custom period is its last day, as people say it (the Period keeps the day after)."""
    month = today.replace(day=1)
    if choice == LAST_MONTH:
        return Period(_add_months(month, -1), month)
    if choice == QUARTER:
        first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
        return Period(first, _add_months(first, 3))
    if choice == CUSTOM and start and end:
        return Period(start, end + timedelta(days=1))
    return Period(month, _add_months(month, 1))
