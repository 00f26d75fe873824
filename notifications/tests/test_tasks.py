"""The Celery entry points of notifications: thin wrappers that take ids and call the services."""

import logging

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from notifications import services, tasks
from notifications.models import Channel, Notification

pytestmark = pytest.mark.django_db


def email_row(key):
    rows = services.notify(recipient=UserFactory(), event="test.hello", context={"number": "2026-000042"},
                           dedup_key=key)
    return next(row for row in rows if row.channel == Channel.EMAIL)


def test_deliver_sends_the_row_it_is_given_once():
    row = email_row("k1")
    assert tasks.deliver_notification.apply(args=[row.pk]).successful()
    assert tasks.deliver_notification.apply(args=[row.pk]).successful()
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_deliver_of_a_row_that_is_gone_does_nothing():
    assert tasks.deliver_notification.apply(args=[987654]).successful()
    assert mail.outbox == []


def test_the_sweep_sends_pending_rows_and_logs_it(caplog):
    rows = [email_row(f"k{n}") for n in range(2)]
    with caplog.at_level(logging.INFO, logger="notifications.tasks"):
        assert tasks.sweep_notifications.apply().successful()
    assert {r.status for r in Notification.objects.filter(pk__in=[r.pk for r in rows])} == {Notification.Status.SENT}
    assert "notification sweep:" in caplog.text


def test_an_empty_sweep_logs_nothing(caplog):
    with caplog.at_level(logging.INFO, logger="notifications.tasks"):
        assert tasks.sweep_notifications.apply().successful()
    assert [r for r in caplog.records if r.name == "notifications.tasks"] == []
