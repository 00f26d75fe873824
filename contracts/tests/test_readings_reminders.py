"""The readings' reminder scan: once per person per month, once per meter per verification date."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from contracts.models import Contract
from contracts.reminders import reading_reminders_scan
from contracts.tests.factories import ReadingFactory, meter_of
from notifications.models import Channel, Notification, NotificationPreference, Reminder

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")
OPENED = datetime(2026, 12, 15, 10, 0, tzinfo=MSK)
WINDOW = "contracts.readings_window"
VERIFICATION = "contracts.verification_due"


def inapp(event, user=None):
    rows = Notification.objects.filter(event=event, channel=Channel.INAPP)
    return rows.filter(recipient=user) if user is not None else rows


@pytest.fixture
def resident():
    return UserFactory()


@pytest.fixture
def setup(resident):
    pending = meter_of(resident, serial_number="PENDING-1")
    done = meter_of(resident, serial_number="DONE-1")
    ReadingFactory(meter=done, period=date(2026, 12, 1))
    organisation = OrganisationFactory()
    org_meter = meter_of(organisation=organisation, serial_number="ORG-1")
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    allowed = MembershipFactory(organisation=organisation, may_submit_readings=True).user
    plain = MembershipFactory(organisation=organisation).user
    return {"pending": pending, "org_meter": org_meter, "admin": admin, "allowed": allowed, "plain": plain}


def test_window_reminder_once_per_person_listing_the_meters(resident, setup):
    first = reading_reminders_scan(now=OPENED)
    assert first.sent == {"window": 3}
    body = inapp(WINDOW, resident).get().body_text
    assert "PENDING-1" in body and "DONE-1" not in body
    assert "26.12.2026" in inapp(WINDOW, resident).get().subject
    assert "ORG-1" in inapp(WINDOW, setup["admin"]).get().body_text
    assert inapp(WINDOW, setup["allowed"]).count() == 1
    assert not inapp(WINDOW, setup["plain"]).exists()
    assert Notification.objects.filter(event=WINDOW, channel=Channel.EMAIL).count() == 3

    again = reading_reminders_scan(now=OPENED + timedelta(hours=1))
    also = reading_reminders_scan(now=OPENED + timedelta(days=3))
    assert again.total == 0 and also.total == 0
    assert Notification.objects.filter(event=WINDOW).count() == 6
    assert Reminder.objects.filter(subject="contracts.readings_user", kind="window").count() == 3


def test_preference_off_means_no_reminder(resident, setup):
    for channel in (Channel.EMAIL, Channel.INAPP):
        NotificationPreference.objects.create(user=resident, event=WINDOW, channel=channel, enabled=False)
    reading_reminders_scan(now=OPENED)
    assert not Notification.objects.filter(recipient=resident, event=WINDOW).exists()
    assert inapp(WINDOW, setup["admin"]).count() == 1


def test_nothing_outside_the_window_or_the_hours(setup):
    assert reading_reminders_scan(now=datetime(2026, 12, 14, 12, tzinfo=MSK)).total == 0
    assert reading_reminders_scan(now=datetime(2026, 12, 27, 12, tzinfo=MSK)).total == 0
    assert reading_reminders_scan(now=datetime(2026, 12, 15, 7, tzinfo=MSK)).skipped == "outside sending hours"
    assert not Notification.objects.filter(event=WINDOW).exists()


def test_nobody_reminded_once_everything_is_submitted(resident, setup):
    ReadingFactory(meter=setup["pending"], period=date(2026, 12, 1))
    reading_reminders_scan(now=OPENED)
    assert not inapp(WINDOW, resident).exists()


def test_remote_removed_and_terminated_meters_are_not_reminded():
    user = UserFactory()
    meter_of(user, remote=True)
    meter_of(user, removed_on=date(2026, 1, 1))
    terminated = meter_of(user)
    Contract.objects.filter(pk=terminated.supply_point.contract_id).update(status=Contract.Status.TERMINATED)
    assert reading_reminders_scan(now=OPENED).total == 0


def test_verification_within_60_days_once_per_date(resident):
    meter = meter_of(resident, next_verification_on=date(2027, 1, 30))
    meter_of(resident, next_verification_on=date(2027, 3, 1))  # more than 60 days ahead
    ReadingFactory(meter=meter, period=date(2026, 12, 1))
    now = datetime(2026, 12, 5, 10, tzinfo=MSK)  # outside the window: only the verification reminder
    assert reading_reminders_scan(now=now).sent == {"verification": 1}
    notice = inapp(VERIFICATION, resident).get()
    assert meter.serial_number in notice.subject and "30.01.2027" in notice.subject
    assert reading_reminders_scan(now=now + timedelta(days=1)).total == 0

    meter.next_verification_on = date(2027, 2, 1)  # a new date starts afresh
    meter.save()
    assert reading_reminders_scan(now=now + timedelta(days=2)).sent == {"verification": 1}
    assert inapp(VERIFICATION, resident).count() == 2


def test_the_task_runs_the_scan(setup, monkeypatch):
    from contracts import tasks

    calls = []
    monkeypatch.setattr(tasks, "reading_reminders_scan", lambda: calls.append(1) or type("R", (), {"total": 0})())
    tasks.scan_reading_reminders()
    assert calls == [1]


def test_beat_schedules_the_scan(settings):
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "contracts.tasks.scan_reading_reminders" in entries


def test_customers_find_the_reminders_on_their_preferences_page(client, resident):
    from django.urls import reverse

    client.force_login(resident)
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert "Напоминание: пора передать показания счётчиков" in html
    assert "Напоминание: скоро срок поверки счётчика" in html
