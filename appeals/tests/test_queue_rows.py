"""`core.admin.result_rows` writes a changelist's rows as Django's `items_for_result` does (the staff queue)."""

import pytest
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.urls import reverse

from accounts.tests.factories import MembershipFactory, OrganisationFactory
from appeals import services
from appeals.models import Appeal
from appeals.tests.factories import submit
from core.admin import result_rows

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:appeals_appeal_changelist")


def djangos_rows(cl):
    return ["".join(items_for_result(cl, result, None)) for result in cl.result_list]


def ours(cl):
    return ["".join(row) for row in result_rows(cl)]


ROMASHKA = "%D0%A0%D0%BE%D0%BC%D0%B0%D1%88%D0%BA%D0%B0"  # «Ромашка», a search by the organisation's name


@pytest.mark.parametrize("query", ["", "?status=all", f"?status=all&o=-2.3&q={ROMASHKA}"])
def test_the_queue_rows_are_djangos_markup(client, customer_a, operator, supervisor, query):
    organisation = OrganisationFactory(name="ООО «Ромашка» & <Партнёры>")
    MembershipFactory(user=customer_a, organisation=organisation)
    submit(customer_a, now=None, subject="<script>alert(1)</script>")
    submit(customer_a, now=None, organisation=organisation)
    hours = submit(customer_a, now=None, kind=Appeal.Kind.COMPLAINT, topic=Appeal.Topic.POWER_QUALITY)
    taken = submit(customer_a, now=None)
    services.appeal_assign(taken.pk, assignee=operator, actor=supervisor)
    answered = submit(customer_a, now=None)
    services.appeal_answer(answered.pk, actor=operator, text="Ответ.", expected_version=None)
    assert hours.deadline_rule.unit == "hours"
    client.force_login(supervisor)
    response = client.get(QUEUE + query)
    assert response.status_code == 200
    cl = response.context["cl"]
    assert cl.result_list
    assert ours(cl) == djangos_rows(cl)
    for row in ours(cl):
        assert row in response.content.decode()


def test_a_column_it_does_not_write_falls_back_to_django(client, customer_a, supervisor, monkeypatch):
    from appeals.admin import AppealAdmin

    submit(customer_a, now=None)
    # A plain model field: Django formats those (dates, numbers, booleans, choices).
    monkeypatch.setattr(AppealAdmin, "list_display", (*AppealAdmin.list_display, "registered_at"))
    client.force_login(supervisor)
    response = client.get(QUEUE)
    cl = response.context["cl"]
    assert ours(cl) == djangos_rows(cl)
    assert 'class="field-registered_at nowrap"' in response.content.decode()


def test_two_link_columns_as_django_writes_them(client, customer_a, supervisor, monkeypatch):
    from appeals.admin import AppealAdmin

    submit(customer_a, now=None)
    monkeypatch.setattr(AppealAdmin, "list_display_links", ("number_label", "status_label"))
    client.force_login(supervisor)
    cl = client.get(QUEUE + "?status=all").context["cl"]
    assert ours(cl) == djangos_rows(cl)
    assert '<td class="field-status_label"><a href=' in ours(cl)[0]
