"""The operator's open work is read through an index that leads with the assignee (the partial index on
(assignee, due_at) of open appeals, or the general one),
never by scanning the appeals table, at any volume (issue 11). PostgreSQL only: the plan is its planner's.

Sequential scans are priced out (enable_seqscan = off) so that a handful of test rows answers what
a million would: if a matching index exists, the planner takes it; if none does, the plan still
shows a Seq Scan and the test fails.
"""

import pytest
from django.db import connection, transaction

from appeals import selectors
from appeals.models import Appeal
from appeals.tests.factories import submit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's"),
]


# The indexes that lead with the assignee among open appeals: the partial one (smallest) and the general
# (assignee, status, due_at). Which of the two the planner takes for a handful of rows is its choice.
ASSIGNEE_INDEXES = ("appeal_open_assignee_due", "appeal_assignee_status_due")


def by_assignee_index(text: str) -> bool:
    return any(name in text for name in ASSIGNEE_INDEXES) and "Seq Scan on appeals_appeal" not in text


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("ANALYZE appeals_appeal")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def open_queue(user):
    return selectors.queue_by_status(selectors.staff_queue(user), None, everything="all")


@pytest.fixture
def appeals_of_all_kinds(customer_a, operator, operator2):
    from appeals import services

    for i in range(12):
        appeal = submit(customer_a, now=None)
        if i % 3 == 0:
            services.appeal_transition(appeal.pk, to=Appeal.Status.IN_PROGRESS, actor=operator)
        elif i % 3 == 1:
            services.appeal_transition(appeal.pk, to=Appeal.Status.IN_PROGRESS, actor=operator2)


def test_my_open_appeals_use_the_partial_index(appeals_of_all_kinds, operator):
    mine = selectors.queue_by_assignee(open_queue(operator), "mine", operator).order_by("due_at", "id")[:50]
    text = plan(mine)
    assert by_assignee_index(text), text
    counted = plan(selectors.queue_by_assignee(open_queue(operator), "mine", operator).values("pk"))
    assert by_assignee_index(counted), counted


def test_an_operators_default_queue_and_its_count_scan_no_table(appeals_of_all_kinds, operator):
    # The default view: open appeals assigned to the operator or to nobody, most urgent first.
    page = open_queue(operator).order_by("due_at", "id")[:51]
    text = plan(page)
    assert "Seq Scan on appeals_appeal" not in text, text
    count = open_queue(operator).values("pk")
    text = plan(count)
    assert by_assignee_index(text), text
