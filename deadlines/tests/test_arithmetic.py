"""Table tests of the Civil Code arithmetic over the real 2024–2027 calendars."""

from datetime import UTC, datetime, time

import pytest

from deadlines.arithmetic import Term, Unit, due_at, end_of_day, extended_due_at, working_days_left
from deadlines.calendar import WorkingCalendar
from deadlines.tests.conftest import MOSCOW, d

CAL, WORK, HOURS = Unit.CALENDAR_DAYS, Unit.WORKING_DAYS, Unit.HOURS


def msk(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=MOSCOW)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def last_moment(day: str) -> datetime:
    return datetime.combine(d(day), time.max, tzinfo=MOSCOW)


@pytest.mark.parametrize(
    ("amount", "unit", "event_at", "expected", "why"),
    [
        # Calendar days: start the next day, end on the next working day if the last one is off.
        (30, CAL, msk("2025-12-26 12:00"), "2026-01-26", "25 January 2026 is a Sunday"),
        (30, CAL, msk("2025-12-02 10:00"), "2026-01-12", "ends 1 January: the whole 2026 New Year run"),
        (30, CAL, msk("2026-12-02 10:00"), "2027-01-11", "ends 1 January 2027: the 2027 New Year run"),
        (10, CAL, msk("2026-12-21 10:00"), "2027-01-11", "ends on 31 December 2026, a transferred day off"),
        (10, CAL, msk("2026-04-21 10:00"), "2026-05-04", "ends on 1 May, a Friday holiday"),
        (10, CAL, msk("2026-04-29 10:00"), "2026-05-12", "ends Saturday 9 May; Monday 11 May is off too"),
        (10, CAL, msk("2024-04-17 10:00"), "2024-04-27", "ends on a working Saturday: no shift"),
        (30, CAL, msk("2026-01-31 10:00"), "2026-03-02", "31 January + 30 in a common year"),
        (30, CAL, msk("2024-01-31 10:00"), "2024-03-01", "31 January + 30 in a leap year"),
        (29, CAL, msk("2024-01-31 10:00"), "2024-02-29", "29 February exists in 2024"),
        (10, CAL, msk("2026-03-05 10:00"), "2026-03-16", "ends on Sunday 15 March"),
        (3, CAL, msk("2026-03-07 10:00"), "2026-03-10", "an event on a Saturday still starts the term on Sunday"),
        (10, CAL, msk("2026-01-01 10:00"), "2026-01-12", "an event on a holiday: term from 2 January"),
        # The Moscow date counts, whatever the server's clock says.
        (10, CAL, utc("2026-03-02 21:30"), "2026-03-13", "21:30 UTC Monday is 00:30 MSK Tuesday"),
        (10, CAL, utc("2026-03-02 20:59"), "2026-03-12", "20:59 UTC Monday is still Monday in Moscow"),
        (30, CAL, utc("2025-12-31 23:30"), "2026-02-02", "23:30 UTC on 31 December is 1 January in Moscow"),
        (30, CAL, utc("2025-12-31 20:00"), "2026-01-30", "23:00 MSK on 31 December is still 31 December"),
        # Working days skip every day off; the count starts the next day.
        (3, WORK, msk("2025-12-30 10:00"), "2026-01-14", "across the 2026 New Year run"),
        (15, WORK, msk("2026-12-24 10:00"), "2027-01-25", "across 31 December and the 2027 New Year run"),
        (3, WORK, msk("2024-04-25 10:00"), "2024-05-02", "the working Saturday 27 April counts"),
        (10, WORK, msk("2026-05-01 10:00"), "2026-05-18", "from a holiday, across the 11 May holiday"),
        (3, WORK, msk("2026-03-07 10:00"), "2026-03-12", "from a Saturday, across Monday 9 March"),
        (5, WORK, msk("2026-06-05 10:00"), "2026-06-15", "across Friday 12 June"),
    ],
)
def test_due_at_for_day_terms(calendar, amount, unit, event_at, expected, why):
    assert due_at(Term(amount, unit), event_at, calendar, MOSCOW) == last_moment(expected), why


def test_a_day_term_ends_at_the_last_moment_of_its_day_in_moscow(calendar):
    result = due_at(Term(10, CAL), msk("2026-03-05 10:00"), calendar, MOSCOW)
    assert result.tzinfo is MOSCOW
    assert result.astimezone(UTC) == utc("2026-03-16 20:59:59.999999")


@pytest.mark.parametrize(
    ("event_at", "expected", "why"),
    [
        (msk("2026-03-02 22:30"), msk("2026-03-03 00:30"), "across midnight"),
        (utc("2026-03-02 21:30"), msk("2026-03-03 02:30"), "an event given in UTC"),
        (msk("2026-01-01 10:00"), msk("2026-01-01 12:00"), "hours run on holidays too"),
        (msk("2026-12-31 23:00"), msk("2027-01-01 01:00"), "across the year end"),
    ],
)
def test_due_at_for_hours_is_plain_elapsed_hours(calendar, event_at, expected, why):
    result = due_at(Term(2, HOURS), event_at, calendar, MOSCOW)
    assert result == expected, why
    assert result.tzinfo is MOSCOW


