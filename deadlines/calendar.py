"""The production calendar as a pure value: which days are working days.

Pure: no ORM, no clock. `deadlines.services.calendar_for` builds one from the
override table; tests build one from literal dates.

The base week is Monday to Friday. On top of it:
- `nonworking` — holidays (Labour Code ст. 112) falling on weekdays and days
  off transferred onto weekdays by the government's yearly decree;
- `working` — Saturdays and Sundays the decree turns into working days;
- `shortened` — pre-holiday working days one hour shorter (Labour Code ст. 95).
  They are working days for every deadline; a shortened weekend day is a
  working weekend day (the published XML calendars mark them t="2").
"""

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta

# A week with no working day cannot be valid data; a year of them means the
# override table is broken, and looping on would never end.
_MAX_SCAN_DAYS = 366


class WorkingCalendar:
    __slots__ = (
        "_nonworking",
        "_nonworking_weekday_sorted",
        "_shortened",
        "_working",
        "_working_weekend_sorted",
        "covered_years",
    )

    def __init__(
        self,
        nonworking: Iterable[date] = (),
        working: Iterable[date] = (),
        shortened: Iterable[date] = (),
        covered_years: Iterable[int] = (),
    ):
        self._nonworking = frozenset(nonworking)
        self._shortened = frozenset(shortened)
        self._working = frozenset(working) | self._shortened
        clash = self._nonworking & self._working
        if clash:
            raise ValueError(f"days both working and non-working: {sorted(clash)}")
        self.covered_years = frozenset(covered_years)
        # Only overrides that change the Mon–Fri answer matter for counting.
        self._nonworking_weekday_sorted = sorted(d for d in self._nonworking if d.weekday() < 5)
        self._working_weekend_sorted = sorted(d for d in self._working if d.weekday() >= 5)

    def __repr__(self):
        return (
            f"<WorkingCalendar nonworking={len(self._nonworking)} working={len(self._working)} "
            f"covered_years={sorted(self.covered_years)}>"
        )

    def is_working_day(self, day: date) -> bool:
        if day in self._nonworking:
            return False
        if day in self._working:
            return True
        return day.weekday() < 5

    def is_shortened(self, day: date) -> bool:
        return day in self._shortened

    def covers(self, day: date) -> bool:
        """Whether the decree for `day`'s year has been entered; outside, only the Mon–Fri week is known."""
        return day.year in self.covered_years

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        for offset in range(_MAX_SCAN_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"no working day within a year after {day}")

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day` (before it when n is negative); `day` itself when n is 0."""
        step = timedelta(days=1 if n >= 0 else -1)
        remaining = abs(n)
        current = day
        idle = 0
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
                idle = 0
            else:
                idle += 1
                if idle > _MAX_SCAN_DAYS:
                    raise ValueError(f"no working day within a year of {current}")
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative (the count in (end, start]) when end < start.

        Counted arithmetically (weekdays by ordinal, corrected by the overrides
        in range) so that a queue of long-overdue rows costs no day-by-day loops.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = _weekdays_up_to(end) - _weekdays_up_to(start)
        count -= _count_in(self._nonworking_weekday_sorted, start, end)
        count += _count_in(self._working_weekend_sorted, start, end)
        return count


def weekdays_in_year(year: int) -> int:
    """Mondays to Fridays in `year`: the working days before any holiday or transfer."""
    return _weekdays_up_to(date(year, 12, 31)) - _weekdays_up_to(date(year - 1, 12, 31))


def _weekdays_up_to(day: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) to `day` inclusive."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def _count_in(sorted_days: list[date], start: date, end: date) -> int:
    """How many of `sorted_days` fall in (start, end]."""
    return bisect_right(sorted_days, end) - bisect_right(sorted_days, start)
