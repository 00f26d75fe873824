"""What staff are told: each notice names the event, never a status that may be out of date by the
time it is read, and links to the appeal's admin page (not the customer's site)."""

from datetime import timedelta

import pytest

from appeals import access, notifying, services
from appeals.models import Appeal, AppealEvent
from appeals.tests.factories import NOW, submit
from notifications.models import Channel, Notification

pytestmark = pytest.mark.django_db
S = Appeal.Status
SITE = "https://lk.example.ru"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFICATIONS_SITE_URL = SITE


def activity_notices(operator):
    rows = Notification.objects.filter(event="appeals.customer_activity", recipient=operator).order_by("id")
    return {row.channel: row for row in rows}


def in_work(customer, operator):
    appeal = submit(customer)
    return services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)


def admin_path(appeal):
    return f"/admin/appeals/appeal/{appeal.pk}/change/"


def assert_points_to_admin(rows, appeal):
    assert rows[Channel.INAPP].link_url == admin_path(appeal)
    assert rows[Channel.EMAIL].link_url == SITE + admin_path(appeal)
    assert SITE + admin_path(appeal) in rows[Channel.EMAIL].body_text
    assert f"/appeals/{appeal.number}/" not in rows[Channel.EMAIL].body_text + rows[Channel.EMAIL].body_html


def assert_names_no_status(rows):
    for row in rows.values():
        text = row.subject + row.body_text
        assert "совершил действие" not in text and "статус" not in text.lower()
        # The statuses an appeal passes through while work goes on: a notice naming one goes stale.
        for status in (S.REGISTERED, S.IN_PROGRESS, S.WAITING_FOR_CUSTOMER):
            assert str(status.label) not in text, status


def test_the_customers_reply_to_a_request_for_information(customer_a, operator):
    appeal = in_work(customer_a, operator)
    services.appeal_transition(appeal.pk, to=S.WAITING_FOR_CUSTOMER, actor=operator, comment="Фото счётчика?",
                               now=NOW)
    services.appeal_add_message(appeal.pk, actor=customer_a, text="Фото во вложении.", now=NOW)
    rows = activity_notices(operator)
    assert rows[Channel.INAPP].subject == f"Обращение № {appeal.number}: заявитель ответил на запрос сведений"
    assert "ответил на запрос сведений по обращению" in rows[Channel.INAPP].body_text
    assert "Срок ответа: 01.04.2026." in rows[Channel.INAPP].body_text
    assert_points_to_admin(rows, appeal)
    assert_names_no_status(rows)


def test_a_customers_message_on_an_appeal_in_work(customer_a, operator):
    appeal = in_work(customer_a, operator)
    # The cabinet's message form on an appeal in work records this event (see appeals.services.messages).
    event = AppealEvent.objects.create(appeal=appeal, kind=AppealEvent.Kind.MESSAGE, actor=customer_a,
                                       created_at=NOW + timedelta(minutes=1))
    notifying.appeal_event_recorded(event, role=access.CUSTOMER)
    rows = activity_notices(operator)
    assert rows[Channel.INAPP].subject == f"Обращение № {appeal.number}: заявитель добавил сообщение"
    assert "добавил сообщение к обращению" in rows[Channel.EMAIL].body_text
    assert_points_to_admin(rows, appeal)
    assert_names_no_status(rows)


def test_withdrawal(customer_a, operator):
    appeal = in_work(customer_a, operator)
    services.appeal_withdraw(appeal.pk, actor=customer_a, as_role=access.CUSTOMER, comment="Вопрос решён.",
                             now=NOW)
    rows = activity_notices(operator)
    assert rows[Channel.INAPP].subject == f"Обращение № {appeal.number} отозвано заявителем"
    body = rows[Channel.INAPP].body_text
    assert "отозвал обращение" in body and "Вопрос решён." in body and "Срок ответа" not in body
    assert_points_to_admin(rows, appeal)
    assert_names_no_status(rows)


def test_reopening_gives_the_new_due_date(customer_a, operator):
    appeal = in_work(customer_a, operator)
    services.appeal_answer(appeal.pk, actor=operator, text="Ответ.", expected_version=None, now=NOW)
    services.appeal_reopen(appeal.pk, actor=customer_a, as_role=access.CUSTOMER, comment="Перерасчёта нет.",
                           now=NOW + timedelta(days=2))
    rows = activity_notices(operator)
    assert rows[Channel.INAPP].subject == f"Обращение № {appeal.number} возобновлено заявителем"
    body = rows[Channel.INAPP].body_text
    appeal.refresh_from_db()
    assert "Перерасчёта нет." in body and f"Новый срок ответа: {notifying.appeal_context(appeal)['due']}." in body
    assert_points_to_admin(rows, appeal)
    assert_names_no_status(rows)


def test_assignment_links_to_the_admin(customer_a, operator, supervisor):
    appeal = submit(customer_a)
    services.appeal_assign(appeal.pk, assignee=operator, actor=supervisor, now=NOW)
    rows = {r.channel: r for r in Notification.objects.filter(event="appeals.assigned", recipient=operator)}
    assert_points_to_admin(rows, appeal)
    assert_names_no_status(rows)
