"""Notifications are built through notify(), never by factories poking fields; this module only adds helpers."""

from django.db import transaction

from notifications import services


def notify_committed(**kwargs):
    """notify() in its own transaction, as a domain service would call it."""
    with transaction.atomic():
        return services.notify(**kwargs)
