from datetime import date

import pytest
from django.urls import reverse

from accounts.tests.factories import StaffFactory
from notifications import services
from notifications.models import Reminder, ReminderPolicy
from notifications.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def test_a_reminder_is_recorded_once_per_object_kind_and_date():
    key = {"subject": "test.case", "object_id": 7, "kind": "before_due"}
    assert services.reminder_record(**key, due_on=date(2026, 3, 13), now=NOW) is True
    assert services.reminder_record(**key, due_on=date(2026, 3, 13), now=NOW) is False
    # The due date moved: the ladder starts afresh for the new date.
    assert services.reminder_record(**key, due_on=date(2026, 4, 10), now=NOW) is True
    assert Reminder.objects.count() == 2
    assert services.reminders_recorded(subject="test.case", object_ids=[7, 8], kinds=["before_due"]) == {
        (7, "before_due", date(2026, 3, 13)),
        (7, "before_due", date(2026, 4, 10)),
    }


def test_policies_fall_back_to_declared_defaults_until_staff_change_them():
    assert services.reminder_policies(["test.before_due"]) == {"test.before_due": services.Policy(True, (3, 1))}
    ReminderPolicy.objects.create(key="test.before_due", enabled=False, values="5, 2,1")
    assert services.reminder_policies(["test.before_due"]) == {"test.before_due": services.Policy(False, (5, 2, 1))}


def test_staff_edit_policies_in_the_admin_with_checked_values(client):
    client.force_login(StaffFactory(is_superuser=True))
    changelist = reverse("admin:notifications_reminderpolicy_changelist")
    assert client.get(changelist).status_code == 200
    policy = ReminderPolicy.objects.get(key="test.hours")
    assert (policy.enabled, policy.values) == (True, "9,20")
    url = reverse("admin:notifications_reminderpolicy_change", args=[policy.pk])

    response = client.post(url, {"enabled": "on", "values": "9"})
    assert "Укажите чисел: 2 (через запятую)." in response.content.decode()
    response = client.post(url, {"enabled": "on", "values": "8, 30"})
    assert "Числа должны быть от 0 до 24." in response.content.decode()
    response = client.post(url, {"enabled": "on", "values": "восемь"})
    assert "Укажите целые числа через запятую" in response.content.decode()
    policy.refresh_from_db()
    assert policy.values == "9,20"

    assert client.post(url, {"enabled": "on", "values": " 8 , 21"}).status_code == 302
    policy.refresh_from_db()
    assert policy.values == "8,21"
