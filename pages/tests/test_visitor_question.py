"""A visitor without an account asks a question: it becomes an appeal; the status is checked by number and email."""

import uuid

import pytest

from accounts.tests.factories import StaffFactory, UserFactory
from appeals.models import Appeal

pytestmark = pytest.mark.django_db

QUESTION = {
    "name": "Анна Петрова",
    "email": "Anna@Example.ru",
    "phone": "+7 912 345-67-89",
    "topic": "metering",
    "subject": "Не могу передать показания",
    "text": "Счётчик двухзонный, какие цифры передавать?",
    "consent": "on",
}


def ask(client, **overrides):
    return client.post("/contacts/", {**QUESTION, "idempotency_key": str(uuid.uuid4()), **overrides})


def test_question_becomes_a_site_appeal_answered_by_email(client):
    response = ask(client)
    assert response.status_code == 302
    appeal = Appeal.objects.get(subject="Не могу передать показания")
    assert appeal.channel == Appeal.Channel.SITE
    assert appeal.kind == Appeal.Kind.REQUEST
    assert appeal.topic == "metering"
    assert appeal.contact_email == "anna@example.ru"
    assert appeal.answer_channel == Appeal.AnswerChannel.EMAIL
    assert appeal.submitted_ip == "127.0.0.1"
    assert appeal.due_at is not None
    page = client.get(response["Location"]).content.decode()
    assert appeal.number in page


def test_topic_is_preselected_from_the_faq_link(client):
    html = client.get("/contacts/", {"topic": "billing"}).content.decode()
    assert '<option value="billing" selected>' in html
    assert '<option value="other" selected>' in client.get("/contacts/", {"topic": "nonsense"}).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consent": ""}, "consent", "Без согласия на обработку данных"),
        ({"email": "не почта"}, "email", "Введите правильный адрес электронной почты."),
        ({"name": ""}, "name", "Обязательное поле."),
        ({"text": "x" * 5001}, "text", "5000"),
        ({"phone": "звоните"}, "phone", "+7 и 10 цифр"),
        ({"topic": "nonsense"}, "topic", "Выберите корректный вариант"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_is_saved(client, overrides, field, message):
    response = ask(client, **overrides)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not Appeal.objects.exists()


def test_question_form_is_rate_limited_per_address(client, settings):
    settings.PAGES_QUESTION_RATE = "2/h"
    assert ask(client).status_code == 302
    assert ask(client).status_code == 302
    response = ask(client)
    assert response.status_code == 429
    assert "Слишком много вопросов" in response.content.decode()
    assert Appeal.objects.count() == 2
    other_address = client.post("/contacts/", {**QUESTION, "idempotency_key": str(uuid.uuid4())},
                                REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 302


def test_status_check_needs_the_matching_number_and_email(client):
    ask(client)
    appeal = Appeal.objects.get()
    found = client.post("/contacts/status/", {"number": appeal.number, "email": "ANNA@example.ru"})
    html = found.content.decode()
    assert found.status_code == 200
    assert f"Обращение № {appeal.number}" in html and "Зарегистрировано" in html
    assert found["Cache-Control"] == "no-store"
    wrong = client.post("/contacts/status/", {"number": appeal.number, "email": "someone@example.ru"})
    assert "не найдено" in wrong.content.decode() and appeal.subject not in wrong.content.decode()
    bad = client.post("/contacts/status/", {"number": "123", "email": "anna@example.ru"})
    assert bad.status_code == 400 and "Номер выглядит так" in bad.content.decode()


def test_status_check_is_rate_limited(client, settings):
    settings.PAGES_STATUS_CHECK_RATE = "1/h"
    client.post("/contacts/status/", {"number": "2026-000001", "email": "a@example.ru"})
    assert client.post("/contacts/status/", {"number": "2026-000001", "email": "a@example.ru"}).status_code == 429


def test_staff_see_the_question_in_the_appeals_admin_and_customers_do_not(client):
    ask(client)
    appeal = Appeal.objects.get()
    customer = UserFactory()
    client.force_login(customer)
    assert client.get(f"/appeals/{appeal.number}/").status_code == 404
    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    assert appeal.number in client.get("/admin/appeals/appeal/").content.decode()


def test_faq_link_opens_the_appeal_form_with_its_topic_chosen(client):
    from pages.models import FaqTopic

    topic = FaqTopic.objects.get(slug="oplata")
    html = client.get("/faq/").content.decode()
    assert f'href="/appeals/new/?topic={topic.appeal_topic}"' in html
    client.force_login(UserFactory())
    form = client.get(f"/appeals/new/?topic={topic.appeal_topic}").content.decode()
    assert f'<option value="{topic.appeal_topic}" selected>' in form


def test_the_visitors_phone_is_stored_in_e164(client):
    assert ask(client, phone="8 (912) 345-67-89").status_code == 302
    assert Appeal.objects.get().contact_phone == "+79123456789"


def test_a_double_submit_files_one_question_with_one_number(client):
    key = str(uuid.uuid4())
    first = ask(client, idempotency_key=key)
    second = ask(client, idempotency_key=key)
    assert first.status_code == second.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.idempotency_key == uuid.UUID(key)
    page = client.get(second["Location"]).content.decode()
    assert appeal.number in page


@pytest.mark.parametrize("key", ["", "not-a-uuid", "<script>x</script>"])
def test_a_missing_or_malformed_key_says_so_and_gives_a_fresh_one(client, key):
    response = ask(client, idempotency_key=key)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Форма пришла без служебного ключа" in html
    assert not Appeal.objects.exists()
    fresh = response.context["form"]["idempotency_key"].value()
    uuid.UUID(fresh)
    if key:
        assert key not in html
    # The page as sent back submits: the fresh key works.
    assert ask(client, idempotency_key=fresh).status_code == 302
    assert Appeal.objects.count() == 1


def test_a_key_used_for_another_email_is_refused_not_shown(client):
    key = str(uuid.uuid4())
    ask(client, idempotency_key=key)
    response = ask(client, idempotency_key=key, email="someone@example.ru")
    assert response.status_code == 400
    assert "Форма устарела" in response.content.decode()
    assert Appeal.objects.count() == 1
