"""The audit trail of changes: django-simple-history with the client's address on every row.

A model joins the trail with one line below its definition, in its own models module:

    audit.history.register(Decision)

then `makemigrations` (the historical table lives in the model's own app) and, for its admin page,
`HistoryAdmin` among the admin class's bases. Bulk paths (bulk_create, UPDATE … FROM) write no
historical rows on purpose: they record one `BulkChange` with their report instead (see services).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history import register as _register
from simple_history.manager import HistoryDescriptor


class AddressedHistory(models.Model):
    """The abstract base of every historical model: from which address the change came."""

    ip_address = models.GenericIPAddressField(_("адрес"), null=True, blank=True)

    class Meta:
        abstract = True


class _HistoryDescriptor(HistoryDescriptor):
    """simple-history's `Model.history`, with its manager class built once rather than on every read.

    The library builds a new class (`from_queryset`) each time `instance.history` is read, and every
    save that writes a historical row reads it: 0.1-0.2 ms of each filing (bench/README.md).
    """

    def __init__(self, descriptor: HistoryDescriptor):
        super().__init__(descriptor.model, manager=descriptor.manager_class, queryset=descriptor.queryset_class)
        self._manager_with_queryset = self.manager_class.from_queryset(self.queryset_class)

    def __get__(self, instance, owner):
        return self._manager_with_queryset(self.model, instance)


def register(model, *, exclude: tuple[str, ...] = (), **kwargs) -> None:
    _register(model, bases=[AddressedHistory], excluded_fields=list(exclude), **kwargs)
    name = model._meta.simple_history_manager_attribute
    setattr(model, name, _HistoryDescriptor(model.__dict__[name]))


def audited_models() -> list:
    """Every model that keeps a history (its manager is what simple-history registered)."""
    from simple_history.models import registered_models

    return list(registered_models.values())
