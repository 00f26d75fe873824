"""The reminder scan: once per rung, following the due date, on working days in working hours."""

import threading
from datetime import datetime, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from appeals import services
from appeals.models import Appeal
from appeals.reminders import appeal_reminders_scan
from appeals.tests.factories import NOW, submit
from deadlines.arithmetic import working_days_left
from deadlines.models import DeadlineRule
from deadlines.services import calendar_for
from notifications import services as notification_services
from notifications.models import Channel, Notification, Reminder, ReminderPolicy
from notifications.services import notifications_sweep

pytestmark = pytest.mark.django_db
S = Appeal.Status
MSK = ZoneInfo("Europe/Moscow")


def at(day, hour=10, minute=0):
    """A moment in Moscow time, March 2026 unless a full date is given."""
    return datetime(2026, 3, day, hour, minute, tzinfo=MSK) if isinstance(day, int) else datetime.combine(
        day, datetime.min.time().replace(hour=hour, minute=minute), tzinfo=MSK)


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def claim(customer_a, operator):
    """A consumer's claim filed Monday 2 March, due Thursday 12 March; the operator took it into work."""
    appeal = submit(customer_a, kind=Appeal.Kind.CLAIM)
    services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
    appeal.refresh_from_db()
    assert appeal.due_at.astimezone(MSK).date().isoformat() == "2026-03-12"
    return appeal


def deadline_reminders(result):
    """What a scan sent, less the supervisors' morning digest (tested on its own)."""
    return {kind: n for kind, n in result.sent.items() if kind != "digest"}


def reminders_to(user, event="appeals.reminder_due_soon"):
    return list(Notification.objects.filter(recipient=user, event=event).order_by("created_at", "channel"))


def test_three_working_days_before_the_due_date_the_assignee_gets_one_email_and_one_inbox_notice(claim, operator):
    # Friday 6 March: 10, 11, 12 March are the three working days left (9 March is a holiday).
    first = appeal_reminders_scan(now=at(6))
    second = appeal_reminders_scan(now=at(6, 10, 5))

    assert first.sent == {"assignee_3d": 1}
    assert second.total == 0
    rows = reminders_to(operator)
    assert [row.channel for row in rows] == [Channel.EMAIL, Channel.INAPP]
    assert "рабочих дней осталось: 3" in rows[0].subject
    notifications_sweep(now=at(6, 10, 6))
    notifications_sweep(now=at(6, 10, 7))
    assert [m.subject for m in mail.outbox].count(rows[0].subject) == 1


def test_the_ladder_climbs_once_per_rung(claim, operator):
    assert appeal_reminders_scan(now=at(5)).total == 0  # 4 working days left
    assert appeal_reminders_scan(now=at(6)).sent == {"assignee_3d": 1}
    assert appeal_reminders_scan(now=at(10)).total == 0  # 2 left: rung 3 already sent
    assert appeal_reminders_scan(now=at(11)).sent == {"assignee_1d": 1}
    assert appeal_reminders_scan(now=at(12)).total == 0  # due today, assigned: nothing more for the assignee
    assert len(reminders_to(operator)) == 4


def test_a_reminder_missed_over_a_holiday_weekend_goes_out_the_next_working_morning(claim, operator):
    assert appeal_reminders_scan(now=at(6, 21)).skipped == "outside sending hours"  # Friday night
    assert appeal_reminders_scan(now=at(7, 11)).skipped == "day off"  # Saturday
    assert appeal_reminders_scan(now=at(9, 11)).skipped == "day off"  # Monday 9 March, a holiday
    assert appeal_reminders_scan(now=at(10, 8, 59)).skipped == "outside sending hours"
    assert reminders_to(operator) == []

    assert appeal_reminders_scan(now=at(10, 9, 0)).sent == {"assignee_3d": 1}


def test_no_reminder_at_night(claim, operator):
    for hour in (0, 3, 7, 20, 23):
        assert appeal_reminders_scan(now=at(6, hour)).total == 0
    assert not Reminder.objects.exists()


