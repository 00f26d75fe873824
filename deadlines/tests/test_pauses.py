"""Table tests of a stopped clock (ПП 442 п. 39) over the real 2026–2027 calendars."""

from datetime import datetime, time

import pytest

from deadlines.arithmetic import Term, Unit, due_after_pauses, due_at, paused_working_days
from deadlines.tests.conftest import MOSCOW, d

FIFTEEN = Term(15, Unit.WORKING_DAYS)


def last_moment(day: str) -> datetime:
    return datetime.combine(d(day), time.max, tzinfo=MOSCOW)


@pytest.mark.parametrize(
    ("received", "pauses", "expected", "why"),
    [
        ("2026-03-02", [], "2026-03-24", "no pause: 15 working days from Tuesday 3 March (9 March is a holiday)"),
        ("2026-03-02", [("2026-03-04", "2026-03-06")], "2026-03-26",
         "stopped Wednesday, resumed Friday: Thursday and Friday lost"),
        ("2026-03-02", [("2026-03-06", "2026-03-07")], "2026-03-24", "resumed on a Saturday: nothing lost"),
        ("2026-03-02", [("2026-03-06", "2026-03-09")], "2026-03-24",
         "resumed on the 9 March holiday: still nothing lost"),
        ("2026-03-02", [("2026-03-06", "2026-03-10")], "2026-03-25",
         "resumed Tuesday after the holiday Monday: one working day lost"),
        ("2026-03-02", [("2026-03-04", "2026-03-05"), ("2026-03-11", "2026-03-13")], "2026-03-27",
         "paused twice: one day, then two"),
        ("2026-12-21", [], "2027-01-20", "no pause, over the New Year holidays"),
        ("2026-12-21", [("2026-12-25", "2027-01-12")], "2027-01-27",
         "paused over the New Year holidays: 28–30 December and 11–12 January lost, the holidays no loss"),
        ("2026-12-21", [("2026-12-30", "2027-01-10")], "2027-01-20",
         "stopped 30 December, resumed on Sunday 10 January: only days off passed (31 December is off in 2026)"),
        ("2026-01-26", [("2026-01-30", "2026-02-02")], "2026-02-17",
         "across a month end: stopped Friday 30 January, resumed Monday 2 February"),
        ("2026-02-20", [("2026-02-27", "2026-03-03")], "2026-03-19",
         "across February's end: 2 and 3 March lost"),
    ],
)
def test_the_due_date_moves_by_the_paused_working_days(calendar, received, pauses, expected, why):
    due = due_at(FIFTEEN, datetime.combine(d(received), time(12), tzinfo=MOSCOW), calendar, MOSCOW)
    moved = due_after_pauses(due, [(d(a), d(b)) for a, b in pauses], calendar, MOSCOW)
    assert moved == last_moment(expected), why


def test_pausing_in_steps_equals_pausing_at_once(calendar):
    due = last_moment("2026-03-23")
    first = due_after_pauses(due, [(d("2026-03-04"), d("2026-03-05"))], calendar, MOSCOW)
    both = due_after_pauses(first, [(d("2026-03-11"), d("2026-03-13"))], calendar, MOSCOW)
    assert both == due_after_pauses(
        due, [(d("2026-03-04"), d("2026-03-05")), (d("2026-03-11"), d("2026-03-13"))], calendar, MOSCOW
    )


@pytest.mark.parametrize(
    ("paused", "resumed", "lost"),
    [
        ("2026-03-04", "2026-03-04", 0),  # resumed the same day
        ("2026-03-06", "2026-03-07", 0),  # resumed on a Saturday
        ("2026-03-06", "2026-03-09", 0),  # resumed on the 9 March holiday
        ("2026-03-06", "2026-03-10", 1),
        ("2026-12-30", "2027-01-11", 1),  # 11 January 2027 is a working Monday
    ],
)
def test_paused_working_days(calendar, paused, resumed, lost):
    assert paused_working_days(d(paused), d(resumed), calendar) == lost


def test_a_pause_cannot_end_before_it_starts(calendar):
    with pytest.raises(ValueError):
        paused_working_days(d("2026-03-10"), d("2026-03-09"), calendar)
