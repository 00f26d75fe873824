from django import template
from django.utils import formats, timezone

register = template.Library()

STATUS_BADGES = {
    "registered": "text-bg-secondary",
    "in_progress": "text-bg-primary",
    "waiting_for_customer": "text-bg-warning",
    "answered": "text-bg-success",
    "closed": "text-bg-light border",
    "withdrawn": "text-bg-light border",
    "redirected": "text-bg-info",
    "reopened": "text-bg-primary",
}


@register.filter
def due(value):
    """A due moment: the date alone for day terms (they end at midnight), with the time for hour terms."""
    if not value:
        return ""
    local = timezone.localtime(value)
    if (local.hour, local.minute) == (23, 59):
        return formats.date_format(local, "d.m.Y")
    return formats.date_format(local, "d.m.Y H:i")


@register.filter
def status_badge(status):
    return STATUS_BADGES.get(status, "text-bg-secondary")
