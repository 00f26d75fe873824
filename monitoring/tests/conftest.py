"""A small February 2026, built through the services, whose figures are worked out by hand in test_figures.py."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission

from accounts.tests.factories import StaffFactory, UserFactory
from appeals import access, services
from appeals.models import Appeal
from appeals.tests.factories import submit

OPERATOR_PERMISSIONS = ("view_appeal", "add_appeal", "change_appeal")


def msk(month, day, hour=10, minute=0):
    """A moment in Moscow time (UTC+3)."""
    return datetime(2026, month, day, hour - 3, minute, tzinfo=UTC)


# The dashboard is looked at on Monday 2 March 2026, 10:00; «last month» is February.
NOW = msk(3, 2)
TODAY = date(2026, 3, 2)


def staff_with(*perms, **kwargs):
    user = StaffFactory(**kwargs)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def operator(db):
    return staff_with(*(f"appeals.{p}" for p in OPERATOR_PERMISSIONS), email="operator@example.ru",
                      last_name="Иванова", first_name="Анна")


@pytest.fixture
def operator2(db):
    return staff_with(*(f"appeals.{p}" for p in OPERATOR_PERMISSIONS), email="operator2@example.ru",
                      last_name="Петров", first_name="Олег")


@pytest.fixture
def supervisor(db):
    return staff_with(*(f"appeals.{p}" for p in OPERATOR_PERMISSIONS), "appeals.view_all_appeals",
                      "monitoring.view_dashboard", email="supervisor@example.ru", last_name="Смирнова")


@pytest.fixture
def customer(db):
    return UserFactory(email="customer@example.ru")


def _take(appeal, operator, when):
    services.appeal_assign(appeal.pk, assignee=operator, actor=operator, now=when)
    services.appeal_transition(appeal.pk, to=Appeal.Status.IN_PROGRESS, actor=operator, as_role=access.STAFF,
                               now=when)


def _answer(appeal, operator, when):
    appeal.refresh_from_db()
    return services.appeal_answer(appeal.pk, actor=operator, text="Ответ по существу.", expected_version=appeal.version,
                                  now=when)


def _rate(appeal, customer, when, rating, supply, solved, comment=""):
    return services.appeal_rate(appeal.pk, actor=customer, rating=rating, supply_rating=supply, solved=solved,
                                comment=comment, now=when)


@pytest.fixture
def february(db, customer, operator, operator2):
    """Six appeals (a claim is due 10 calendar days after receipt, a request 30 days after registration):

    - `extended`: a request of 5 January, extended on 20 January by 10 days, answered 10 February —
      after its first term, inside the extended one: on time; first response (the extension) in January;
    - `reopened`: a billing claim of 2 February, answered 3 February, reopened 4 February, answered again
      6 February (on time), rated 2 — not solved, supply 3, «Долго»;
    - `at_deadline`: a billing claim of 9 February, answered exactly at its due moment; rated 5, solved, supply 4;
    - `late`: a metering claim of 10 February, answered 24 February at 10:00 (its term ended with 20 February);
      rated 4, solved, supply 5; a decision on it (check the meter by 25 February) is not done;
    - `open`: a power-quality claim of 16 February, in work, overdue since 26 February;
    - `other`: operator2's claim of 17 February, answered 18 February (for the operator filter).
    """
    claim = Appeal.Kind.CLAIM
    extended = submit(customer, now=msk(1, 5), subject="Справка о задолженности")
    _take(extended, operator, msk(1, 6))
    services.appeal_extend(extended.pk, actor=operator, amount=10, reason="Запрос в сетевую организацию",
                           now=msk(1, 20))
    _answer(extended, operator, msk(2, 10))

    reopened = submit(customer, now=msk(2, 2), kind=claim, topic=Appeal.Topic.BILLING, subject="Двойное начисление")
    _take(reopened, operator, msk(2, 2, 11))
    _answer(reopened, operator, msk(2, 3))
    services.appeal_reopen(reopened.pk, actor=customer, as_role=access.CUSTOMER, comment="Начисление осталось",
                           now=msk(2, 4))
    services.appeal_transition(reopened.pk, to=Appeal.Status.IN_PROGRESS, actor=operator, as_role=access.STAFF,
                               now=msk(2, 4, 12))
    _answer(reopened, operator, msk(2, 6))
    _rate(reopened, customer, msk(2, 6, 12), 2, 3, False, "Долго")

    at_deadline = submit(customer, now=msk(2, 9), kind=claim, topic=Appeal.Topic.BILLING, subject="Пеня")
    _take(at_deadline, operator, msk(2, 9, 11))
    at_deadline.refresh_from_db()
    _answer(at_deadline, operator, at_deadline.due_at)
    _rate(at_deadline, customer, at_deadline.due_at + timedelta(hours=10), 5, 4, True)

    late = submit(customer, now=msk(2, 10), kind=claim, topic=Appeal.Topic.METERING, subject="Счётчик")
    _take(late, operator, msk(2, 10, 11))
    _answer(late, operator, msk(2, 24))
    _rate(late, customer, msk(2, 24, 12), 4, 5, True)
    late.refresh_from_db()
    services.decision_record(late.pk, actor=operator, action="meter_check", description="Проверить счётчик на месте",
                             responsible=operator, due_on=date(2026, 2, 25), now=msk(2, 24, 13))

    open_ = submit(customer, now=msk(2, 16), kind=claim, topic=Appeal.Topic.POWER_QUALITY, subject="Перепады")
    _take(open_, operator, msk(2, 16, 11))

    other = submit(customer, now=msk(2, 17), kind=claim, topic=Appeal.Topic.OTHER, subject="Другое")
    _take(other, operator2, msk(2, 17, 11))
    _answer(other, operator2, msk(2, 18))

    appeals = {"extended": extended, "reopened": reopened, "at_deadline": at_deadline, "late": late,
               "open": open_, "other": other}
    for appeal in appeals.values():
        appeal.refresh_from_db()
    return appeals
