import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction

from accounts.tests.factories import UserFactory
from notifications import services
from notifications.models import Channel, Notification
from notifications.services import Address
from notifications.sms import LocmemSmsBackend
from notifications.tests.brokers import unreachable_broker  # noqa: F401 - a fixture
from notifications.tests.conftest import NOW
from notifications.tests.smtp import ScriptedHandler, smtp_server

pytestmark = pytest.mark.django_db

CONTEXT = {"number": "2026-000042", "title": "Счёт", "due": "10.04.2026"}


def email_row(key="k1", recipient=None):
    rows = services.notify(
        recipient=recipient or UserFactory(), event="test.hello", context=CONTEXT, dedup_key=key, now=NOW
    )
    return next(row for row in rows if row.channel == Channel.EMAIL)


def test_delivering_sends_one_branded_email_with_a_stable_message_id():
    row = email_row()

    assert services.notification_deliver(row.pk, now=NOW) == Notification.Status.SENT
    assert services.notification_deliver(row.pk, now=NOW) is None

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [row.to_email]
    assert message.subject == "Привет по делу 2026-000042"
    assert message.from_email == "АО «Тестэнергосбыт» <noreply@lk.example.ru>"
    assert message.extra_headers["Message-ID"] == row.message_id
    assert message.alternatives[0].mimetype == "text/html"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at, row.claimed_at) == (Notification.Status.SENT, 1, NOW, None)


def test_a_row_not_yet_due_is_left_alone():
    row = email_row()
    assert services.notification_deliver(row.pk, now=NOW - timedelta(seconds=1)) is None
    assert mail.outbox == []


def test_running_the_sweeper_twice_sends_once():
    for n in range(3):
        email_row(key=f"k{n}")

    first = services.notifications_sweep(now=NOW)
    second = services.notifications_sweep(now=NOW)

    assert (first.sent, second.sent) == (3, 0)
    assert len(mail.outbox) == 3
    assert not Notification.objects.exclude(status=Notification.Status.SENT).exists()


def test_the_sweeper_works_in_batches():
    for n in range(5):
        email_row(key=f"k{n}")
    result = services.notifications_sweep(now=NOW, batch_size=2)
    assert result.sent == 5


def test_smtp_refusing_then_accepting_retries_with_backoff_and_sends_one_email(settings):
    row = email_row()
    handler = ScriptedHandler(data_replies=["451 4.3.0 Try again later"])
    with smtp_server(settings, handler):
        first = services.notifications_sweep(now=NOW)
        row.refresh_from_db()
        assert first.retried == 1
        assert row.status == Notification.Status.PENDING
        assert row.next_attempt_at == NOW + timedelta(seconds=60)
        assert "451" in row.last_error

        # Not due yet: nothing happens.
        assert services.notifications_sweep(now=NOW + timedelta(seconds=30)).sent == 0
        assert services.notifications_sweep(now=NOW + timedelta(seconds=60)).sent == 1
        assert services.notifications_sweep(now=NOW + timedelta(seconds=600)).sent == 0

    assert len(handler.messages) == 1
    received = handler.messages[0]
    assert received["Message-ID"] == row.message_id
    assert received["From"].addresses[0].display_name == "АО «Тестэнергосбыт»"
    assert received["Subject"] == "Привет по делу 2026-000042"
    assert received.get_body(preferencelist=("plain",)).get_content().startswith("Здравствуйте")
    assert "АО «Тестэнергосбыт»" in received.get_body(preferencelist=("html",)).get_content()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Notification.Status.SENT, 2, "")


def test_the_backoff_doubles_and_the_last_attempt_fails_the_row(settings):
    row = email_row()
    handler = ScriptedHandler(data_replies=["451 busy"] * 5)
    with smtp_server(settings, handler):
        services.notifications_sweep(now=NOW)  # attempt 1, next in 60 s
        services.notifications_sweep(now=NOW + timedelta(seconds=60))  # attempt 2, next in 120 s
        row.refresh_from_db()
        assert row.next_attempt_at == NOW + timedelta(seconds=180)
        result = services.notifications_sweep(now=NOW + timedelta(seconds=180))  # attempt 3 of 3

    assert result.failed == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.FAILED, 3)
    assert handler.messages == []


def test_an_address_the_server_refuses_fails_at_once(settings):
    row = email_row()
    handler = ScriptedHandler(rcpt_replies=["550 5.1.1 No such user"])
    with smtp_server(settings, handler):
        result = services.notifications_sweep(now=NOW)
    assert result.failed == 1
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED
    assert row.attempts == 1


