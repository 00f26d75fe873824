"""Notices caused by appeal events: written in the event's transaction, to the right people, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from appeals import services
from appeals.models import Appeal
from appeals.tests.factories import NOW, submit
from notifications.models import Channel, Notification
from notifications.services import notifications_sweep, preferences_save
from notifications.tests.brokers import hung_broker, unreachable_broker  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
S = Appeal.Status


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def notices(event, **filters):
    return list(Notification.objects.filter(event=event, **filters).order_by("channel"))


def test_filing_acknowledges_with_number_and_due_date_by_email_and_in_the_cabinet(customer_a):
    appeal = submit(customer_a)

    rows = notices("appeals.registered", recipient=customer_a)
    assert [row.channel for row in rows] == [Channel.EMAIL, Channel.INAPP]
    assert all(row.legally_required for row in rows)
    email, inbox = rows
    assert email.subject == f"Обращение № {appeal.number} зарегистрировано"
    assert "не позднее 01.04.2026" in email.body_text
    assert inbox.link_url == f"/appeals/{appeal.number}/"
    assert email.link_url.endswith(f"/appeals/{appeal.number}/")

    notifications_sweep(now=NOW)
    assert len(mail.outbox) == 1
    assert appeal.number in mail.outbox[0].subject


def test_the_acknowledgement_cannot_be_switched_off(customer_a):
    preferences_save(user=customer_a, choices={("appeals.registered", Channel.EMAIL): False}, language="ru")
    submit(customer_a)
    assert len(notices("appeals.registered", recipient=customer_a)) == 2


def test_a_visitor_is_acknowledged_at_the_address_they_gave():
    appeal = services.appeal_submit_for_visitor(
        name="Пётр Петров", email="Petr@Example.ru", phone="", subject="Тариф", text="Какой тариф?", now=NOW
    )
    (row,) = notices("appeals.registered")
    assert (row.channel, row.recipient_id, row.to_email) == (Channel.EMAIL, None, "petr@example.ru")
    assert appeal.number in row.subject
    assert "Здравствуйте, Пётр Петров!" in row.body_text
    assert "по номеру обращения" in row.body_text


def test_the_answer_extension_and_redirect_reach_the_customer(customer_a, operator):
    appeal = submit(customer_a)
    services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
    services.appeal_extend(appeal.pk, actor=operator, amount=30, reason="Нужна проверка на месте", now=NOW)
    appeal.refresh_from_db()
    services.appeal_answer(appeal.pk, actor=operator, text="Перерасчёт выполнен.", expected_version=appeal.version,
                           now=NOW)

    (extension_email, _inbox) = notices("appeals.extended", recipient=customer_a)
    appeal.refresh_from_db()
    assert appeal.due_at_before_extension is not None
    new_due = appeal.due_at.astimezone(timezone.get_default_timezone()).strftime("%d.%m.%Y")
    assert extension_email.subject == f"Срок ответа по обращению № {appeal.number} продлён до {new_due}"
    assert "Нужна проверка на месте" in extension_email.body_text
    (answer_email, _answer_inbox) = notices("appeals.answered", recipient=customer_a)
    assert "Перерасчёт выполнен." in answer_email.body_text
    assert answer_email.legally_required

    other = submit(customer_a, subject="Не наш вопрос")
    services.appeal_redirect(other.pk, actor=operator, organisation_name="ПАО «Россети»", sent_on=NOW.date(),
                             now=NOW)
    (redirect_email, _inbox) = notices("appeals.redirected", recipient=customer_a)
    assert "ПАО «Россети»" in redirect_email.subject
    # The answer and the redirect have their own notices; the status change is not repeated.
    assert not Notification.objects.filter(event="appeals.status_changed", subject__contains="дан ответ").exists()


def test_taking_into_work_is_a_quiet_inbox_notice_by_default(customer_a, operator):
    submit(customer_a)
    appeal = Appeal.objects.get()
    services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
    assert [row.channel for row in notices("appeals.status_changed", recipient=customer_a)] == [Channel.INAPP]
    # Taking an appeal oneself needs no "assigned to you" notice.
    assert notices("appeals.assigned") == []


def test_a_request_for_information_and_the_customers_reply(customer_a, operator):
    appeal = submit(customer_a)
    services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
    services.appeal_transition(appeal.pk, to=S.WAITING_FOR_CUSTOMER, actor=operator,
                               comment="Пришлите фото счётчика.", now=NOW)
    (request_email, _inbox) = notices("appeals.info_requested", recipient=customer_a)
    assert "Пришлите фото счётчика." in request_email.body_text

    services.appeal_add_message(appeal.pk, actor=customer_a, text="Фото во вложении.", now=NOW)
    # One notice for the operator about the reply (the automatic return to work adds none).
    assert len(notices("appeals.customer_activity", recipient=operator)) == 2
    assert not notices("appeals.customer_activity", recipient=customer_a)


def test_a_supervisor_assigning_tells_the_operator(customer_a, operator, supervisor):
    appeal = submit(customer_a)
    services.appeal_assign(appeal.pk, assignee=operator, actor=supervisor, now=NOW)
    rows = notices("appeals.assigned", recipient=operator)
    assert [row.channel for row in rows] == [Channel.EMAIL, Channel.INAPP]
    assert rows[1].link_url == f"/admin/appeals/appeal/{appeal.pk}/change/"


def test_an_internal_note_tells_nobody(customer_a, operator):
    appeal = submit(customer_a)
    services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
    before = Notification.objects.count()
    services.appeal_add_message(appeal.pk, actor=operator, text="Проверить показания", internal=True, now=NOW)
    assert Notification.objects.count() == before


def test_a_failed_change_leaves_no_notice(customer_a, operator):
    appeal = submit(customer_a)
    before = Notification.objects.count()
    with pytest.raises(ValidationError):
        services.appeal_transition(appeal.pk, to=S.CLOSED, actor=operator, now=NOW)
    assert Notification.objects.count() == before


@pytest.mark.usefixtures("unreachable_broker")
def test_with_redis_down_filing_succeeds_and_the_acknowledgement_goes_out_later(
    customer_a, django_capture_on_commit_callbacks, caplog
):
    # The wait is bounded by the broker options (notifications/tests/test_faults.py), not timed here.
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(customer_a)
    assert "waits for the sweeper" in caplog.text
    assert Appeal.objects.filter(pk=appeal.pk).exists()
    email = Notification.objects.get(event="appeals.registered", channel=Channel.EMAIL)
    assert email.status == Notification.Status.PENDING

    notifications_sweep(now=NOW + timedelta(minutes=1))
    email.refresh_from_db()
    assert email.status == Notification.Status.SENT
    assert [m.subject for m in mail.outbox] == [email.subject]


def test_a_staff_message_reaches_the_customer(customer_a, operator):
    appeal = submit(customer_a)
    services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
    services.appeal_add_message(appeal.pk, actor=operator, text="Уточняем у сетевой организации.", now=NOW)
    (email, inbox) = notices("appeals.message", recipient=customer_a)
    assert email.subject == f"Новое сообщение по обращению № {appeal.number}"
    assert inbox.link_url == f"/appeals/{appeal.number}/"
    assert notices("appeals.customer_activity") == []


def test_an_organisations_appeal_stops_reaching_a_member_who_left(operator):
    from accounts import services as account_services
    from accounts.models import Membership
    from accounts.tests.factories import MembershipFactory

    admin = MembershipFactory(role=Membership.Role.ADMIN)
    member = MembershipFactory(organisation=admin.organisation)
    appeal = submit(member.user, organisation=admin.organisation)
    assert notices("appeals.registered", recipient=member.user)

    account_services.membership_remove(
        actor=admin.user, organisation_id=admin.organisation_id, membership_id=member.pk
    )
    services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
    appeal.refresh_from_db()
    services.appeal_answer(appeal.pk, actor=operator, text="Ответ организации.", expected_version=appeal.version,
                           now=NOW)

    assert not notices("appeals.answered", recipient=member.user)
    (answer_email, _inbox) = notices("appeals.answered", recipient=admin.user)
    assert "Ответ организации." in answer_email.body_text


@pytest.mark.usefixtures("hung_broker")
def test_with_redis_hung_filing_succeeds_and_the_acknowledgement_waits_for_the_sweeper(
    customer_a, django_capture_on_commit_callbacks, caplog
):
    # The wait is bounded by the broker's socket timeout (2 s, checked in notifications/tests/test_faults.py).
    with django_capture_on_commit_callbacks(execute=True):
        appeal = submit(customer_a)
    assert "waits for the sweeper" in caplog.text
    assert Appeal.objects.filter(pk=appeal.pk).exists()
    email = Notification.objects.get(event="appeals.registered", channel=Channel.EMAIL)
    assert email.status == Notification.Status.PENDING
    notifications_sweep(now=NOW + timedelta(minutes=1))
    email.refresh_from_db()
    assert email.status == Notification.Status.SENT