def test_an_extension_moves_the_ladder_to_the_new_date(customer_a, operator):
    appeal = submit(customer_a)  # a request: due 1 April, extendable
    services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
    assert appeal_reminders_scan(now=at(27)).sent == {"assignee_3d": 1}  # 30, 31 March and 1 April left

    services.appeal_extend(appeal.pk, actor=operator, amount=30, reason="Запрос в сетевую организацию",
                           now=at(27, 12))
    appeal.refresh_from_db()
    # The old date's rung 1 (31 March) no longer applies.
    assert appeal_reminders_scan(now=at(31)).total == 0

    calendar = calendar_for(NOW.date(), appeal.due_at.date())
    day = at(31).date()
    while working_days_left(at(day), appeal.due_at, calendar, MSK) > 3 or not calendar.is_working_day(day):
        day += timedelta(days=1)
    result = appeal_reminders_scan(now=at(day))
    assert result.sent == {"assignee_3d": 1}
    new_due = appeal.due_at.astimezone(MSK).strftime("%d.%m.%Y")
    assert new_due in reminders_to(operator)[-1].subject


def test_a_closed_appeal_gets_no_reminder(claim, operator):
    services.appeal_answer(claim.pk, actor=operator, text="Ответ дан.", expected_version=claim.version, now=at(5))
    for day in (6, 11, 12, 13, 16):
        assert appeal_reminders_scan(now=at(day)).total == 0
    assert reminders_to(operator) == []
    assert reminders_to(operator, "appeals.reminder_overdue") == []


def test_due_today_and_unassigned_goes_to_the_supervisors(customer_a, operator, supervisor):
    appeal = submit(customer_a, kind=Appeal.Kind.CLAIM)  # nobody took it

    assert deadline_reminders(appeal_reminders_scan(now=at(11))) == {}
    assert deadline_reminders(appeal_reminders_scan(now=at(12))) == {"unassigned": 1}
    assert deadline_reminders(appeal_reminders_scan(now=at(12, 15))) == {}

    rows = reminders_to(supervisor, "appeals.reminder_unassigned")
    assert [row.channel for row in rows] == [Channel.EMAIL, Channel.INAPP]
    assert appeal.number in rows[0].subject
    assert reminders_to(operator, "appeals.reminder_unassigned") == []


def test_overdue_escalates_to_supervisors_daily_until_answered(claim, operator, supervisor):
    # Friday, the day after the due date.
    assert deadline_reminders(appeal_reminders_scan(now=at(13))) == {"overdue": 1}
    assert deadline_reminders(appeal_reminders_scan(now=at(13, 16))) == {}
    assert appeal_reminders_scan(now=at(14, 12)).skipped == "day off"
    assert deadline_reminders(appeal_reminders_scan(now=at(16))) == {"overdue": 1}
    assert len(reminders_to(supervisor, "appeals.reminder_overdue")) == 4  # two days × email and inbox
    # The assignee hears of it too.
    assert len(reminders_to(operator, "appeals.reminder_overdue")) == 4

    claim.refresh_from_db()
    services.appeal_answer(claim.pk, actor=operator, text="Ответ.", expected_version=claim.version, now=at(16, 11))
    assert deadline_reminders(appeal_reminders_scan(now=at(17))) == {}


def test_the_customer_is_reminded_once_after_waiting_five_days(customer_a, operator):
    appeal = submit(customer_a)
    services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
    services.appeal_transition(appeal.pk, to=S.WAITING_FOR_CUSTOMER, actor=operator,
                               comment="Пришлите копию договора.", now=NOW)

    assert appeal_reminders_scan(now=at(6)).total == 0  # four days
    assert appeal_reminders_scan(now=at(10)).sent == {"customer_waiting": 1}
    assert appeal_reminders_scan(now=at(11)).total == 0

    rows = reminders_to(customer_a, "appeals.reminder_customer")
    assert [row.channel for row in rows] == [Channel.EMAIL, Channel.INAPP]
    assert "Пришлите копию договора." in rows[0].body_text


