"""The operator's answer in two steps: a draft kept on the appeal, a preview of what the customer
gets (by the templates that send it), then sending it exactly as previewed."""

import pytest
from django.urls import reverse

from appeals import services
from appeals.models import Appeal
from appeals.tests.factories import EXE_BYTES, submit, upload
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def change_url(appeal):
    return reverse("admin:appeals_appeal_change", args=[appeal.pk])


def preview_url(appeal):
    return reverse("admin:appeals_appeal_answer_preview", args=[appeal.pk])


def save_draft(client, appeal, text, **extra):
    return client.post(change_url(appeal), {"action": "draft", "draft-text": text, "draft-version": appeal.version,
                                            **extra})


def answer_notices(appeal):
    return Notification.objects.filter(event="appeals.answered", dedup_key__startswith="appeals.event:")


def test_saving_a_draft_sends_nothing_and_changes_no_status(client, customer_a, operator):
    appeal = submit(customer_a, now=None)
    client.force_login(operator)
    before = (Notification.objects.count(), appeal.version, appeal.events.count())
    response = save_draft(client, appeal, "Здравствуйте! Перерасчёт сделан.")
    assert response.status_code == 302 and response.url == change_url(appeal)
    appeal.refresh_from_db()
    assert appeal.status == "registered" and appeal.answer_text == "" and appeal.answered_at is None
    assert appeal.answer_draft == "Здравствуйте! Перерасчёт сделан." and appeal.answer_draft_by == operator
    assert (Notification.objects.count(), appeal.version, appeal.events.count()) == before
    # Kept across visits and editable.
    page = client.get(change_url(appeal)).content.decode()
    assert "Перерасчёт сделан." in page and "Черновик сохранён" in page
    save_draft(client, appeal, "Перерасчёт сделан в марте.")
    appeal.refresh_from_db()
    assert appeal.answer_draft == "Перерасчёт сделан в марте." and appeal.status == "registered"
    # The customer sees nothing of it.
    client.force_login(customer_a)
    assert "Перерасчёт сделан" not in client.get(f"/appeals/{appeal.number}/").content.decode()


def test_an_empty_draft_is_refused_with_a_message(client, customer_a, operator):
    appeal = submit(customer_a, now=None)
    client.force_login(operator)
    response = save_draft(client, appeal, "   ")
    assert response.status_code == 200
    assert "Обязательное поле" in response.content.decode() or "Введите текст ответа" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.answer_draft == ""


def test_preview_shows_the_text_as_the_customer_will_see_it(client, customer_a, operator):
    appeal = submit(customer_a, now=None)
    client.force_login(operator)
    response = save_draft(client, appeal, "Здравствуйте, Анна!\nПерерасчёт <b>сделан</b>.", preview="1")
    assert response.status_code == 302 and response.url == preview_url(appeal)
    page = client.get(preview_url(appeal))
    assert page.status_code == 200
    notice = page.context["notice"]
    # The same templates as the notice that will be sent: subject, the greeting once, the text escaped.
    assert notice.subject == f"Ответ на обращение № {appeal.number}"
    assert notice.email_text.count("Здравствуйте") == 1
    assert "Перерасчёт <b>сделан</b>." in notice.email_text
    body = page.content.decode()
    assert "Перерасчёт &lt;b&gt;сделан&lt;/b&gt;." in body  # the page view
    assert "<b>сделан</b>" not in body
    assert "srcdoc=" in body and "Отправить ответ заявителю" in body
    # Previewing sends nothing.
    assert not answer_notices(appeal).exists()
    appeal.refresh_from_db()
    assert appeal.status == "registered"


def test_send_publishes_and_notifies_once(client, customer_a, operator):
    appeal = submit(customer_a, now=None)
    client.force_login(operator)
    save_draft(client, appeal, "Перерасчёт сделан.")
    form = client.get(preview_url(appeal)).context["form"]
    data = {"action": "answer", "answer-version": form.initial["version"], "answer-digest": form.initial["digest"],
            "answer-letter": upload("ответ.pdf")}
    response = client.post(change_url(appeal), data)
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "answered" and appeal.answer_text == "Перерасчёт сделан."
    assert appeal.answer_draft == "" and appeal.answered_by == operator
    assert appeal.attachments.filter(purpose="answer_letter").count() == 1
    sent = list(answer_notices(appeal).values_list("recipient_id", "channel"))
    assert len(sent) == len(set(sent)) >= 1 and {r for r, _c in sent} == {customer_a.pk}
    # A second click on the same form neither answers again nor notifies again.
    data["answer-letter"] = upload("ответ.pdf")
    client.post(change_url(appeal), data)
    assert list(answer_notices(appeal).values_list("recipient_id", "channel")) == sent
    assert appeal.events.filter(kind="answer").count() == 1


