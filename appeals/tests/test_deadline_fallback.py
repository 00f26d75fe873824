"""Issue 9: a deadline rule switched off never turns filing into a 500."""

import uuid

import pytest

from appeals.models import Appeal
from appeals.tests.factories import submit
from deadlines.models import DeadlineRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim_rules_off():
    # Past the admin's refusal (a script, SQL): the general rule of the kind is gone.
    DeadlineRule.objects.filter(code="appeal.claim").update(is_active=False)


@pytest.mark.usefixtures("claim_rules_off")
def test_a_customer_files_under_the_general_written_appeal_rule(customer_a, caplog):
    appeal = submit(customer_a, kind=Appeal.Kind.CLAIM)
    assert appeal.deadline_rule.code == "appeal.request"
    assert "no active deadline rule for code='appeal.claim'" in caplog.text


@pytest.mark.usefixtures("claim_rules_off")
def test_the_cabinet_form_files_and_answers_with_the_number(client, customer_a):
    client.force_login(customer_a)
    response = client.post("/appeals/new/", {
        "kind": "claim", "topic": "billing", "subject": "Возврат переплаты",
        "text": "Прошу вернуть переплату за январь на мой счёт.", "answer_channel": "cabinet",
        "postal_address": "", "idempotency_key": str(uuid.uuid4()),
    })  # fmt: skip
    assert response.status_code == 302
    assert Appeal.objects.get().deadline_rule.code == "appeal.request"


def test_a_visitors_question_files_even_with_the_general_rule_itself_off(client, caplog):
    DeadlineRule.objects.filter(code="appeal.request").update(is_active=False)
    response = client.post("/contacts/", {
        "name": "Анна", "email": "anna@example.ru", "phone": "", "topic": "other", "subject": "Вопрос",
        "text": "Как передать показания?", "consent": "on",
    })  # fmt: skip
    assert response.status_code == 302
    rule = Appeal.objects.get().deadline_rule
    assert (rule.code, rule.topic, rule.is_active) == ("appeal.request", "", False)
    assert "no active deadline rule for code='appeal.request'" in caplog.text
