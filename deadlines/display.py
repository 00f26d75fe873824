"""How a due moment reads to people: a date for day terms, a date and time for hour terms;
what is left until it, in hours or in working days.

Whether a term is a day term comes from its rule's unit (`arithmetic.is_day_term`),
never from the time of day the due moment happens to have.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deadlines.arithmetic import Unit, is_day_term


def due_display(due: datetime | None, unit: str | None) -> str:
    """«02.12.2026» for a day term, «02.12.2026 14:30» for an hour term, in the company's zone."""
    if not due:
        return ""
    local = timezone.localtime(due, timezone.get_default_timezone())
    # «d.m.Y» and «d.m.Y H:i» as Django's date_format writes them, at a tenth of its cost (50 rows a queue page).
    day = f"{local.day:02d}.{local.month:02d}.{local.year:04d}"
    return day if is_day_term(unit) else f"{day} {local.hour:02d}:{local.minute:02d}"


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
def _day(day) -> str:
    return f"{formats.date_format(day, 'd.m.Y')} ({formats.date_format(day, 'l').lower()})"


def explanation_lines(explanation, *, counted_from: str) -> list[str]:
    """Plain sentences saying why the due date is what it is: the unit, where counting starts
    (the next day, ГК РФ ст. 191), days off inside the term and a last day moved off a day off (ст. 193).

    `counted_from` names the event («со дня регистрации», «с момента поступления»).
    """
    term = explanation.term
    if term.unit == Unit.HOURS:
        return [
            ngettext(
                "Срок — %(n)d час %(from)s, часы идут подряд, включая ночь, выходные и праздники.",
                "Срок — %(n)d часов %(from)s, часы идут подряд, включая ночь, выходные и праздники.",
                term.amount,
            ) % {"n": term.amount, "from": counted_from}
        ]
    lines = []
    if term.unit == Unit.WORKING_DAYS:
        lines.append(
            ngettext(
                "Срок — %(n)d рабочий день %(from)s: считаются только рабочие дни по производственному календарю.",
                "Срок — %(n)d рабочих дней %(from)s: считаются только рабочие дни по производственному календарю.",
                term.amount,
            ) % {"n": term.amount, "from": counted_from}
        )
    else:
        lines.append(
            ngettext(
                "Срок — %(n)d календарный день %(from)s: выходные и праздники внутри срока считаются.",
                "Срок — %(n)d календарных дней %(from)s: выходные и праздники внутри срока считаются.",
                term.amount,
            ) % {"n": term.amount, "from": counted_from}
        )
    lines.append(
        _("Отсчёт начинается на следующий день после события (ГК РФ ст. 191): с %(day)s.")
        % {"day": _day(explanation.first_day)}
    )
    if term.unit == Unit.WORKING_DAYS and explanation.days_off_inside:
        lines.append(
            ngettext(
                "Внутри срока %(n)d выходной или праздничный день — он не считается, поэтому дата дальше, "
                "чем %(amount)s.",
                "Внутри срока %(n)d выходных и праздничных дней — они не считаются, поэтому дата дальше, "
                "чем %(amount)s.",
                explanation.days_off_inside,
            ) % {"n": explanation.days_off_inside, "amount": str(term)}
        )
    if explanation.moved:
        lines.append(
            _(
                "Последний день по счёту — %(nominal)s — нерабочий, поэтому срок переносится на ближайший "
                "рабочий день, %(last)s (ГК РФ ст. 193)."
            )
            % {"nominal": _day(explanation.nominal_last_day), "last": _day(explanation.last_day)}
        )
        total = (explanation.last_day - explanation.event_day).days
        lines.append(
            ngettext(
                "Поэтому до срока %(total)d день, а не %(amount)d.",
                "Поэтому до срока %(total)d дней, а не %(amount)d.",
                total,
            ) % {"total": total, "amount": term.amount}
        )
    lines.append(_("Срок истекает в конце дня %(day)s.") % {"day": formats.date_format(explanation.last_day, "d.m.Y")})
    return lines
