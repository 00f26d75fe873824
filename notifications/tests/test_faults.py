"""Delivery under faults: SMTP refusals by reply code, workers that stop mid-batch, a broker that hangs,
and Message-IDs that never repeat (notifications/README.md, «Fault scenarios»)."""

import re
import smtplib
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction

from accounts.tests.factories import UserFactory
from notifications import services
from notifications.errors import PermanentDeliveryError, ServerUnavailableError, TemporaryDeliveryError
from notifications.models import Channel, Notification
from notifications.tests.brokers import hung_broker, unreachable_broker  # noqa: F401 - fixtures
from notifications.tests.conftest import NOW
from notifications.tests.smtp import ScriptedHandler, smtp_server

pytestmark = pytest.mark.django_db

CONTEXT = {"number": "2026-000042", "title": "Счёт", "due": "10.04.2026"}


def email_row(key="k1", recipient=None):
    rows = services.notify(
        recipient=recipient or UserFactory(), event="test.hello", context=CONTEXT, dedup_key=key, now=NOW
    )
    return next(row for row in rows if row.channel == Channel.EMAIL)


# --- SMTP: the reply code decides, at every stage -------------------------------------------


def test_a_451_at_rcpt_greylisting_is_retried_not_failed(settings):
    row = email_row()
    handler = ScriptedHandler(rcpt_replies=["451 4.7.1 Greylisted, try again later"])
    with smtp_server(settings, handler):
        first = services.notifications_sweep(now=NOW)
        row.refresh_from_db()
        assert (first.retried, first.failed) == (1, 0)
        assert row.status == Notification.Status.PENDING
        assert row.next_attempt_at == NOW + timedelta(seconds=60)
        assert "451" in row.last_error

        assert services.notifications_sweep(now=NOW + timedelta(seconds=60)).sent == 1
    assert len(handler.messages) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.SENT, 2)


def test_a_550_at_data_fails_at_once_and_is_not_retried(settings):
    row = email_row()
    handler = ScriptedHandler(data_replies=["550 5.7.1 Message rejected as spam"])
    with smtp_server(settings, handler):
        first = services.notifications_sweep(now=NOW)
        later = services.notifications_sweep(now=NOW + timedelta(hours=7))
    assert (first.failed, first.retried) == (1, 0)
    assert (later.sent, later.retried, later.failed) == (0, 0, 0)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.FAILED, 1)
    assert "550" in row.last_error
    assert handler.messages == []


def test_one_bad_message_does_not_spoil_the_next_on_the_same_connection(settings):
    refused, fine = email_row("k1"), email_row("k2")
    handler = ScriptedHandler(data_replies=["554 5.6.0 Message content rejected"])
    with smtp_server(settings, handler):
        result = services.notifications_sweep(now=NOW)
    assert (result.failed, result.sent) == (1, 1)
    assert Notification.objects.get(pk=refused.pk).status == Notification.Status.FAILED
    assert Notification.objects.get(pk=fine.pk).status == Notification.Status.SENT


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.ru": (450, b"mailbox busy")}), TemporaryDeliveryError),
        (smtplib.SMTPRecipientsRefused({"a@example.ru": (550, b"no such user")}), PermanentDeliveryError),
        (smtplib.SMTPSenderRefused(421, b"too many connections", "noreply@lk.example.ru"), TemporaryDeliveryError),
        (smtplib.SMTPSenderRefused(553, b"sender not allowed", "noreply@lk.example.ru"), PermanentDeliveryError),
        (smtplib.SMTPDataError(452, b"insufficient storage"), TemporaryDeliveryError),
        (smtplib.SMTPDataError(552, b"message too big"), PermanentDeliveryError),
        (smtplib.SMTPResponseException(421, b"closing"), TemporaryDeliveryError),
        # Our own login refused is a configuration fault: retried until staff fix it.
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), ServerUnavailableError),
        (smtplib.SMTPServerDisconnected("connection lost"), ServerUnavailableError),
        (smtplib.SMTPConnectError(554, b"go away"), ServerUnavailableError),
    ],
)
def test_smtp_errors_are_classified_by_reply_code(exc, expected):
    assert type(services.classify_smtp_error(exc)) is expected