def test_resending_a_failed_row_gives_it_fresh_attempts(django_capture_on_commit_callbacks, monkeypatch):
    row = email_row()
    Notification.objects.filter(pk=row.pk).update(status=Notification.Status.FAILED, attempts=3, last_error="x")
    queued = []
    monkeypatch.setattr(services, "enqueue_delivery", queued.extend)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.notifications_resend(notification_ids=[row.pk], now=NOW) == 1
    assert queued == [row.pk]
    assert services.notifications_resend(notification_ids=[row.pk], now=NOW) == 0  # pending now, not failed

    services.notification_deliver(row.pk, now=NOW)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.SENT, 1)
    assert len(mail.outbox) == 1


def test_a_worker_killed_mid_task_leaves_a_row_that_is_reclaimed_and_sent_once():
    row = email_row()
    # A worker claims the row and dies before it sends or records anything.
    (claimed,) = services.claim_due(now=NOW, limit=10)
    assert claimed.pk == row.pk

    # While the claim is fresh nobody else takes the row.
    assert services.notifications_sweep(now=NOW + timedelta(minutes=1)).sent == 0
    assert services.notification_deliver(row.pk, now=NOW + timedelta(minutes=1)) is None

    later = NOW + timedelta(minutes=3)
    result = services.notifications_sweep(now=later)
    assert (result.requeued, result.sent) == (1, 1)
    assert services.notifications_sweep(now=later + timedelta(minutes=30)).sent == 0
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.SENT, 2)


def test_a_worker_that_wakes_after_its_claim_expired_does_not_overwrite_the_newer_claim():
    row = email_row()
    (stale_claim,) = services.claim_due(now=NOW, limit=10)
    services.requeue_stale(now=NOW + timedelta(minutes=11))
    (fresh_claim,) = services.claim_due(now=NOW + timedelta(minutes=11), limit=10)

    # The first worker finishes late: its result is not recorded over the new claim.
    assert services._send_claimed(stale_claim, now=NOW + timedelta(minutes=12)) is None
    row.refresh_from_db()
    assert row.status == Notification.Status.SENDING
    assert row.claimed_at == fresh_claim.claimed_at


def test_sms_goes_through_the_configured_backend():
    user = UserFactory(phone="+79161234567")
    services.preferences_save(user=user, choices={("test.hello", Channel.SMS): True}, language="ru")
    rows = services.notify(recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", now=NOW)
    sms = next(row for row in rows if row.channel == Channel.SMS)

    assert services.notification_deliver(sms.pk, now=NOW) == Notification.Status.SENT

    assert LocmemSmsBackend.outbox == [
        {"phone": "+79161234567", "text": "Дело 2026-000042: принято", "message_id": sms.message_id}
    ]
    sms.refresh_from_db()
    assert sms.provider_message_id == "locmem-1"


def test_the_default_sms_backend_writes_to_the_log(settings, caplog):
    settings.SMS_BACKEND = "notifications.sms.LogSmsBackend"
    rows = services.notify(
        recipient=Address(phone="+79161234567"),
        event="test.hello",
        context=CONTEXT,
        dedup_key="k1",
        channels=[Channel.SMS],
        now=NOW,
    )
    # SMS is optional for this event, and a visitor has no preferences: nothing is written.
    assert rows == []
    user = UserFactory(phone="+79161234567")
    services.preferences_save(user=user, choices={("test.hello", Channel.SMS): True}, language="ru")
    (sms,) = services.notify(
        recipient=user, event="test.hello", context=CONTEXT, dedup_key="k2", channels=[Channel.SMS], now=NOW
    )
    with caplog.at_level("INFO", logger="notifications.sms"):
        services.notification_deliver(sms.pk, now=NOW)
    assert "+79161234567" in caplog.text
    assert "Дело 2026-000042: принято" in caplog.text


@pytest.mark.usefixtures("unreachable_broker")
def test_with_the_broker_down_the_callers_commit_succeeds_and_the_sweeper_sends_later(
    django_capture_on_commit_callbacks, caplog
):
    # How long the caller waits is bounded by the broker options (test_faults.py checks them;
    # the measured figures are in notifications/README.md), not asserted on the clock here.
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.notify(recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", now=NOW)

    assert "waits for the sweeper" in caplog.text
    email = Notification.objects.get(channel=Channel.EMAIL)
    assert email.status == Notification.Status.PENDING
    assert mail.outbox == []

    assert services.notifications_sweep(now=NOW + timedelta(minutes=1)).sent == 1
    assert len(mail.outbox) == 1


def test_smtp_exceptions_are_transport_errors_not_crashes(settings, monkeypatch):
    row = email_row()

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    assert services.notification_deliver(row.pk, now=NOW) == Notification.Status.PENDING
    row.refresh_from_db()
    assert "SMTPServerDisconnected" in row.last_error
