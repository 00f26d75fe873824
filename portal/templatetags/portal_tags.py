"""Template helpers every page needs."""

import datetime

from django import template
from django.contrib.admin.templatetags import admin_list
from django.utils import timezone

from core import admin as core_admin
from core.choices import choice_label as _choice_label
from core.form_html import render_field, render_form

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


@register.filter
def crispy_field(field):
    """`{{ form.x|crispy_field }}`: crispy-forms' `as_crispy_field` markup without its templates (core/form_html)."""
    return render_field(field)


@register.filter
def crispy_form(form):
    """`{{ form|crispy_form }}`: crispy-forms' `|crispy` markup, without its templates (core/form_html.py)."""
    return render_form(form)


@register.filter
def choice_label(obj, field_name):
    """`{{ appeal|choice_label:"kind" }}`: what `get_kind_display` says, from one map per field (core/choices.py)."""
    return _choice_label(obj, field_name)


@register.inclusion_tag("admin/change_list_results.html")
def fast_result_list(cl):
    """Django's `result_list` with the rows written by `core.admin.result_rows` (a changelist template's
    `{% block result_list %}` uses it in place of `{% result_list cl %}`)."""
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": core_admin.result_rows(cl),
    }
