"""Services: filing, numbering, deadlines, the transition service and the staff actions."""

import uuid
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from appeals import access, selectors, services
from appeals.models import Appeal, AppealEvent, AppealNumberCounter, Attachment
from appeals.tests.conftest import stored_files
from appeals.tests.factories import NOW, submit, upload

S = Appeal.Status
pytestmark = pytest.mark.django_db


def events(appeal):
    return list(AppealEvent.objects.filter(appeal=appeal).values_list("kind", "from_status", "to_status"))


class TestFiling:
    def test_numbers_are_sequential_within_a_year_and_restart_the_next(self, customer_a):
        first = submit(customer_a)
        second = submit(customer_a)
        next_year = submit(customer_a, now=datetime(2027, 1, 11, 9, 0, tzinfo=UTC))
        assert (first.number, second.number, next_year.number) == ("2026-000001", "2026-000002", "2027-000001")
        assert AppealNumberCounter.objects.get(year=2026).last_value == 2

    def test_the_year_is_the_moscow_one(self, customer_a):
        # 31 December 22:30 UTC is already 1 January in Moscow.
        appeal = submit(customer_a, now=datetime(2026, 12, 31, 22, 30, tzinfo=UTC))
        assert appeal.number == "2027-000001"

    def test_request_is_due_30_calendar_days_after_registration(self, customer_a):
        appeal = submit(customer_a, kind=Appeal.Kind.REQUEST)
        # Registered Monday 2 March 2026 → 1 April 2026 (a Wednesday), end of day in Moscow.
        assert appeal.due_at == datetime(2026, 4, 1, 20, 59, 59, 999999, tzinfo=UTC)
        assert appeal.deadline_rule.code == "appeal.request"
        assert "59-ФЗ" in appeal.deadline_basis

    def test_claim_is_due_10_days_and_billing_complaint_3_working_days(self, customer_a):
        claim = submit(customer_a, kind=Appeal.Kind.CLAIM, topic=Appeal.Topic.BILLING)
        complaint = submit(customer_a, kind=Appeal.Kind.COMPLAINT, topic=Appeal.Topic.BILLING)
        assert claim.due_at.date() == date(2026, 3, 12)
        # Mon 2 March + 3 working days = Thu 5 March.
        assert complaint.due_at.astimezone(UTC).date() == date(2026, 3, 5)
        assert complaint.deadline_rule.topic == "billing"

    def test_filing_records_the_registration_event_and_the_applicant(self, customer_a):
        appeal = submit(customer_a)
        assert appeal.status == S.REGISTERED
        assert appeal.channel == Appeal.Channel.CABINET
        assert appeal.contact_email == customer_a.email
        assert events(appeal) == [("transition", "", "registered")]
        assert appeal.last_activity_at == NOW

    def test_the_same_idempotency_key_files_one_appeal(self, customer_a):
        key = uuid.uuid4()
        first = submit(customer_a, idempotency_key=key)
        again = submit(customer_a, idempotency_key=key)
        assert first.pk == again.pk
        assert Appeal.objects.count() == 1

    def test_the_repeat_of_the_filing_that_reached_the_limit_returns_that_filing(self, customer_a, settings):
        settings.APPEALS_FILING_RATE_USER = "1/h"
        key = uuid.uuid4()
        first = submit(customer_a, idempotency_key=key)
        assert submit(customer_a, idempotency_key=key).pk == first.pk
        with pytest.raises(ValidationError) as refused:
            submit(customer_a)  # a new filing is refused
        assert refused.value.error_list[0].code == "rate_limited"
        assert Appeal.objects.count() == 1

    def test_only_a_member_files_for_an_organisation(self, customer_a):
        organisation = OrganisationFactory()
        with pytest.raises(ValidationError) as refused:
            submit(customer_a, organisation=organisation)
        assert "organisation" in refused.value.error_dict
        MembershipFactory(user=customer_a, organisation=organisation)
        assert submit(customer_a, organisation=organisation).organisation == organisation

    def test_answer_by_post_needs_an_address(self, customer_a):
        with pytest.raises(ValidationError):
            submit(customer_a, answer_channel=Appeal.AnswerChannel.POST, postal_address=" ")
        assert not Appeal.objects.exists()

    def test_files_are_stored_under_random_names_and_removed_if_filing_fails(self, customer_a, media_root):
        appeal = submit(customer_a, files=[upload("Акт сверки.pdf")])
        attachment = appeal.attachments.get()
        assert attachment.original_name == "Акт сверки.pdf"
        assert "Акт" not in attachment.file.name and attachment.file.name.startswith("appeals/2026/03/")
        assert len(stored_files(media_root)) == 1
        broken = mock.patch("appeals.services.common.record_event", side_effect=RuntimeError("database went away"))
        with broken, pytest.raises(RuntimeError):
            submit(customer_a, files=[upload("второй.pdf")])
        assert Appeal.objects.count() == 1
        assert len(stored_files(media_root)) == 1

    def test_visitor_appeal_is_a_request_by_email_found_by_number_and_email(self):
        appeal = services.appeal_submit_for_visitor(
            name="Иванов Иван", email="Ivanov@Example.RU", phone="+79161234567", subject="Тариф",
            text="Какой тариф для дома с электроплитой?", ip_address="203.0.113.7", now=NOW,
        )
        assert (appeal.kind, appeal.channel, appeal.answer_channel) == ("request", "site", "email")
        # The visitor's consent: which text, when and from where (152-ФЗ).
        from accounts.selectors import current_consent_document

        assert appeal.visitor_consent == current_consent_document()
        assert (appeal.registered_at, appeal.submitted_ip) == (NOW, "203.0.113.7")
        assert appeal.author is None and appeal.number == "2026-000001" and appeal.due_at > NOW
        assert selectors.appeal_for_visitor(number=appeal.number, email="IVANOV@example.ru").pk == appeal.pk
        assert selectors.appeal_for_visitor(number=appeal.number, email="other@example.ru") is None
        assert selectors.appeal_for_visitor(number="2026-999999", email="ivanov@example.ru") is None

    def test_the_visitor_status_check_never_shows_a_customers_appeal(self, customer_a):
        appeal = submit(customer_a)
        assert appeal.contact_email == customer_a.email
        assert selectors.appeal_for_visitor(number=appeal.number, email=customer_a.email) is None

    def test_staff_registers_a_letter_with_the_date_it_arrived(self, operator):
        received = datetime(2026, 2, 20, 9, 0, tzinfo=UTC)
        appeal = services.appeal_register_by_staff(
            actor=operator, channel=Appeal.Channel.POST, received_at=received, kind=Appeal.Kind.CLAIM,
            topic=Appeal.Topic.BILLING, subject="Претензия", text="Верните переплату за январь.",
            contact_name="Петров П. П.", postal_address="г. Москва, ул. Ленина, д. 1", now=NOW,
        )
        assert appeal.received_at == received and appeal.registered_at == NOW
        # A claim counts from receipt: 20 February + 10 days = 2 March.
        assert appeal.due_at.astimezone(UTC).date() == date(2026, 3, 2)
        assert appeal.author is None and appeal.channel == "post"

    def test_staff_cannot_register_an_appeal_from_the_future(self, operator):
        with pytest.raises(ValidationError):
            services.appeal_register_by_staff(
                actor=operator, channel="phone", received_at=NOW + timedelta(hours=1), kind="request",
                topic="other", subject="x", text="Вопрос по тарифу.", contact_name="Петров", now=NOW,
                answer_channel="email", contact_email="p@example.ru",
            )


