"""The staff side: the queue, its filters and search, registration, and the work page's actions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import MembershipFactory, OrganisationFactory
from appeals import services
from appeals.models import Appeal
from appeals.tests.factories import EXE_BYTES, submit, upload

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:appeals_appeal_changelist")


def change_url(appeal):
    return reverse("admin:appeals_appeal_change", args=[appeal.pk])


def numbers(response):
    return {a.number for a in response.context["cl"].result_list}


class TestQueue:
    def test_constant_number_of_queries_whatever_the_volume(self, client, supervisor, customer_a, operator,
                                                            django_assert_num_queries):
        organisation = OrganisationFactory()
        MembershipFactory(user=customer_a, organisation=organisation)
        client.force_login(supervisor)
        submit(customer_a, now=None)
        client.get(QUEUE)
        # 6 = the queue (5: the session, the person, their permissions in one query (accounts.backends),
        # the count and the page; the session is renewed at most once a minute, not saved on every page; the
        # production calendar of the time-left column from the process's copy, deadlines.tables)
        # + the unread count in the admin header.
        with django_assert_num_queries(6) as captured:
            client.get(QUEUE)
        for i in range(60):
            appeal = submit(customer_a, organisation=organisation if i % 2 else None, now=None)
            if i % 3 == 0:
                services.appeal_transition(appeal.pk, to="in_progress", actor=operator)
        with django_assert_num_queries(len(captured.captured_queries)):
            response = client.get(QUEUE)
        assert len(response.context["cl"].result_list) == 50
        body = response.content.decode()
        assert "time-left-" in body and 'style="' not in body.split("<body")[1].split("result_list")[1][:20000]
        with django_assert_num_queries(len(captured.captured_queries)):
            client.get(QUEUE + "?deadline=soon&assigned=none&status=registered")

    def test_operator_sees_own_and_unassigned_supervisor_sees_all(self, client, customer_a, operator, operator2,
                                                                   supervisor):
        free = submit(customer_a, now=None)
        taken = submit(customer_a, now=None)
        services.appeal_transition(taken.pk, to="in_progress", actor=operator2)
        client.force_login(operator)
        assert numbers(client.get(QUEUE)) == {free.number}
        client.force_login(supervisor)
        assert numbers(client.get(QUEUE)) == {free.number, taken.number}
        assert numbers(client.get(QUEUE + "?assigned=none")) == {free.number}
        client.force_login(operator2)
        assert numbers(client.get(QUEUE + "?assigned=mine")) == {taken.number}

    def test_deadline_filters(self, client, customer_a, supervisor):
        now = timezone.now()
        overdue = submit(customer_a, now=now - timedelta(days=60))
        soon = submit(customer_a, kind="complaint", topic="billing", now=now)  # 3 working days
        later = submit(customer_a, now=now)  # 30 days
        client.force_login(supervisor)
        assert numbers(client.get(QUEUE + "?deadline=overdue")) == {overdue.number}
        assert numbers(client.get(QUEUE + "?deadline=soon")) == {soon.number}
        assert later.number in numbers(client.get(QUEUE))
        body = client.get(QUEUE).content.decode()
        assert "time-left-overdue" in body

    def test_search_by_number_name_email_inn_and_text(self, client, customer_a, customer_b, supervisor):
        organisation = OrganisationFactory(inn="7707083893")
        MembershipFactory(user=customer_b, organisation=organisation)
        by_a = submit(customer_a, text="Счётчик Меркурий 230 показывает ерунду", now=None)
        by_org = submit(customer_b, organisation=organisation, now=None)
        client.force_login(supervisor)
        assert numbers(client.get(QUEUE, {"q": by_a.number})) == {by_a.number}
        assert numbers(client.get(QUEUE, {"q": str(int(by_org.number[-6:]))})) == {by_org.number}
        assert numbers(client.get(QUEUE, {"q": customer_a.email.upper()})) == {by_a.number}
        assert numbers(client.get(QUEUE, {"q": "7707083893"})) == {by_org.number}
        assert numbers(client.get(QUEUE, {"q": "Меркурий"})) == {by_a.number}
        assert numbers(client.get(QUEUE, {"q": "Ромашка"})) == {by_org.number}
        assert numbers(client.get(QUEUE, {"q": customer_a.last_name})) >= {by_a.number}

    def test_the_queue_shows_open_appeals_unless_asked_otherwise(self, client, customer_a, supervisor):
        open_one = submit(customer_a, now=None)
        closed = submit(customer_a, now=None)
        services.appeal_withdraw(closed.pk, actor=customer_a)
        client.force_login(supervisor)
        assert numbers(client.get(QUEUE)) == {open_one.number}
        assert numbers(client.get(QUEUE + "?status=all")) == {open_one.number, closed.number}
        assert numbers(client.get(QUEUE + "?status=withdrawn")) == {closed.number}
        assert numbers(client.get(QUEUE + "?status=nonsense")) == set()

    def test_appeals_cannot_be_deleted(self, client, customer_a, supervisor):
        appeal = submit(customer_a, now=None)
        client.force_login(supervisor)
        assert client.get(reverse("admin:appeals_appeal_delete", args=[appeal.pk])).status_code == 403
        assert Appeal.objects.filter(pk=appeal.pk).exists()


class TestRegistration:
    def test_registering_a_letter_for_a_person_without_account(self, client, operator, media_root):
        client.force_login(operator)
        received = timezone.localtime() - timedelta(days=2)
        response = client.post(reverse("admin:appeals_appeal_add"), {
            "channel": "post", "received_at": received.strftime("%Y-%m-%dT%H:%M"), "contact_name": "Сидоров С. С.",
            "kind": "claim", "topic": "billing", "subject": "Претензия", "text": "Верните переплату.",
            "answer_channel": "post", "postal_address": "г. Тверь, ул. Советская, 1", "files": [upload("скан.pdf")],
        })
        appeal = Appeal.objects.get()
        assert response.status_code == 302 and response["Location"] == change_url(appeal)
        assert appeal.channel == "post" and appeal.author is None and appeal.attachments.count() == 1
        assert "позже трёх дней" not in " ".join(m.message for m in response.wsgi_request._messages)
        assert timezone.localtime(appeal.received_at).strftime("%Y-%m-%d %H:%M") == received.strftime("%Y-%m-%d %H:%M")

    def test_late_registration_is_flagged(self, client, operator):
        client.force_login(operator)
        received = timezone.localtime() - timedelta(days=10)
        response = client.post(reverse("admin:appeals_appeal_add"), {
            "channel": "email", "received_at": received.strftime("%Y-%m-%dT%H:%M"), "contact_name": "Орлов",
            "contact_email": "orlov@example.ru", "kind": "request", "topic": "other", "subject": "Вопрос",
            "text": "Когда будет перерасчёт?", "answer_channel": "email",
        }, follow=True)
        assert "позже трёх дней" in response.content.decode()

    def test_registration_errors_stay_on_the_form(self, client, operator, media_root):
        client.force_login(operator)
        future = timezone.localtime() + timedelta(days=1)
        response = client.post(reverse("admin:appeals_appeal_add"), {
            "channel": "cabinet", "received_at": future.strftime("%Y-%m-%dT%H:%M"), "kind": "claim",
            "topic": "billing", "subject": "", "text": "x", "answer_channel": "cabinet",
            "files": [upload("скан.pdf", EXE_BYTES)], "author_email": "nobody@example.ru",
        })
        assert response.status_code == 200
        errors = response.context["form"].errors
        for field in ("channel", "received_at", "subject", "files", "author_email"):
            assert field in errors, field
        assert not Appeal.objects.exists()


class TestWorkPage:
    def test_take_request_details_note_answer(self, client, customer_a, operator):
        appeal = submit(customer_a, now=None)
        client.force_login(operator)
        page = client.get(change_url(appeal))
        assert page.status_code == 200 and appeal.text in page.content.decode()
        assert "не позднее" in page.content.decode()  # the redirect term is shown
        client.post(change_url(appeal), {"action": "transition", "transition-to": "in_progress",
                                         "transition-version": appeal.version})
        appeal.refresh_from_db()
        assert appeal.status == "in_progress" and appeal.assignee == operator
        client.post(change_url(appeal), {"action": "message", "message-text": "Позвонить в сетевую",
                                         "message-internal": "on", "message-version": appeal.version})
        client.post(change_url(appeal), {"action": "extend", "extend-amount": "10",
                                         "extend-reason": "Запрос в сетевую организацию",
                                         "extend-version": appeal.version})
        appeal.refresh_from_db()
        assert appeal.extended_at is not None
        client.post(change_url(appeal), {"action": "draft", "draft-text": "Перерасчёт сделан.",
                                         "draft-version": appeal.version})
        response = client.post(change_url(appeal), {"action": "answer", "answer-version": appeal.version,
                                                     "answer-digest": services.draft_digest("Перерасчёт сделан."),
                                                     "answer-letter": upload("ответ.pdf")})
        assert response.status_code == 302
        appeal.refresh_from_db()
        assert appeal.status == "answered" and appeal.answer_text == "Перерасчёт сделан."
        assert appeal.attachments.filter(purpose="answer_letter").exists()

    def test_a_stale_answer_form_is_a_conflict_with_the_text_kept(self, client, customer_a, operator, supervisor):
        appeal = submit(customer_a, now=None)
        stale_version = appeal.version
        services.appeal_answer(appeal.pk, actor=supervisor, text="Ответ руководителя", expected_version=stale_version)
        client.force_login(operator)
        response = client.post(change_url(appeal), {"action": "draft", "draft-text": "Мой ответ",
                                                     "draft-version": stale_version}, follow=True)
        body = response.content.decode()
        assert "уже взял в работу другой сотрудник" in body and "Мой ответ" in body
        appeal.refresh_from_db()
        assert appeal.answer_text == "Ответ руководителя"

    def test_conflict_message_for_a_supervisor(self, client, customer_a, operator, supervisor):
        appeal = submit(customer_a, now=None)
        stale_version = appeal.version
        services.appeal_answer(appeal.pk, actor=operator, text="Ответ оператора", expected_version=stale_version)
        client.force_login(supervisor)
        response = client.post(change_url(appeal), {"action": "draft", "draft-text": "Мой ответ",
                                                     "draft-version": stale_version})
        body = response.content.decode()
        assert response.status_code == 200
        assert "уже изменил другой сотрудник" in body and "Мой ответ" in body
        appeal.refresh_from_db()
        assert appeal.answer_text == "Ответ оператора"

    def test_illegal_transition_posted_by_hand_is_refused(self, client, customer_a, operator):
        appeal = submit(customer_a, now=None)
        client.force_login(operator)
        response = client.post(change_url(appeal), {"action": "transition", "transition-to": "closed",
                                                    "transition-version": appeal.version})
        assert "Нельзя перевести обращение" in response.content.decode()
        appeal.refresh_from_db()
        assert appeal.status == "registered"

    def test_redirect_and_assignment_by_a_supervisor(self, client, customer_a, operator, supervisor):
        appeal = submit(customer_a, now=None)
        client.force_login(supervisor)
        client.post(change_url(appeal), {"action": "assign", "assign-assignee": operator.pk,
                                         "assign-version": appeal.version})
        appeal.refresh_from_db()
        assert appeal.assignee == operator
        client.post(change_url(appeal), {"action": "redirect", "redirect-organisation_name": "ГЖИ",
                                         "redirect-sent_on": timezone.localdate().isoformat(),
                                         "redirect-version": appeal.version})
        appeal.refresh_from_db()
        assert appeal.status == "redirected" and appeal.redirected_to == "ГЖИ"

    def test_work_page_query_count_does_not_grow_with_the_conversation(self, client, customer_a, operator,
                                                                       django_assert_num_queries):
        appeal = submit(customer_a, now=None)
        client.force_login(operator)
        client.get(change_url(appeal))
        # 13 = the page (12: the appeal with its organisation and contract, then the people it names in a
        # second query; the person's permissions in one query; the deadline rule and its calendar from the
        # process's copy, deadlines.tables) + the staff read of personal data written to audit.PersonalDataRead.
        with django_assert_num_queries(13) as captured:
            client.get(change_url(appeal))
        for i in range(10):
            services.appeal_add_message(appeal.pk, actor=operator, text=f"Заметка {i}", internal=True)
        with django_assert_num_queries(len(captured.captured_queries)):
            client.get(change_url(appeal))
