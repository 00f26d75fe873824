"""The operator's queue: the most urgent appeals first, time left in the rule's own unit,
and the same number of queries however many appeals and rules the page shows."""

import pytest
from django.urls import reverse

from appeals import services
from appeals.models import Appeal
from appeals.tests.factories import submit

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:appeals_appeal_changelist")


def power_quality(customer):
    return submit(customer, now=None, kind=Appeal.Kind.COMPLAINT, topic=Appeal.Topic.POWER_QUALITY)


def test_the_most_urgent_first_with_hours_left_for_an_hour_term(client, customer_a, supervisor):
    written = submit(customer_a, now=None)
    urgent = power_quality(customer_a)
    assert urgent.deadline_rule.unit == "hours"
    client.force_login(supervisor)
    response = client.get(QUEUE)
    rows = response.context["cl"].result_list
    assert [r.number for r in rows] == [urgent.number, written.number]
    assert rows[0].time_left.urgency == "today" and rows[0].time_left.text.endswith(("ч", "мин"))
    assert rows[1].time_left.text.endswith("раб. дн.")
    body = response.content.decode()
    first_cells = body.split('<tbody>')[1].split("</tr>")[0]
    # Time left, then the due moment with its time of day, come before the number.
    assert first_cells.index("data-time-left") < first_cells.index(urgent.number)
    assert "time-left-today" in first_cells


def test_closed_appeals_show_no_time_left(client, customer_a, operator, supervisor):
    appeal = submit(customer_a, now=None)
    services.appeal_answer(appeal.pk, actor=operator, text="Ответ.", expected_version=None)
    client.force_login(supervisor)
    rows = client.get(QUEUE + "?status=all").context["cl"].result_list
    assert rows[0].time_left is None


def test_query_count_stays_constant_with_hour_and_day_terms(client, customer_a, supervisor,
                                                            django_assert_num_queries):
    submit(customer_a, now=None)
    client.force_login(supervisor)
    client.get(QUEUE)
    with django_assert_num_queries(6) as captured:  # the calendar from the process's copy (deadlines.tables)
        client.get(QUEUE)
    for i in range(30):
        power_quality(customer_a) if i % 2 else submit(customer_a, now=None, kind=Appeal.Kind.COMPLAINT,
                                                       topic=Appeal.Topic.BILLING)
    with django_assert_num_queries(len(captured.captured_queries)):
        response = client.get(QUEUE)
    assert len(response.context["cl"].result_list) == 31


def test_the_count_stops_at_the_cap_and_the_page_says_more_than(client, customer_a, supervisor, monkeypatch):
    from core.paginators import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "cap", 3)
    monkeypatch.setattr(admin_site_appeals(), "list_per_page", 2)
    for _ in range(5):
        submit(customer_a, now=None)
    client.force_login(supervisor)
    response = client.get(QUEUE)
    cl = response.context["cl"]
    assert cl.paginator.capped and cl.result_count == 4
    assert "более 3 записей" in response.content.decode()
    # Below the cap the count is exact.
    response = client.get(QUEUE + "?deadline=overdue")
    assert not response.context["cl"].paginator.capped and response.context["cl"].result_count == 0


def test_the_sidebar_offers_no_counters_over_the_whole_queue(client, customer_a, supervisor):
    submit(customer_a, now=None)
    client.force_login(supervisor)
    response = client.get(QUEUE + "?_facets=1")
    assert response.status_code == 200
    assert response.context["cl"].add_facets is False
    assert "Показать счётчики" not in response.content.decode()


def admin_site_appeals():
    from django.contrib import admin

    return admin.site._registry[Appeal]


def test_an_operators_queue_is_counted_in_parts_mine_and_nobodys(client, customer_a, operator, operator2,
                                                                   monkeypatch):
    from core.paginators import CappedCountPaginator

    mine = [submit(customer_a, now=None) for _ in range(2)]
    for appeal in mine:
        services.appeal_transition(appeal.pk, to="in_progress", actor=operator)
    colleagues = submit(customer_a, now=None)
    services.appeal_transition(colleagues.pk, to="in_progress", actor=operator2)
    submit(customer_a, now=None)  # nobody's
    client.force_login(operator)
    cl = client.get(QUEUE).context["cl"]
    assert len(cl.paginator.parts) == 2 and cl.result_count == 3 and not cl.paginator.capped
    # The cap holds across the parts: mine (2) fill most of it, nobody's (1) passes it.
    monkeypatch.setattr(CappedCountPaginator, "cap", 2)
    cl = client.get(QUEUE).context["cl"]
    assert cl.paginator.capped and cl.result_count == 3
