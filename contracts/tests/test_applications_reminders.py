"""The contract applications' reminder scan: 3 and 1 working days before, overdue daily, never twice,
nothing while the clock is stopped."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory
from contracts.reminders_applications import application_reminders_scan
from contracts.services import application_staff as staff
from contracts.tests.factories_applications import MOSCOW, org_draft, reviewer, submitted
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def at(day, hour=10):
    return datetime.datetime.fromisoformat(f"{day} {hour:02d}:00").replace(tzinfo=MOSCOW)


@pytest.fixture
def setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    membership = MembershipFactory(role=Membership.Role.ADMIN)
    operator = reviewer(email="operator@example.ru")
    supervisor = reviewer(email="supervisor@example.ru")
    supervisor.user_permissions.add(Permission.objects.get(codename="supervise_contractapplication"))
    # Submitted Monday 2 March 2026: due Tuesday 24 March.
    application = submitted(org_draft(membership.user, membership.organisation), membership.user)
    return application, operator, supervisor


def _sent(event):
    return list(Notification.objects.filter(event=event, channel="inapp").values_list("recipient__email", flat=True))


def test_the_ladder_three_and_one_working_days_before_then_overdue_daily(setup):
    application, operator, _supervisor = setup
    staff.application_take(application.pk, actor=operator, now=at("2026-03-03"))
    assert application_reminders_scan(now=at("2026-03-18")).total == 0
    assert application_reminders_scan(now=at("2026-03-19")).sent == {"due_soon": 1}  # 3 working days left
    assert application_reminders_scan(now=at("2026-03-19", 15)).total == 0  # never twice
    assert application_reminders_scan(now=at("2026-03-20")).total == 0  # 2 days left: the same rung
    assert application_reminders_scan(now=at("2026-03-23")).sent == {"due_soon": 1}  # 1 day left
    assert _sent("contracts.application_due_soon") == ["operator@example.ru", "operator@example.ru"]
    assert application_reminders_scan(now=at("2026-03-25")).sent == {"overdue": 1}
    assert application_reminders_scan(now=at("2026-03-25", 16)).total == 0
    assert application_reminders_scan(now=at("2026-03-26")).sent == {"overdue": 1}
    assert sorted(set(_sent("contracts.application_overdue"))) == ["operator@example.ru", "supervisor@example.ru"]


def test_nothing_while_the_clock_is_stopped_nor_on_a_day_off(setup):
    application, operator, _supervisor = setup
    staff.application_request_documents(application.pk, actor=operator, comment="Нужен акт.", now=at("2026-03-03"))
    assert application_reminders_scan(now=at("2026-03-25")).total == 0
    assert application_reminders_scan(now=at("2026-03-28")).skipped == "day off"
    assert application_reminders_scan(now=at("2026-03-25", 23)).skipped == "outside sending hours"