class TestTransitions:
    def test_every_transition_writes_an_event_and_bumps_the_version(self, customer_a, operator):
        appeal = submit(customer_a)
        moved = services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
        assert moved.status == S.IN_PROGRESS and moved.version == appeal.version + 1
        # Taking an unassigned appeal makes you its assignee.
        assert moved.assignee == operator
        assert events(moved)[-2:] == [("transition", "registered", "in_progress"), ("assignment", "", "")]

    def test_illegal_move_is_refused_in_russian_and_changes_nothing(self, customer_a, operator):
        appeal = submit(customer_a)
        with pytest.raises(ValidationError) as refused:
            services.appeal_transition(appeal.pk, to=S.CLOSED, actor=operator, now=NOW)
        assert "Нельзя перевести обращение" in refused.value.messages[0]
        appeal.refresh_from_db()
        assert appeal.status == S.REGISTERED and len(events(appeal)) == 1

    def test_expected_status_guards_against_a_stale_page(self, customer_a, operator):
        appeal = submit(customer_a)
        services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
        with pytest.raises(ValidationError) as refused:
            services.appeal_transition(appeal.pk, to=S.REDIRECTED, actor=operator, expected_status=S.REGISTERED)
        assert refused.value.code == "conflict"

    def test_customer_withdraws_before_the_answer_only(self, customer_a, operator):
        appeal = submit(customer_a)
        services.appeal_withdraw(appeal.pk, actor=customer_a, now=NOW)
        appeal.refresh_from_db()
        assert appeal.status == S.WITHDRAWN and appeal.closed_at == NOW
        answered = submit(customer_a)
        services.appeal_answer(answered.pk, actor=operator, text="Ответ", expected_version=answered.version, now=NOW)
        with pytest.raises(ValidationError):
            services.appeal_withdraw(answered.pk, actor=customer_a, now=NOW)

    def test_another_customer_cannot_act(self, customer_a, customer_b):
        appeal = submit(customer_a)
        with pytest.raises(PermissionDenied):
            services.appeal_withdraw(appeal.pk, actor=customer_b, now=NOW)

    def test_operator_cannot_touch_a_colleagues_appeal_but_a_supervisor_can(
        self, customer_a, operator, operator2, supervisor
    ):
        appeal = submit(customer_a)
        services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
        with pytest.raises(PermissionDenied):
            services.appeal_transition(appeal.pk, to=S.WAITING_FOR_CUSTOMER, actor=operator2, comment="?")
        services.appeal_assign(appeal.pk, assignee=operator2, actor=supervisor, now=NOW)
        assert Appeal.objects.get(pk=appeal.pk).assignee == operator2

    def test_operator_may_only_assign_to_themselves(self, customer_a, operator, operator2):
        appeal = submit(customer_a)
        with pytest.raises(ValidationError):
            services.appeal_assign(appeal.pk, assignee=operator2, actor=operator, now=NOW)
        services.appeal_assign(appeal.pk, assignee=operator, actor=operator, now=NOW)
        assert events(Appeal.objects.get(pk=appeal.pk))[-1][0] == "assignment"

    def test_an_operator_who_is_the_customer_does_not_take_a_colleagues_appeal(self, operator, operator2):
        """Being a member of the customer organisation gives the customer's rights, not an operator's."""
        organisation = OrganisationFactory()
        MembershipFactory(user=operator, organisation=organisation)
        appeal = submit(operator, organisation=organisation)
        services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator2, now=NOW)
        with pytest.raises(PermissionDenied):
            services.appeal_assign(appeal.pk, assignee=operator, actor=operator, now=NOW)
        assert Appeal.objects.get(pk=appeal.pk).assignee == operator2

    def test_waiting_for_customer_then_their_reply_returns_it_to_work(self, customer_a, operator):
        appeal = submit(customer_a)
        services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=NOW)
        with pytest.raises(ValidationError):
            services.appeal_transition(appeal.pk, to=S.WAITING_FOR_CUSTOMER, actor=operator, comment="")
        services.appeal_transition(appeal.pk, to=S.WAITING_FOR_CUSTOMER, actor=operator,
                                   comment="Пришлите фото счётчика.", now=NOW)
        services.appeal_add_message(appeal.pk, actor=customer_a, text="Фото прилагаю.",
                                    now=NOW)
        appeal.refresh_from_db()
        assert appeal.status == S.IN_PROGRESS
        assert events(appeal)[-2:] == [("message", "", ""), ("transition", "waiting_for_customer", "in_progress")]

    def test_customer_writes_to_an_open_appeal_but_not_to_a_closed_one(self, customer_a):
        # Issue 10: a customer may add a message at any time while the appeal is open; it changes no status.
        appeal = submit(customer_a)
        services.appeal_add_message(appeal.pk, actor=customer_a, text="Ну что там?", now=NOW)
        appeal.refresh_from_db()
        assert appeal.status == S.REGISTERED
        services.appeal_withdraw(appeal.pk, actor=customer_a, now=NOW)
        with pytest.raises(ValidationError):
            services.appeal_add_message(appeal.pk, actor=customer_a, text="А теперь?", now=NOW)

    def test_internal_notes_never_reach_the_customer(self, customer_a, operator):
        appeal = submit(customer_a)
        services.appeal_add_message(appeal.pk, actor=operator, text="Проверить показания", internal=True, now=NOW)
        page = selectors.appeal_page_for_customer(customer_a, appeal.number)
        assert page.messages == []
        assert all(e.kind != "note" for e in page.events)


