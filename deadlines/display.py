"""How a due moment reads to people: a date for day terms, a date and time for hour terms;
what is left until it, in hours or in working days.

Whether a term is a day term comes from its rule's unit (`arithmetic.is_day_term`),
never from the time of day the due moment happens to have.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from deadlines.arithmetic import is_day_term


def due_display(due: datetime | None, unit: str | None) -> str:
    """«02.12.2026» for a day term, «02.12.2026 14:30» for an hour term, in the company's zone."""
    if not due:
        return ""
    local = timezone.localtime(due, timezone.get_default_timezone())
    return formats.date_format(local, "d.m.Y" if is_day_term(unit) else "d.m.Y H:i")


@dataclass(frozen=True)
class TimeLeft:
    urgency: str  # "overdue", "today", "soon" or "ok": how loudly the queue shows it
    text: str


def _hours_minutes(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(h)d ч %(m)d мин") % {"h": hours, "m": minutes}
    if hours:
        return _("%(h)d ч") % {"h": hours}
    return _("%(m)d мин") % {"m": minutes}


def time_left(due: datetime, unit: str | None, *, now: datetime, working_days_left: int | None,
              soon_working_days: int = 3) -> TimeLeft:
    """What is left until `due`, in the rule's own unit: hours and minutes for an hour term (a 2-hour
    power-quality report), working days for a day term. `working_days_left` comes from the calendar
    (`services.working_days_left_each`) and is used for day terms only."""
    if not is_day_term(unit):
        if due <= now:
            return TimeLeft("overdue", _("просрочено на %(t)s") % {"t": _hours_minutes(now - due)})
        left = due - now
        return TimeLeft("today" if left <= timedelta(hours=24) else "ok", _hours_minutes(left))
    days = working_days_left or 0
    if days < 0:
        return TimeLeft("overdue", _("просрочено на %(n)d раб. дн.") % {"n": -days})
    if days == 0:
        return TimeLeft("today", _("сегодня"))
    return TimeLeft("soon" if days <= soon_working_days else "ok", _("%(n)d раб. дн.") % {"n": days})