def test_a_connection_timeout_is_temporary(settings, monkeypatch):
    row = email_row()

    def hang(*args, **kwargs):
        raise TimeoutError("timed out")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", hang)
    assert services.notification_deliver(row.pk, now=NOW) == Notification.Status.PENDING


# --- Workers that stop, sweeps that are slow ------------------------------------------------


def test_a_batch_claimed_by_a_worker_that_died_goes_out_well_before_ten_minutes():
    rows = [email_row(f"k{n}") for n in range(3)]
    # A worker claims a batch and is killed before it sends or records anything.
    claimed = services.claim_due(now=NOW, limit=settings_batch())
    assert {row.pk for row in claimed} == {row.pk for row in rows}

    # While the claim is fresh nobody else takes the rows.
    assert services.notifications_sweep(now=NOW + timedelta(minutes=1)).sent == 0

    # The next sweep after the stale window (2 minutes) sends them.
    result = services.notifications_sweep(now=NOW + timedelta(minutes=2, seconds=1))
    assert (result.requeued, result.sent) == (3, 3)
    assert services.notifications_sweep(now=NOW + timedelta(minutes=30)).sent == 0
    assert len(mail.outbox) == 3
    # Each requeue is counted on the row: the message may have reached the server before the worker died.
    assert set(Notification.objects.filter(channel=Channel.EMAIL).values_list("status", "attempts", "requeues")) == {
        (Notification.Status.SENT, 2, 1)
    }


def settings_batch():
    from django.conf import settings

    return settings.NOTIFICATIONS_SWEEP_BATCH


def test_the_defaults_pick_up_a_dead_workers_rows_within_minutes():
    from django.conf import settings

    assert settings.NOTIFICATIONS_STALE_AFTER_SECONDS <= 2 * 60
    assert settings.NOTIFICATIONS_SWEEP_BATCH <= 10


def test_a_slow_sweep_whose_claim_was_taken_over_does_not_send():
    first, second = email_row("k1"), email_row("k2")
    slow = services.claim_due(now=NOW, limit=10)
    assert [row.pk for row in slow] == [first.pk, second.pk]

    # The slow worker sends its first row; the claim is renewed right before the send.
    assert services._send_claimed(slow[0], now=NOW + timedelta(seconds=30)) == Notification.Status.SENT

    # Another sweep finds the second row untouched for longer than the stale window and sends it.
    other = services.notifications_sweep(now=NOW + timedelta(minutes=2, seconds=30))
    assert (other.requeued, other.sent) == (1, 1)

    # The slow worker reaches the second row at last: it is no longer its own, so it is not sent again.
    assert services._send_claimed(slow[1], now=NOW + timedelta(minutes=3)) is None
    assert len(mail.outbox) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.to_email, second.to_email])
    second.refresh_from_db()
    assert (second.status, second.requeues) == (Notification.Status.SENT, 1)


def test_a_live_worker_renews_its_claim_so_a_sweep_during_the_send_leaves_the_row_alone(monkeypatch):
    row = email_row()
    (claimed,) = services.claim_due(now=NOW, limit=10)
    during_send = []
    send = services._hand_over

    def slow_hand_over(notification, **kwargs):
        # Another sweep runs while this message is on the wire, long after the batch was claimed.
        during_send.append(services.notifications_sweep(now=NOW + timedelta(minutes=3)))
        return send(notification, **kwargs)

    monkeypatch.setattr(services, "_hand_over", slow_hand_over)
    assert services._send_claimed(claimed, now=NOW + timedelta(minutes=2)) == Notification.Status.SENT
    assert (during_send[0].requeued, during_send[0].sent) == (0, 0)
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.requeues == 0