class TestDeadlines:
    def test_extension_once_within_the_rule_limit_with_an_event(self, customer_a, operator):
        appeal = submit(customer_a)
        before = appeal.due_at
        with pytest.raises(ValidationError):
            services.appeal_extend(appeal.pk, actor=operator, amount=31, reason="Запрос в сетевую", now=NOW)
        with pytest.raises(ValidationError):
            services.appeal_extend(appeal.pk, actor=operator, amount=10, reason=" ", now=NOW)
        extended = services.appeal_extend(appeal.pk, actor=operator, amount=30, reason="Запрос в сетевую", now=NOW)
        assert extended.due_at_before_extension == before and extended.due_at > before
        assert extended.extension_reason == "Запрос в сетевую"
        assert events(extended)[-1] == ("extension", "", "")
        with pytest.raises(ValidationError) as refused:
            services.appeal_extend(appeal.pk, actor=operator, amount=1, reason="Ещё", now=NOW)
        assert "только один раз" in refused.value.messages[0]

    def test_a_claim_cannot_be_extended(self, customer_a, operator):
        appeal = submit(customer_a, kind=Appeal.Kind.CLAIM)
        with pytest.raises(ValidationError):
            services.appeal_extend(appeal.pk, actor=operator, amount=1, reason="Нужно время", now=NOW)

    def test_redirect_closes_it_for_the_portal_with_a_notice(self, customer_a, operator):
        appeal = submit(customer_a, topic=Appeal.Topic.CONNECTION)
        services.appeal_redirect(appeal.pk, actor=operator, organisation_name="ПАО «Россети Московский регион»",
                                 sent_on=date(2026, 3, 2), now=NOW)
        appeal.refresh_from_db()
        assert appeal.status == S.REDIRECTED and not appeal.is_open
        assert appeal.redirected_to.startswith("ПАО") and appeal.closed_at == NOW
        page = selectors.appeal_page_for_customer(customer_a, appeal.number)
        assert any(e.kind == "redirect" and "Россети" in e.comment for e in page.events)

    def test_redirect_date_cannot_be_in_the_future(self, customer_a, operator):
        appeal = submit(customer_a)
        with pytest.raises(ValidationError):
            services.appeal_redirect(appeal.pk, actor=operator, organisation_name="ГЖИ", sent_on=date(2026, 3, 3),
                                     now=NOW)


