"""A new appeal tells the people who distribute work (APPEALS_NEW_APPEAL_NOTIFY_GROUP / _EMAIL)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from accounts.tests.factories import StaffFactory
from appeals import services
from appeals.models import Appeal
from appeals.tests.conftest import OPERATOR_PERMISSIONS, _staff_with
from appeals.tests.factories import NOW, submit
from notifications.models import Channel, Notification
from notifications.services import notifications_sweep, preferences_save

pytestmark = pytest.mark.django_db

EVENT = "appeals.new_appeal"
S = Appeal.Status


@pytest.fixture
def dispatchers(settings):
    settings.APPEALS_NEW_APPEAL_NOTIFY_GROUP = "Распределяющие"
    settings.APPEALS_NEW_APPEAL_NOTIFY_EMAIL = ""
    group = Group.objects.create(name="Распределяющие")
    first = _staff_with(*OPERATOR_PERMISSIONS, email="dispatch1@example.ru")
    second = _staff_with(*OPERATOR_PERMISSIONS, email="dispatch2@example.ru")
    group.user_set.add(first, second)
    return first, second


def test_filing_tells_the_group_in_the_inbox_and_by_email_with_the_admin_link(customer_a, dispatchers):
    first, second = dispatchers
    appeal = submit(customer_a)

    for person in (first, second):
        rows = list(Notification.objects.filter(event=EVENT, recipient=person).order_by("channel"))
        assert [row.channel for row in rows] == [Channel.EMAIL, Channel.INAPP]
        email, inbox = rows
        assert inbox.link_url == f"/admin/appeals/appeal/{appeal.pk}/change/"
        assert email.link_url.endswith(f"/admin/appeals/appeal/{appeal.pk}/change/")
        assert f"Новое обращение № {appeal.number}" in email.subject
        assert "Исполнитель не назначен" in email.body_text
        assert appeal.subject in inbox.body_text
    # The customer is not told about the staff notice, and hears only the acknowledgement.
    assert not Notification.objects.filter(event=EVENT, recipient=customer_a).exists()

    notifications_sweep(now=NOW + timedelta(minutes=1))
    assert {m.to[0] for m in mail.outbox if appeal.number in m.subject and "Новое" in m.subject} == {
        "dispatch1@example.ru",
        "dispatch2@example.ru",
    }


def test_a_visitors_appeal_tells_them_too(dispatchers):
    appeal = services.appeal_submit_for_visitor(
        name="Пётр Петров", email="petr@example.ru", phone="", subject="Тариф", text="Какой тариф?", now=NOW
    )
    rows = Notification.objects.filter(event=EVENT, channel=Channel.INAPP)
    assert rows.count() == 2
    assert "Пётр Петров" in rows.first().body_text
    assert appeal.number in rows.first().subject


def test_each_persons_preferences_apply(customer_a, dispatchers):
    first, _second = dispatchers
    preferences_save(user=first, choices={(EVENT, Channel.EMAIL): False}, language="ru")
    submit(customer_a)
    assert list(Notification.objects.filter(event=EVENT, recipient=first).values_list("channel", flat=True)) == [
        Channel.INAPP
    ]


def test_inactive_and_non_staff_members_of_the_group_are_not_told(customer_a, dispatchers):
    first, second = dispatchers
    second.is_active = False
    second.save()
    outsider = StaffFactory(is_staff=False)
    Group.objects.get(name="Распределяющие").user_set.add(outsider)
    submit(customer_a)
    assert set(Notification.objects.filter(event=EVENT).values_list("recipient_id", flat=True)) == {first.pk}


def test_a_shared_address_gets_an_email(customer_a, settings):
    settings.APPEALS_NEW_APPEAL_NOTIFY_GROUP = ""
    settings.APPEALS_NEW_APPEAL_NOTIFY_EMAIL = "dispatch@example.ru"
    appeal = submit(customer_a)
    (row,) = Notification.objects.filter(event=EVENT)
    assert (row.channel, row.recipient_id, row.to_email) == (Channel.EMAIL, None, "dispatch@example.ru")
    assert row.link_url.endswith(f"/admin/appeals/appeal/{appeal.pk}/change/")
    assert f"/admin/appeals/appeal/{appeal.pk}/change/" in row.body_text


def test_nobody_is_told_when_both_settings_are_empty(customer_a, dispatchers, settings):
    settings.APPEALS_NEW_APPEAL_NOTIFY_GROUP = ""
    submit(customer_a)
    assert not Notification.objects.filter(event=EVENT).exists()


def test_only_a_new_appeal_tells_them(customer_a, operator, dispatchers):
    appeal = submit(customer_a)
    before = Notification.objects.filter(event=EVENT).count()
    services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
    services.appeal_transition(appeal.pk, to=S.WAITING_FOR_CUSTOMER, actor=operator, comment="Фото?", now=NOW)
    services.appeal_add_message(appeal.pk, actor=customer_a, text="Фото во вложении.", now=NOW)
    assert Notification.objects.filter(event=EVENT).count() == before