def test_a_sweep_counts_rows_it_lost_to_another_worker(monkeypatch):
    email_row("k1")
    email_row("k2")
    original = services._send_claimed

    def taken_over_before_second(row, **kwargs):
        if row.dedup_key == "k2":
            Notification.objects.filter(pk=row.pk).update(claim_token=None, status=Notification.Status.PENDING)
        return original(row, **kwargs)

    monkeypatch.setattr(services, "_send_claimed", taken_over_before_second)
    result = services.notifications_sweep(now=NOW)
    assert (result.sent, result.lost_claims) == (1, 1)
    assert len(mail.outbox) == 1


# --- Message-IDs ------------------------------------------------------------------------------


def test_message_ids_are_uuids_and_never_repeat_for_the_same_dedup_key():
    first = email_row("appeal:1:registered:user:1")
    assert re.fullmatch(r"<[0-9a-f]{32}@lk\.example\.ru>", first.message_id)
    assert first.message_id == f"<{first.uuid.hex}@lk.example.ru>"

    # Another installation (or this one after its database was recreated) writes the same key again.
    Notification.objects.all().delete()
    second = email_row("appeal:1:registered:user:1")
    assert second.message_id != first.message_id


def test_the_message_id_is_the_same_on_every_attempt(settings):
    row = email_row()
    handler = ScriptedHandler(data_replies=["451 busy"])
    with smtp_server(settings, handler):
        services.notifications_sweep(now=NOW)
        services.notifications_sweep(now=NOW + timedelta(minutes=1))
    (received,) = handler.messages
    assert received["Message-ID"] == row.message_id == Notification.objects.get(pk=row.pk).message_id


# --- The broker ------------------------------------------------------------------------------


def test_the_broker_never_holds_a_request_for_more_than_two_seconds():
    from django.conf import settings

    options = settings.REDIS_BROKER_TRANSPORT_OPTIONS
    assert options["socket_connect_timeout"] <= 2
    assert options["socket_timeout"] <= 2  # a hung Redis: connected, never answering
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 2
    assert settings.CELERY_TASK_PUBLISH_RETRY is False
    assert settings.HEALTHZ_BROKER_TIMEOUT_SECONDS <= 1


def test_publishing_after_commit_never_retries(django_capture_on_commit_callbacks, monkeypatch):
    from notifications.tasks import deliver_notification

    calls = []
    monkeypatch.setattr(deliver_notification, "apply_async", lambda *a, **kw: calls.append(kw))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        row = email_row()
    assert calls == [{"args": [row.pk], "retry": False}]


@pytest.mark.usefixtures("hung_broker")
def test_with_redis_hung_the_callers_commit_succeeds_and_the_row_waits_for_the_sweeper(
    django_capture_on_commit_callbacks, caplog
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.notify(recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", now=NOW)

    assert "waits for the sweeper" in caplog.text
    assert "Timeout" in caplog.text  # the socket timeout ended the wait, not a refused connection
    email = Notification.objects.get(channel=Channel.EMAIL)
    assert email.status == Notification.Status.PENDING
    assert services.notifications_sweep(now=NOW + timedelta(minutes=1)).sent == 1
    assert len(mail.outbox) == 1


@pytest.mark.usefixtures("hung_broker")
def test_healthz_reports_a_hung_broker_and_stays_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "fail"


def test_a_hanging_mail_server_costs_one_timeout_per_sweep_not_one_per_message(settings):
    rows = [email_row(f"k{n}") for n in range(3)]
    with socket.socket() as silent:  # accepts connections (the kernel's backlog), never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent.getsockname()[1]
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 1
        result = services.notifications_sweep(now=NOW)

    assert (result.retried, result.released, result.sent, result.failed) == (1, 2, 0, 0)
    tried, *untried = (Notification.objects.get(pk=row.pk) for row in rows)
    assert (tried.status, tried.attempts) == (Notification.Status.PENDING, 1)
    assert "timed out" in tried.last_error
    for row in untried:
        assert (row.status, row.attempts, row.claim_token) == (Notification.Status.PENDING, 0, None)
        assert row.next_attempt_at == NOW + timedelta(seconds=60)
    # When the server answers again, everything goes out.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.notifications_sweep(now=NOW + timedelta(minutes=1)).sent == 3
