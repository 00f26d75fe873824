import pytest
from django.db import transaction

from accounts.tests.factories import UserFactory
from notifications import services
from notifications.models import Channel, Notification, NotificationPreference
from notifications.services import Address
from notifications.tests.conftest import NOW

pytestmark = pytest.mark.django_db

CONTEXT = {"number": "2026-000042", "title": "Счёт <за март>", "due": "10.04.2026"}


def test_notify_writes_an_email_and_an_inbox_message_rendered_at_write_time():
    user = UserFactory(first_name="Анна")

    rows = services.notify(recipient=user, event="test.hello", context=CONTEXT, dedup_key="case:42:hello", now=NOW)

    by_channel = {row.channel: row for row in rows}
    assert set(by_channel) == {Channel.EMAIL, Channel.INAPP}
    email, inbox = by_channel[Channel.EMAIL], by_channel[Channel.INAPP]
    assert email.status == Notification.Status.PENDING
    assert email.to_email == user.email
    assert email.subject == "Привет по делу 2026-000042"
    # Plain text is not HTML-escaped; the HTML part is, and carries the brand.
    assert "Счёт <за март>" in email.body_text
    assert "Здравствуйте, Анна!" in email.body_text
    assert "АО «Тестэнергосбыт»" in email.body_text
    assert "Счёт &lt;за март&gt;" in email.body_html
    assert "АО «Тестэнергосбыт»" in email.body_html
    assert "https://lk.example.ru/notifications/preferences/" in email.body_html
    assert email.message_id.endswith("@lk.example.ru>")
    assert email.next_attempt_at == NOW
    # The inbox row is the delivered message itself.
    assert inbox.status == Notification.Status.SENT
    assert inbox.read_at is None
    assert inbox.body_text.startswith("Ваше дело 2026-000042 & «Счёт <за март>» принято.")


