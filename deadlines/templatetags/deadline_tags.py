from django import template

from deadlines.display import due_display

register = template.Library()


@register.filter
def due(value, unit):
    """`{{ appeal.due_at|due:appeal.deadline_rule.unit }}`: the date alone for day terms, with the time for hours."""
    return due_display(value, unit)
