"""Admin shapes shared by every domain."""

import datetime
import functools

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
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
