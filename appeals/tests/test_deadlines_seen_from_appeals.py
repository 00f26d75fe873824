"""Deadline rules seen from filing: a rule switched off never makes a 500 (issue 9); due dates read by unit."""

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
        "text": "Как передать показания?", "consent": "on", "idempotency_key": "6f1c2a0e-0000-4000-8000-000000000001",
    })  # fmt: skip
    assert response.status_code == 302
    rule = Appeal.objects.get().deadline_rule
    assert (rule.code, rule.topic, rule.is_active) == ("appeal.request", "", False)
    assert "no active deadline rule for code='appeal.request'" in caplog.text


def test_an_hour_term_ending_at_23_59_shows_its_time_and_a_day_term_only_its_date(client, customer_a):
    from datetime import UTC, datetime

    # Filed at 21:59 in Moscow: the 2-hour power-quality term runs out at 23:59, and says so.
    hours = submit(customer_a, kind=Appeal.Kind.COMPLAINT, topic=Appeal.Topic.POWER_QUALITY,
                   now=datetime(2026, 3, 2, 18, 59, tzinfo=UTC))
    days = submit(customer_a)
    client.force_login(customer_a)
    list_html = client.get("/appeals/").content.decode()
    assert "02.03.2026 23:59" in list_html
    detail_html = client.get(f"/appeals/{days.number}/").content.decode()
    assert "23:59" not in detail_html.split("data-appeal-due", 1)[1].split("</dd>", 1)[0]
    assert hours.deadline_rule.unit == "hours"
