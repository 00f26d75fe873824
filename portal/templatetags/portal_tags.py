"""Template helpers every page needs."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def iso_datetime(value):
    """A machine-readable moment for `<time datetime>`: ISO 8601 in the current time zone, to the second.

    Django's `date:'c'` writes microseconds, and HTML allows at most three fraction digits.
    """
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""