def test_the_same_dedup_key_writes_nothing_the_second_time():
    user = UserFactory()
    first = services.notify(recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", now=NOW)
    second = services.notify(recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", now=NOW)

    assert len(first) == 2
    assert second == []
    assert Notification.objects.count() == 2


def test_a_key_written_for_one_channel_keeps_it_and_the_other_channel_is_written():
    user = UserFactory()
    (inbox,) = services.notify(recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", now=NOW,
                               channels=[Channel.INAPP])
    assert services.notify(recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", now=NOW,
                           channels=[Channel.INAPP]) == []

    rows = services.notify(recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", now=NOW)

    assert [row.channel for row in rows] == [Channel.EMAIL]
    assert rows[0].pk == Notification.objects.get(channel=Channel.EMAIL).pk
    assert Notification.objects.get(channel=Channel.INAPP).pk == inbox.pk
    # The caller's transaction goes on: the conflict was skipped by the insert itself, not by an error.
    assert Notification.objects.filter(recipient=user).count() == 2


def test_rows_vanish_with_the_callers_rolled_back_transaction():
    user = UserFactory()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        services.notify(recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", now=NOW)
        raise Boom

    assert not Notification.objects.exists()


def test_a_switched_off_channel_is_skipped_but_an_opted_in_sms_is_written():
    user = UserFactory(phone="+79161234567")
    services.preferences_save(
        user=user, choices={("test.hello", Channel.EMAIL): False, ("test.hello", Channel.SMS): True}, language="ru"
    )

    rows = services.notify(recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", now=NOW)

    assert sorted(row.channel for row in rows) == [Channel.INAPP, Channel.SMS]
    sms = next(row for row in rows if row.channel == Channel.SMS)
    assert sms.to_phone == "+79161234567"
    assert sms.body_text == "Дело 2026-000042: принято"


def test_sms_needs_a_phone_even_when_chosen():
    user = UserFactory(phone="")
    services.preferences_save(user=user, choices={("test.hello", Channel.SMS): True}, language="ru")

    rows = services.notify(recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", now=NOW)

    assert Channel.SMS not in {row.channel for row in rows}


def test_legally_required_messages_cannot_be_switched_off():
    user = UserFactory()
    # Saving through the service ignores the switch; a stored row (e.g. from an
    # earlier version of the rules) is overridden as well.
    services.preferences_save(user=user, choices={("test.legal", Channel.EMAIL): False}, language="ru")
    assert not NotificationPreference.objects.exists()
    NotificationPreference.objects.create(user=user, event="test.legal", channel=Channel.EMAIL, enabled=False)

    rows = services.notify(recipient=user, event="test.legal", context=CONTEXT, dedup_key="k1", now=NOW)

    assert {row.channel for row in rows} == {Channel.EMAIL, Channel.INAPP}
    assert all(row.legally_required for row in rows)


def test_the_caller_can_mark_a_single_message_legally_required():
    user = UserFactory()
    services.preferences_save(user=user, choices={("test.hello", Channel.EMAIL): False}, language="ru")

    rows = services.notify(
        recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", legally_required=True, now=NOW
    )

    assert {row.channel for row in rows} == {Channel.EMAIL, Channel.INAPP}


def test_a_visitor_without_an_account_gets_email_only():
    rows = services.notify(
        recipient=Address(email="visitor@example.ru", name="Пётр"),
        event="test.hello",
        context=CONTEXT,
        dedup_key="visitor:1",
        now=NOW,
    )

    assert [(row.channel, row.recipient_id, row.to_email) for row in rows] == [
        (Channel.EMAIL, None, "visitor@example.ru")
    ]
    assert "Здравствуйте, Пётр!" in rows[0].body_text
    # No account, so no preferences page to point to.
    assert "/notifications/preferences/" not in rows[0].body_html


def test_channels_narrow_the_events_channels():
    user = UserFactory()
    rows = services.notify(
        recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", channels=[Channel.INAPP], now=NOW
    )
    assert [row.channel for row in rows] == [Channel.INAPP]


def test_messages_are_written_in_the_recipients_language():
    user = UserFactory()
    services.preferences_save(user=user, choices={}, language="en")

    rows = services.notify(recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", now=NOW)

    assert all(row.language == "en" for row in rows)
    assert "lang=en" in next(row for row in rows if row.channel == Channel.INAPP).body_text


def test_an_inactive_user_gets_only_what_the_law_requires():
    user = UserFactory(is_active=False)
    assert services.notify(recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", now=NOW) == []
    assert len(services.notify(recipient=user, event="test.legal", context=CONTEXT, dedup_key="k2", now=NOW)) == 2


def test_an_unknown_event_is_a_programming_error():
    with pytest.raises(LookupError):
        services.notify(recipient=UserFactory(), event="no.such", context={}, dedup_key="k", now=NOW)


def test_delivery_is_queued_only_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr(services, "enqueue_delivery", queued.extend)
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        rows = services.notify(recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", now=NOW)
        assert queued == []

    assert len(callbacks) == 1
    # Only the email needs a worker; the inbox row is already delivered.
    assert queued == [next(row.pk for row in rows if row.channel == Channel.EMAIL)]


def test_a_key_taken_by_a_concurrent_writer_keeps_its_message_and_the_others_are_written():
    user = UserFactory()
    (existing,) = services.notify(
        recipient=user, event="test.hello", context=CONTEXT, dedup_key="k1", channels=[Channel.EMAIL], now=NOW
    )
    # Rows built before the other transaction committed its email row.
    raced = [
        Notification(recipient=user, channel=Channel.EMAIL, event="test.hello", dedup_key="k1", subject="x",
                     body_text="x", created_at=NOW, next_attempt_at=NOW),
        Notification(recipient=user, channel=Channel.INAPP, event="test.hello", dedup_key="k1", subject="y",
                     body_text="y", created_at=NOW, next_attempt_at=NOW),
    ]

    created = services._insert_new(raced)

    assert [row.channel for row in created] == [Channel.INAPP]
    assert Notification.objects.get(dedup_key="k1", channel=Channel.EMAIL).pk == existing.pk
