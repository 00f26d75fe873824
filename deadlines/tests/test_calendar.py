from datetime import date, timedelta

import pytest

from deadlines.calendar import WorkingCalendar, weekdays_in_year
from deadlines.tests.conftest import d


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-01-09", False),  # Friday: day off transferred from Saturday 3 January
        ("2026-12-31", False),  # Thursday: day off transferred from Sunday 4 January
        ("2024-04-27", True),  # Saturday made a working day
        ("2025-11-01", True),  # Saturday made a working day
        ("2027-02-20", True),  # Saturday made a working day
        ("2026-01-12", True),  # first working day of 2026
        ("2026-03-07", False),  # an ordinary Saturday
        ("2026-03-09", False),  # Monday: 8 March fell on a Sunday
        ("2026-03-10", True),  # an ordinary Tuesday
        ("2027-11-05", False),  # Friday: day off transferred from Saturday 2 January
    ],
)
def test_is_working_day(calendar, day, working):
    assert calendar.is_working_day(d(day)) is working


def test_next_working_day_is_the_day_itself_when_working(calendar):
    assert calendar.next_working_day(d("2026-03-10")) == d("2026-03-10")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-12-31", "2026-01-12"),  # the whole 2026 New Year run
        ("2026-12-31", "2027-01-11"),  # the whole 2027 New Year run, across the year end
        ("2026-05-09", "2026-05-12"),  # Saturday, Sunday, observed Monday
        ("2024-04-27", "2024-04-27"),  # working Saturday
    ],
)
def test_next_working_day_skips_days_off(calendar, day, expected):
    assert calendar.next_working_day(d(day)) == d(expected)


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        ("2026-03-10", 0, "2026-03-10"),
        ("2026-03-06", 1, "2026-03-10"),  # Friday → Tuesday: weekend and the 9 March holiday
        ("2025-12-30", 3, "2026-01-14"),
        ("2024-04-25", 3, "2024-05-02"),  # Friday, working Saturday, then 29 April – 1 May off
        ("2026-03-12", -3, "2026-03-06"),
        ("2026-01-12", -1, "2025-12-30"),
    ],
)
def test_add_working_days(calendar, day, n, expected):
    assert calendar.add_working_days(d(day), n) == d(expected)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-03-10", "2026-03-10", 0),
        ("2026-03-06", "2026-03-12", 3),  # (Fri, Thu]: the 9th is a holiday
        ("2026-03-12", "2026-03-06", -3),
        ("2025-12-30", "2026-01-14", 3),
        ("2024-04-26", "2024-04-27", 1),  # the working Saturday counts
        ("2025-12-31", "2026-12-31", 247),  # the published 2026 total
        ("2024-12-31", "2025-12-31", 247),  # the published 2025 total
        ("2023-12-31", "2024-12-31", 248),  # the published 2024 total
        ("2026-12-31", "2027-12-31", 247),
    ],
)
def test_working_days_between(calendar, start, end, expected):
    assert calendar.working_days_between(d(start), d(end)) == expected


def test_working_days_between_agrees_with_counting_day_by_day(calendar):
    # The arithmetic shortcut must equal the plain definition over every pair
    # of start and end dates around the holiday-heavy season.
    days = [d("2025-12-20") + timedelta(days=i) for i in range(0, 70, 3)] + [d("2024-04-20"), d("2027-02-25")]
    for start in days:
        for end in days:
            lo, hi = min(start, end), max(start, end)
            plain = sum(calendar.is_working_day(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
            assert calendar.working_days_between(start, end) == (plain if end >= start else -plain), (start, end)


def test_shortened_days_are_working_days_even_on_a_weekend():
    saturday = d("2025-11-01")
    calendar = WorkingCalendar(shortened=[saturday, d("2026-04-30")])
    assert calendar.is_working_day(saturday)
    assert calendar.is_shortened(saturday)
    assert calendar.is_working_day(d("2026-04-30"))
    assert not calendar.is_shortened(d("2026-05-04"))


def test_a_day_cannot_be_both_working_and_nonworking():
    with pytest.raises(ValueError, match="both working and non-working"):
        WorkingCalendar(nonworking=[d("2026-01-09")], shortened=[d("2026-01-09")])


def test_covers_only_the_entered_years(calendar):
    assert calendar.covers(d("2027-06-01"))
    assert not calendar.covers(d("2028-01-03"))


def test_without_overrides_the_week_is_monday_to_friday():
    calendar = WorkingCalendar()
    assert [calendar.is_working_day(d("2030-01-07") + timedelta(days=i)) for i in range(7)] == [True] * 5 + [False] * 2
    assert calendar.working_days_between(d("2030-01-06"), d("2030-01-13")) == 5


def test_a_calendar_without_working_days_fails_loudly_instead_of_looping():
    everything_off = [date(2030, 1, 1) + timedelta(days=i) for i in range(800)]
    calendar = WorkingCalendar(nonworking=everything_off)
    with pytest.raises(ValueError):
        calendar.next_working_day(date(2030, 1, 1))
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2030, 1, 1), 1)


@pytest.mark.parametrize(("year", "expected"), [(2024, 262), (2025, 261), (2026, 261), (2027, 261), (2028, 260)])
def test_weekdays_in_year(year, expected):
    assert weekdays_in_year(year) == expected