def test_each_supervisor_gets_one_morning_digest_with_counts(claim, customer_a, supervisor):
    submit(customer_a, kind=Appeal.Kind.CLAIM, subject="Вторая претензия", now=NOW + timedelta(days=1))

    assert appeal_reminders_scan(now=at(13, 7, 55)).total == 0  # before the digest hour
    result = appeal_reminders_scan(now=at(13, 8, 0))
    assert result.sent == {"digest": 1}
    assert appeal_reminders_scan(now=at(13, 8, 5)).sent.get("digest") is None

    (email,) = reminders_to(supervisor, "appeals.digest")
    assert email.channel == Channel.EMAIL
    assert "Просрочено: 1" in email.body_text
    assert "Срок сегодня: 1" in email.body_text
    assert "Всего открытых: 2" in email.body_text
    assert claim.number in email.body_text
    assert f"/admin/appeals/appeal/{claim.pk}/change/" in email.body_html


def test_staff_can_switch_a_rung_off_in_the_admin_settings(claim, operator):
    ReminderPolicy.objects.create(key="appeals.assignee_before_due", enabled=False, values="3,1")
    assert appeal_reminders_scan(now=at(6)).total == 0
    ReminderPolicy.objects.filter(key="appeals.assignee_before_due").update(enabled=True, values="4")
    assert appeal_reminders_scan(now=at(5)).sent == {"assignee_4d": 1}


def test_reminded_appeals_cost_the_scan_no_extra_queries(customer_a, operator, django_assert_num_queries):
    # Policies, calendar, upcoming appeals and their ledger rows, overdue appeals (anti-joined with the
    # ledger), waiting appeals, the supervisors for the digest: a fixed few queries.
    for n in range(3):
        appeal = submit(customer_a, kind=Appeal.Kind.CLAIM, subject=f"Претензия {n}")
        services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
    appeal_reminders_scan(now=at(6))
    with CaptureQueriesContext(connection) as few:
        appeal_reminders_scan(now=at(6, 11))
    for n in range(10):
        appeal = submit(customer_a, kind=Appeal.Kind.CLAIM, subject=f"Ещё {n}")
        services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
    appeal_reminders_scan(now=at(6, 12))
    with django_assert_num_queries(len(few.captured_queries)):
        appeal_reminders_scan(now=at(6, 13))
    assert len(few.captured_queries) <= 9  # with the two reads of planned decisions (due soon, overdue)


@pytest.fixture
def seeded_deadlines():
    """The production calendar and deadline rules, which are migration data.

    Serialized rollback should bring them back after a transactional test
    flushed the database, but not once Playwright has run in this process
    (Django's connections then lose the serialized copy); seed them again.
    """
    if not DeadlineRule.objects.exists():
        for name in ("0002_seed_production_calendar", "0003_seed_deadline_rules"):
            import_module(f"deadlines.migrations.{name}").seed(django_apps, None)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
def test_two_beats_scanning_at_once_send_one_reminder(seeded_deadlines, claim, operator, monkeypatch):
    monkeypatch.setattr(notification_services, "enqueue_delivery", lambda ids: None)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def beat():
        try:
            barrier.wait(timeout=10)
            results.append(appeal_reminders_scan(now=at(6)))
        except Exception as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(r.sent.get("assignee_3d", 0) for r in results) == [0, 1]
    assert len(reminders_to(operator)) == 2  # one email, one inbox notice


def test_a_backlog_drains_over_several_scans(customer_a, operator):
    for n in range(3):
        appeal = submit(customer_a, kind=Appeal.Kind.CLAIM, subject=f"Претензия {n}")
        services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)

    first = appeal_reminders_scan(now=at(6), limit=2)
    second = appeal_reminders_scan(now=at(6, 10, 5), limit=2)
    third = appeal_reminders_scan(now=at(6, 10, 10), limit=2)

    assert (first.planned, first.total) == (3, 2)
    assert (second.planned, second.total) == (1, 1)
    assert third.planned == third.total == 0
    assert len(reminders_to(operator)) == 6