def test_a_draft_changed_after_the_preview_is_not_sent(client, customer_a, operator, operator2):
    appeal = submit(customer_a, now=None)
    client.force_login(operator)
    save_draft(client, appeal, "Первый вариант.")
    form = client.get(preview_url(appeal)).context["form"]
    services.appeal_save_answer_draft(appeal.pk, actor=operator, text="Второй вариант.")
    response = client.post(change_url(appeal), {"action": "answer", "answer-version": form.initial["version"],
                                                "answer-digest": form.initial["digest"]})
    assert response.status_code == 200
    assert "Черновик изменили после предпросмотра" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == "registered" and not answer_notices(appeal).exists()


def test_a_letter_that_is_not_a_pdf_is_refused_on_the_preview(client, customer_a, operator):
    appeal = submit(customer_a, now=None)
    client.force_login(operator)
    save_draft(client, appeal, "Ответ.")
    form = client.get(preview_url(appeal)).context["form"]
    response = client.post(change_url(appeal), {
        "action": "answer", "answer-version": form.initial["version"], "answer-digest": form.initial["digest"],
        "answer-letter": upload("ответ.pdf", EXE_BYTES),
    })
    assert response.status_code == 200 and "Отправить ответ заявителю" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == "registered" and appeal.answer_draft == "Ответ."
    assert not appeal.attachments.filter(purpose="answer_letter").exists()


def test_preview_without_a_draft_goes_back_to_the_work_page(client, customer_a, operator):
    appeal = submit(customer_a, now=None)
    client.force_login(operator)
    response = client.get(preview_url(appeal))
    assert response.status_code == 302 and response.url == change_url(appeal)


def test_another_operators_appeal_preview_is_404(client, customer_a, operator, operator2, customer_b):
    appeal = submit(customer_a, now=None)
    services.appeal_transition(appeal.pk, to=Appeal.Status.IN_PROGRESS, actor=operator2)
    services.appeal_save_answer_draft(appeal.pk, actor=operator2, text="Черновик коллеги")
    client.force_login(operator)
    assert client.get(preview_url(appeal)).status_code == 404
    client.force_login(customer_b)
    assert client.get(preview_url(appeal)).status_code in (302, 404)  # not staff: the admin's login


def test_a_saved_draft_adds_no_query_to_the_work_page(client, customer_a, operator, django_assert_num_queries):
    appeal = submit(customer_a, now=None)
    client.force_login(operator)
    client.get(change_url(appeal))
    # 13 = the page (12: the appeal, then the people it names, among them the draft's author; the calendar
    # from the process's copy, deadlines.tables) + the staff read of personal data (audit.PersonalDataRead).
    with django_assert_num_queries(13) as captured:
        client.get(change_url(appeal))
    services.appeal_save_answer_draft(appeal.pk, actor=operator, text="Черновик")
    with django_assert_num_queries(len(captured.captured_queries)):
        body = client.get(change_url(appeal)).content.decode()
    assert "Черновик сохранён" in body


def test_preview_for_a_person_without_an_account(client, operator):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(operator)
    client.post(reverse("admin:appeals_appeal_add"), {
        "channel": "email", "received_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "contact_name": "Сидоров С. С.", "contact_email": "sidorov@example.ru", "kind": "request",
        "topic": "billing", "subject": "Вопрос", "text": "Когда перерасчёт?", "answer_channel": "email",
    })
    appeal = Appeal.objects.get()
    assert appeal.author is None
    save_draft(client, appeal, "Перерасчёт в апреле.")
    page = client.get(preview_url(appeal))
    body = page.content.decode()
    assert page.status_code == 200 and "только письмом" in body and "sidorov@example.ru" in body
    assert "Перерасчёт в апреле." in page.context["notice"].email_text
