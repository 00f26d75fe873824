"""How a due moment reads to people: a date for day terms, a date and time for hour terms.

Whether a term is a day term comes from its rule's unit (`arithmetic.is_day_term`),
never from the time of day the due moment happens to have.
"""

from datetime import datetime

from django.utils import formats, timezone

from deadlines.arithmetic import is_day_term


def due_display(due: datetime | None, unit: str | None) -> str:
    """«02.12.2026» for a day term, «02.12.2026 14:30» for an hour term, in the company's zone."""
    if not due:
        return ""
    local = timezone.localtime(due, timezone.get_default_timezone())
    return formats.date_format(local, "d.m.Y" if is_day_term(unit) else "d.m.Y H:i")
