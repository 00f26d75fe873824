"""Admin shapes shared by every domain."""

import datetime
import functools
import operator
import types

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.utils import display_for_value, quote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


class SafeChangeList(ChangeList):
    """A changelist whose bad filter values are the admin's "incorrect lookup", never a 500.

    Django checks a date-hierarchy year only for `datetime()`; it then adds a
    year (year 9999 → 10000), makes the bounds aware and lets the database
    adapter convert them to UTC (year 1 in Moscow falls before year 1) or
    overflow on a 20-digit year, all outside its own error handling. Any such
    error while building or counting the queryset means the query string is
    wrong: it becomes IncorrectLookupParameters, so the admin shows the list
    without the filters, with a message saying why.
    """

    def get_filters(self, request):
        try:
            filters = super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error
        for values in filters[2].values():
            for value in values if isinstance(values, list | tuple) else [values]:
                if isinstance(value, datetime.datetime) and value.tzinfo is not None:
                    try:
                        value.astimezone(datetime.UTC)
                    except OverflowError as error:
                        raise IncorrectLookupParameters(error) from error
        return filters

    def get_queryset(self, request, exclude_parameters=None):
        try:
            return super().get_queryset(request, exclude_parameters)
        except IncorrectLookupParameters:
            self._explain_reset(request)
            raise

    def get_results(self, request):
        try:
            super().get_results(request)
        except (ValueError, OverflowError, ValidationError) as error:
            self._explain_reset(request)
            raise IncorrectLookupParameters(error) from error

    @staticmethod
    def _explain_reset(request):
        messages.warning(request, _("В адресе списка был недопустимый фильтр; показан список без него."))


def use_safe_changelists() -> None:
    """Every ModelAdmin that keeps Django's own ChangeList gets SafeChangeList.

    Site-wide, so third-party admins (django-axes' logs have a date hierarchy
    too) and admins added later are covered without remembering a mixin. An
    admin with a changelist class of its own should subclass SafeChangeList.
    """
    original = admin.ModelAdmin.get_changelist
    if getattr(original, "safe_changelist", False):
        return

    @functools.wraps(original)
    def get_changelist(self, request, **kwargs):
        changelist = original(self, request, **kwargs)
        return SafeChangeList if changelist is ChangeList else changelist

    get_changelist.safe_changelist = True
    admin.ModelAdmin.get_changelist = get_changelist


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record that only the system writes (consents, outbox, events): staff look, never touch."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- a changelist's rows, written in Python ----------------------------------------------------


_PK_MARK = "2147483647"  # an id in a reversed change URL, replaced by each row's own


def _column_writers(cl):
    """Per column of `cl.list_display`: (links to the change page, cell classes, value getter, empty value);
    None when a column is not a model admin's method or a foreign key (`result_rows` then uses Django's)."""
    model_admin, opts = cl.model_admin, cl.opts
    empty = model_admin.get_empty_value_display()
    links = set(cl.list_display_links or ())
    writers = []
    for index, name in enumerate(cl.list_display):
        if name == "action_checkbox" or (not links and index == 0) or callable(name):
            return None
        method = getattr(model_admin, name, None)
        if callable(method):
            column_empty = getattr(method, "empty_value_display", empty)
            if getattr(method, "boolean", False):
                return None
            classes, value_of = f"field-{name}", method
        else:
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:
                return None
            if not isinstance(field, models.ForeignKey):
                return None
            column_empty = empty
            classes, value_of = f"field-{name} nowrap", operator.attrgetter(name)
        writers.append((name in links, classes, value_of, column_empty))
    return writers


def result_rows(cl) -> list:
    """The rows of a changelist page, as Django's `items_for_result` writes them, without its per-cell
    machinery (a third of the staff queue's time at 50 rows): each row one piece of markup.

    For pages without editable fields or action checkboxes whose columns are the model admin's methods
    and foreign keys; any other page gets Django's own rows. `appeals/tests/test_queue_rows.py` compares
    the two on the appeals queue.
    """
    # Integer keys only: a text key would need the URL quoting Django's reverse() does.
    plain = not (cl.formset or cl.is_popup) and isinstance(cl.opts.pk, models.AutoField)
    writers = _column_writers(cl) if plain else None
    if writers is None:
        return list(admin_list.results(cl))
    link = None
    if any(is_link for is_link, *_rest in writers):
        template = cl.url_for_result(types.SimpleNamespace(**{cl.pk_attname: _PK_MARK}))
        template = admin_list.add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, template
        )
        before, _mark, after = template.partition(_PK_MARK)
        link = (escape(before), escape(after))
    rows = []
    for obj in cl.result_list:
        cells = []
        first_link = True  # Django heads a row with its first link column (th), the others are td
        for is_link, classes, value_of, empty in writers:
            value = value_of(obj)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            shown = conditional_escape(empty if value is None else display_for_value(value, empty))
            if is_link:
                pk = escape(quote(getattr(obj, cl.pk_attname)))
                tag, first_link = ("th" if first_link else "td"), False
                cells.append(f'<{tag} class="{classes}"><a href="{link[0]}{pk}{link[1]}">{shown}</a></{tag}>')
            else:
                cells.append(f'<td class="{classes}">{shown}</td>')
        rows.append(admin_list.ResultList(None, [mark_safe("".join(cells))]))  # noqa: S308 — each value escaped
    return rows
