"""Each process's copy of the rules and the calendar (deadlines.tables): read again whenever they change."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.core.handlers.base import BaseHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deadlines import tables
from deadlines.arithmetic import Term, Unit
from deadlines.models import CalendarDay, CalendarYear, DeadlineRule
from deadlines.services import calendar_for, deadline_for, rule_for
from deadlines.tests.conftest import d
from deadlines.tests.factories import CalendarDayFactory, DeadlineRuleFactory
from deadlines.tests.test_admin import _rule_form

pytestmark = pytest.mark.django_db


def queries(call):
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured.captured_queries)


def generation():
    return cache.get(tables.GENERATION_KEY)


def test_the_copy_is_used_until_another_process_changes_the_tables():
    tables.forget()
    _, first = queries(lambda: rule_for("appeal.request"))
    _, again = queries(lambda: rule_for("appeal.request"))
    assert (first, again) == (3, 0)
    # What a save in another process does: a new token in the shared cache.
    cache.set(tables.GENERATION_KEY, "changed elsewhere", timeout=None)
    _, after = queries(lambda: calendar_for(d("2026-01-01"), d("2026-01-31")))
    assert after == 3


def test_a_lost_token_makes_every_copy_stale():
    tables.forget()
    rule_for("appeal.request")
    cache.delete(tables.GENERATION_KEY)
    _, after = queries(lambda: rule_for("appeal.request"))
    assert after == 3


@pytest.mark.parametrize("change", [
    lambda: DeadlineRule.objects.filter(code="appeal.claim").update(amount=7),
    lambda: DeadlineRule.objects.get(code="appeal.request", topic="").save(),
    lambda: CalendarDayFactory(day=d("2026-07-15"), calendar_year=CalendarYear.objects.get(year=2026)),
    lambda: CalendarDay.objects.filter(day=d("2026-01-09")).delete(),
    lambda: CalendarDay.objects.bulk_create(
        [CalendarDay(day=d("2026-07-16"), kind="nonworking", calendar_year=CalendarYear.objects.get(year=2026))]),
    lambda: CalendarYear.objects.get(year=2026).save(),
], ids=["rule update()", "rule save()", "day created", "day deleted", "days bulk_create()", "year saved"])
def test_every_change_gives_a_new_token_now_and_on_commit(change, django_capture_on_commit_callbacks):
    before = generation()
    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        change()
    assert generation() != before
    now = generation()
    for callback in on_commit:
        callback()
    assert generation() != now  # processes that read the tables before the commit read them once more


def test_a_transaction_that_changed_the_tables_reads_its_own_rows_and_keeps_none_of_them():
    tables.forget()
    before = rule_for("appeal.claim")
    kept = tables.tables()
    DeadlineRule.objects.filter(code="appeal.claim", topic="").update(amount=before.amount + 5)
    assert rule_for("appeal.claim").amount == before.amount + 5
    assert tables._copy is kept  # nothing uncommitted is kept for the other requests of this process


def test_the_rule_returned_is_the_callers_own():
    rule = rule_for("appeal.request")
    rule.amount = 999
    assert rule_for("appeal.request").amount != 999


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_changing_a_rule_in_the_admin_changes_the_next_filings_term(admin_client):
    """End to end, with real commits: the admin's save reaches the copy the next filing reads."""
    rule = DeadlineRuleFactory(code="appeal.e2e", amount=10)  # committed: this test runs outside a transaction
    tables.forget()
    received = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    before = deadline_for(rule_for("appeal.e2e"), received_at=received, registered_at=received)
    _, cached = queries(lambda: rule_for("appeal.e2e"))
    assert cached == 0

    url = reverse("admin:deadlines_deadlinerule_change", args=[rule.pk])
    assert admin_client.post(url, _rule_form(rule, amount=rule.amount + 10)).status_code == 302

    fresh = rule_for("appeal.e2e")
    assert fresh.term == Term(rule.amount + 10, Unit(rule.unit))
    assert deadline_for(fresh, received_at=received, registered_at=received) > before


def _request(call):
    """`call` as inside a request, with the request signals sent (but the test's connection kept, as the test client
    does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.send(sender=BaseHandler)
    try:
        return call()
    finally:
        request_finished.send(sender=BaseHandler)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_requests_ask_for_the_token_at_most_once_a_second(monkeypatch):
    asked = []
    real = tables._generation
    monkeypatch.setattr(tables, "_generation", lambda: asked.append(1) or real())
    clock = [1000.0]
    monkeypatch.setattr(tables, "_now", lambda: clock[0])
    tables.forget()
    rule_for("appeal.request")  # outside a request (a task, the shell): asked on every use
    rule_for("appeal.request")
    assert len(asked) == 2

    asked.clear()
    # A filing (the rule, then the calendar), then a page: one question between them.
    _request(lambda: (rule_for("appeal.request"), calendar_for(d("2026-01-01"), d("2026-01-31"))))
    clock[0] += 0.5
    _request(lambda: calendar_for(d("2026-01-01"), d("2026-01-31")))
    assert len(asked) == 1
    # Another process changed the tables: this one's requests see it within the second.
    cache.set(tables.GENERATION_KEY, "changed elsewhere", timeout=None)
    clock[0] += 0.6
    _, reads = queries(lambda: _request(lambda: rule_for("appeal.request")))
    assert (len(asked), reads) == (2, 3)
    # A change made in this process: its very next request asks for the token (here, inside the changing
    # transaction, it reads its own rows instead), and sees the change.
    DeadlineRule.objects.filter(code="appeal.claim").update(amount=7)
    assert tables._checked_at == float("-inf")
    rule, reads = queries(lambda: _request(lambda: rule_for("appeal.claim")))
    assert (rule.amount, reads) == (7, 3)