def test_hours_are_elapsed_time_even_across_a_clock_change():
    berlin = __import__("zoneinfo").ZoneInfo("Europe/Berlin")
    # Clocks go forward at 02:00 on 29 March 2026 in Berlin: 2 elapsed hours
    # from 01:00 CET end at 04:00 CEST, not 03:00.
    event_at = datetime(2026, 3, 29, 1, 0, tzinfo=berlin)
    assert due_at(Term(2, HOURS), event_at, WorkingCalendar(), berlin) == datetime(2026, 3, 29, 4, 0, tzinfo=berlin)


@pytest.mark.parametrize(
    ("current_due", "amount", "unit", "expected", "why"),
    [
        ("2026-01-26", 30, CAL, "2026-02-25", "30 calendar days from the current due date"),
        ("2026-05-12", 30, CAL, "2026-06-11", "counted from the shifted due date, not the nominal one"),
        ("2026-12-01", 30, CAL, "2027-01-11", "the extension ends in the New Year run"),
        ("2026-12-25", 5, WORK, "2027-01-12", "5 working days across 31 December and the New Year run"),
    ],
)
def test_extended_due_at_counts_from_the_current_due_date(calendar, current_due, amount, unit, expected, why):
    assert extended_due_at(last_moment(current_due), Term(amount, unit), calendar, MOSCOW) == last_moment(expected), why


def test_extending_an_hours_term_adds_hours(calendar):
    assert extended_due_at(msk("2026-03-03 00:30"), Term(2, HOURS), calendar, MOSCOW) == msk("2026-03-03 02:30")


@pytest.mark.parametrize(
    ("now", "due", "expected", "why"),
    [
        (msk("2026-03-10 10:00"), last_moment("2026-03-10"), 0, "due today"),
        (msk("2026-03-10 23:59"), last_moment("2026-03-10"), 0, "due today, a minute left"),
        (msk("2026-03-06 10:00"), last_moment("2026-03-12"), 3, "Friday → Thursday across the 9 March holiday"),
        (msk("2025-12-30 10:00"), last_moment("2026-01-14"), 3, "across the New Year run"),
        (msk("2026-03-13 10:00"), msk("2026-03-15 10:00"), 1, "due on a Sunday: still ahead, not today"),
        (msk("2026-03-11 10:00"), last_moment("2026-03-10"), -1, "overdue since yesterday"),
        (msk("2026-03-17 10:00"), last_moment("2026-03-13"), -2, "overdue: Monday and Tuesday"),
        (msk("2026-03-14 10:00"), last_moment("2026-03-13"), -1, "Friday's term seen on Saturday is overdue"),
        (msk("2026-03-10 12:00"), msk("2026-03-10 10:00"), -1, "an hours term that ran out this morning"),
        (msk("2026-01-12 10:00"), last_moment("2025-12-30"), -1, "overdue across the New Year run: one working day"),
        # 21:30 UTC on Monday 9 March is 00:30 on Tuesday in Moscow: due today.
        (utc("2026-03-09 21:30"), last_moment("2026-03-10"), 0, "the Moscow date is today's date"),
        (utc("2026-03-09 20:00"), last_moment("2026-03-10"), 1, "23:00 MSK Monday: due tomorrow"),
    ],
)
def test_working_days_left(calendar, now, due, expected, why):
    assert working_days_left(now, due, calendar, MOSCOW) == expected, why


def test_naive_datetimes_are_refused(calendar):
    naive = datetime(2026, 3, 10, 10, 0)  # noqa: DTZ001 — the point of the test
    with pytest.raises(ValueError, match="aware"):
        due_at(Term(1, CAL), naive, calendar, MOSCOW)
    with pytest.raises(ValueError, match="aware"):
        working_days_left(naive, last_moment("2026-03-10"), calendar, MOSCOW)


@pytest.mark.parametrize("amount", [0, -1, 1.5, True, "3"])
def test_a_term_is_a_positive_whole_number(amount):
    with pytest.raises(ValueError):
        Term(amount, CAL)


def test_a_term_accepts_the_stored_unit_string_and_reads_in_russian():
    term = Term(30, "calendar_days")
    assert term.unit is Unit.CALENDAR_DAYS
    assert term == Term(30, Unit.CALENDAR_DAYS)
    assert str(term) == "30 кал. дн."
    assert str(Term(5, WORK)) == "5 раб. дн."
    assert str(Term(2, HOURS)) == "2 ч"
    with pytest.raises(ValueError):
        Term(3, "fortnights")


def test_end_of_day():
    assert end_of_day(d("2026-03-10"), MOSCOW) == msk("2026-03-10 23:59:59.999999")
