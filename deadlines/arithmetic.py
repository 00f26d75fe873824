"""Deadline arithmetic under the Civil Code (ст. 191, 193). Pure: no ORM, no clock.

Every moment comes in as an aware datetime and every day is a date in the
time zone passed in (the company's, settings.TIME_ZONE, supplied by
`deadlines.services`): an appeal received at 23:30 UTC on 31 December was
received on 1 January in Moscow, and the Moscow date is the one the law counts.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from deadlines.calendar import WorkingCalendar


class Unit(TextChoices):
    CALENDAR_DAYS = "calendar_days", _("календарные дни")
    WORKING_DAYS = "working_days", _("рабочие дни")
    HOURS = "hours", _("часы")


def is_day_term(unit) -> bool:
    """Whether a term in `unit` ends at the very end of a day (shown as a date) rather than at a time of day.

    Anything but a known unit answers False: the time is then shown, never hidden.
    """
    try:
        return Unit(unit) is not Unit.HOURS
    except ValueError:
        return False


# Abbreviations as Russian paperwork writes them: they read right after any
# number, so no plural forms are needed ("21 кал. дн.", "2 ч").
_UNIT_ABBREVIATIONS = {
    Unit.CALENDAR_DAYS: _("кал. дн."),
    Unit.WORKING_DAYS: _("раб. дн."),
    Unit.HOURS: _("ч"),
}


@dataclass(frozen=True)
class Term:
    amount: int
    unit: Unit

    def __post_init__(self):
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 1:
            raise ValueError(f"a term is a positive whole number of units, not {self.amount!r}")
        # Accept the stored string ("calendar_days") as well as the member.
        object.__setattr__(self, "unit", Unit(self.unit))

    def __str__(self):
        return f"{self.amount} {_UNIT_ABBREVIATIONS[self.unit]}"


def due_at(term: Term, event_at: datetime, calendar: WorkingCalendar, tz: ZoneInfo) -> datetime:
    """When a term that starts with the event at `event_at` runs out.

    Day terms start on the day after the event (ст. 191), even when the event
    falls on a day off, and end at the very end of their last day (ст. 194);
    a calendar-day term whose last day is not a working day ends on the next
    working day (ст. 193). Working-day terms count only working days. Hours
    are elapsed hours.
    """
    _require_aware(event_at)
    if term.unit == Unit.HOURS:
        # Add in UTC: elapsed hours, whatever the zone's clock changes do.
        return (event_at.astimezone(UTC) + timedelta(hours=term.amount)).astimezone(tz)
    event_day = event_at.astimezone(tz).date()
    if term.unit == Unit.WORKING_DAYS:
        last_day = calendar.add_working_days(event_day, term.amount)
    else:
        last_day = calendar.next_working_day(event_day + timedelta(days=term.amount))
    return end_of_day(last_day, tz)


def extended_due_at(current_due_at: datetime, term: Term, calendar: WorkingCalendar, tz: ZoneInfo) -> datetime:
    """The due date after an extension by `term`, counted from the current due date.

    The extension runs like a new term whose event is the current due date: it
    starts the next day (for day terms) and obeys the same working-day rules.
    """
    return due_at(term, current_due_at, calendar, tz)


def working_days_left(now: datetime, due: datetime, calendar: WorkingCalendar, tz: ZoneInfo) -> int:
    """Working days from today to the due date, by the dates in `tz`.

    0: due today. Positive: working days until the due date, at least 1 when it
    is after today (a due date on a Sunday seen on Friday is 1, not "today").
    Negative: overdue, by the working days since the due date, at least 1 once
    the due moment has passed (an hours term that ran out this morning is
    overdue, not "due today"; so is Friday's term seen on Saturday).
    """
    _require_aware(now)
    _require_aware(due)
    today = now.astimezone(tz).date()
    due_day = due.astimezone(tz).date()
    if now > due:
        return -max(1, calendar.working_days_between(due_day, today))
    if due_day == today:
        return 0
    return max(1, calendar.working_days_between(today, due_day))


def end_of_day(day: date, tz: ZoneInfo) -> datetime:
    """The last representable moment of `day` in `tz`, aware."""
    return datetime.combine(day, time.max, tzinfo=tz)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"an aware datetime is required, got naive {moment!r}")


@dataclass(frozen=True)
class DueExplanation:
    """Why a due date falls where it does (Civil Code ст. 191, 193), for people to read."""

    term: Term
    event_day: date  # the day of the event the term counts from (in the company's zone)
    first_day: date | None  # the day the term starts: the next day (ст. 191); None for hour terms
    nominal_last_day: date | None  # the last day by plain counting (calendar-day terms)
    last_day: date  # the day the term actually ends
    moved: bool  # the nominal last day was a day off, moved to the next working day (ст. 193)
    days_off_inside: int  # days off between the first and last day (counted or skipped by the unit)


def explain_due(term: Term, event_at: datetime, calendar: WorkingCalendar, tz: ZoneInfo) -> DueExplanation:
    """The facts behind `due_at(term, event_at, …)`: where counting starts, what moved the end."""
    _require_aware(event_at)
    event_day = event_at.astimezone(tz).date()
    due = due_at(term, event_at, calendar, tz)
    last_day = due.astimezone(tz).date()
    if term.unit == Unit.HOURS:
        return DueExplanation(term, event_day, None, None, last_day, False, 0)
    first_day = event_day + timedelta(days=1)
    nominal = event_day + timedelta(days=term.amount) if term.unit == Unit.CALENDAR_DAYS else None
    days_off = sum(
        1 for offset in range((last_day - first_day).days + 1)
        if not calendar.is_working_day(first_day + timedelta(days=offset))
    )
    return DueExplanation(term, event_day, first_day, nominal, last_day, nominal is not None and nominal != last_day,
                          days_off)


def paused_working_days(paused_on: date, resumed_on: date, calendar: WorkingCalendar) -> int:
    """Working days a stopped clock did not run: those after the day it stopped, up to the day it resumed.

    The day of the stop still counted (the request went out that day, ст. 191 starts the next one);
    the day of the resumption does not (the term runs again from the next day). A clock stopped on a
    Friday and resumed on the Saturday lost nothing; resumed on the Monday, it lost that Monday.
    """
    if resumed_on < paused_on:
        raise ValueError(f"a pause cannot end ({resumed_on}) before it starts ({paused_on})")
    return calendar.working_days_between(paused_on, resumed_on)


def due_after_pauses(
    due: datetime, pauses: Sequence[tuple[date, date]], calendar: WorkingCalendar, tz: ZoneInfo
) -> datetime:
    """The due moment of a working-day term moved by the working days its clock stood still.

    `due` is the due moment counted without pauses; each pause is (the day the clock stopped,
    the day it resumed), in the company's zone, as `paused_working_days` counts them. The end
    moves by their sum, working day by working day (ПП 442 п. 39: the term does not run while
    the customer's documents are missing).
    """
    _require_aware(due)
    lost = sum(paused_working_days(start, end, calendar) for start, end in pauses)
    if not lost:
        return due
    return end_of_day(calendar.add_working_days(due.astimezone(tz).date(), lost), tz)