class TestAnswerRateReopen:
    def test_answer_with_a_pdf_letter(self, customer_a, operator):
        appeal = submit(customer_a)
        answered = services.appeal_answer(appeal.pk, actor=operator, text="Перерасчёт выполнен.",
                                          letter=upload("ответ.pdf"), expected_version=appeal.version, now=NOW)
        assert answered.status == S.ANSWERED and answered.answered_by == operator
        assert answered.attachments.get().purpose == Attachment.Purpose.ANSWER_LETTER
        kinds = [k for k, _f, _t in events(answered)]
        assert kinds[-2:] == ["transition", "answer"]

    def test_answer_letter_must_be_a_pdf(self, customer_a, operator, media_root):
        appeal = submit(customer_a)
        from appeals.tests.factories import PNG_BYTES

        with pytest.raises(ValidationError):
            services.appeal_answer(appeal.pk, actor=operator, text="Ответ", letter=upload("a.png", PNG_BYTES),
                                   expected_version=appeal.version, now=NOW)
        assert Appeal.objects.get(pk=appeal.pk).status == S.REGISTERED
        assert stored_files(media_root) == []

    def test_a_stale_version_is_a_conflict_and_stores_nothing(self, customer_a, operator, operator2):
        appeal = submit(customer_a)
        services.appeal_answer(appeal.pk, actor=operator, text="Первый", expected_version=appeal.version, now=NOW)
        with pytest.raises(ValidationError) as refused:
            services.appeal_answer(appeal.pk, actor=operator2, text="Второй", expected_version=appeal.version)
        assert refused.value.code == "conflict"
        assert "другой сотрудник" in refused.value.messages[0]
        assert Appeal.objects.get(pk=appeal.pk).answer_text == "Первый"

    def test_rate_once_and_reopen_once_within_30_days(self, customer_a, operator):
        appeal = submit(customer_a)
        services.appeal_answer(appeal.pk, actor=operator, text="Ответ", expected_version=appeal.version, now=NOW)
        with pytest.raises(ValidationError):
            services.appeal_rate(appeal.pk, actor=customer_a, rating=6, now=NOW)
        services.appeal_rate(appeal.pk, actor=customer_a, rating=2, comment="Не решено", now=NOW)
        with pytest.raises(ValidationError):
            services.appeal_rate(appeal.pk, actor=customer_a, rating=3, now=NOW)
        later = NOW + timedelta(days=10)
        reopened = services.appeal_reopen(appeal.pk, actor=customer_a, comment="Перерасчёт не сделан", now=later)
        assert reopened.status == S.REOPENED and reopened.reopened_count == 1
        # A new term from the day it was reopened: 12 March + 30 days is Saturday 11 April → Monday 13 April.
        assert reopened.due_at.astimezone(UTC).date() == date(2026, 4, 13)
        services.appeal_transition(appeal.pk, to=S.IN_PROGRESS, actor=operator, now=later)
        fresh = Appeal.objects.get(pk=appeal.pk)
        services.appeal_answer(appeal.pk, actor=operator, text="Сделано", expected_version=fresh.version, now=later)
        services.appeal_rate(appeal.pk, actor=customer_a, rating=5, now=later)
        with pytest.raises(ValidationError) as refused:
            services.appeal_reopen(appeal.pk, actor=customer_a, comment="Ещё раз", now=later)
        assert "один раз" in refused.value.messages[0]

    def test_reopening_after_30_days_is_refused(self, customer_a, operator):
        appeal = submit(customer_a)
        services.appeal_answer(appeal.pk, actor=operator, text="Ответ", expected_version=appeal.version, now=NOW)
        with pytest.raises(ValidationError):
            services.appeal_reopen(appeal.pk, actor=customer_a, comment="Поздно", now=NOW + timedelta(days=31))


def test_organisation_members_all_see_its_appeals_and_outsiders_do_not(customer_a):
    colleague, outsider = UserFactory(), UserFactory()
    organisation = OrganisationFactory()
    MembershipFactory(user=customer_a, organisation=organisation)
    MembershipFactory(user=colleague, organisation=organisation)
    MembershipFactory(user=outsider)
    appeal = submit(customer_a, organisation=organisation)
    assert access.access_appeal_for_customer(colleague, appeal.number) == appeal
    assert not access.appeals_for_customer(outsider).exists()
