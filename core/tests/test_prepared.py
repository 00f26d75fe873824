"""Queries compiled once (`core.prepared`): the same rows as the ORM, one compilation per shape, loud misuse."""

import threading
import zoneinfo
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from accounts.models import Membership, User
from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from core import prepared as prepared_module
from core.prepared import Shape, prepared

pytestmark = pytest.mark.django_db


@prepared
def memberships(*, user_id):
    return Membership.objects.filter(user_id=user_id).select_related("organisation", "user").order_by("id")


@prepared
def emails(*, ids, window):
    start, stop = window
    return User.objects.filter(pk__in=ids).order_by("email").values_list("email", flat=True)[start:stop]


@prepared
def names_and_joined(*, email, staff):
    users = User.objects.filter(email=email)
    if staff is not None:
        users = users.filter(is_staff=staff)
    return users.values_list("first_name", "date_joined")


@prepared
def joined_since(*, since):
    return User.objects.filter(date_joined__gt=since).order_by("date_joined").values_list("email", flat=True)


@prepared
def locked(*, user_id):
    return User.objects.filter(pk=user_id).select_for_update().values_list("pk", flat=True)


def _compilations():
    return mock.patch.object(prepared_module, "_compile", wraps=prepared_module._compile)


def test_rows_are_the_orms_with_their_related_objects(django_assert_num_queries):
    first, second = UserFactory(), UserFactory()
    own = [MembershipFactory(user=first), MembershipFactory(user=first)]
    MembershipFactory(user=second)
    with django_assert_num_queries(1):  # the related objects come with the rows
        rows = memberships(user_id=first.pk)
        assert [(m.pk, m.organisation.name, m.user.email) for m in rows] == [
            (m.pk, m.organisation.name, first.email) for m in own
        ]
    assert rows == list(Membership.objects.filter(user=first).order_by("id"))
    assert rows[0]._state.adding is False and rows[0]._state.db == "default"
    assert [m.user_id for m in memberships(user_id=second.pk)] == [second.pk]
    assert memberships(user_id=0) == []


def test_each_shape_compiles_once_and_then_runs_with_new_values():
    users = [UserFactory(email=f"u{n}@example.ru") for n in range(4)]
    ids = [u.pk for u in users]
    with _compilations() as compile_:
        assert emails(ids=ids[:2], window=Shape((None, None))) == ["u0@example.ru", "u1@example.ru"]
        assert emails(ids=ids[2:], window=Shape((None, None))) == ["u2@example.ru", "u3@example.ru"]
        assert compile_.call_count == 1
        # A list of another length, another slice: other SQL, compiled once each.
        assert emails(ids=ids, window=Shape((1, 3))) == ["u1@example.ru", "u2@example.ru"]
        assert emails(ids=ids[1:], window=Shape((None, None))) == ["u1@example.ru", "u2@example.ru", "u3@example.ru"]
        assert emails(ids=ids[:3], window=Shape((None, None))) == ["u0@example.ru", "u1@example.ru", "u2@example.ru"]
        assert compile_.call_count == 3


def test_an_empty_list_reads_nothing(django_assert_num_queries):
    UserFactory()
    with django_assert_num_queries(0):
        assert emails(ids=(), window=Shape((None, None))) == []


def test_none_and_bools_are_part_of_the_sql_and_values_are_converted():
    UserFactory(email="a@example.ru", first_name="Анна", is_staff=True)
    with _compilations() as compile_:
        [(name, joined)] = names_and_joined(email="a@example.ru", staff=None)
        assert names_and_joined(email="a@example.ru", staff=True) == [(name, joined)]
        assert names_and_joined(email="a@example.ru", staff=False) == []
        assert compile_.call_count == 3
    # The database's value, converted as the ORM converts it (an aware datetime on SQLite too).
    assert name == "Анна" and isinstance(joined, datetime) and joined.tzinfo is not None


def test_an_aware_datetime_is_a_value_adapted_as_the_orm_adapts_it():
    base = timezone.now()
    for days in (3, 2, 1):
        UserFactory(email=f"d{days}@example.ru", date_joined=base - timedelta(days=days))
    moscow = zoneinfo.ZoneInfo("Europe/Moscow")
    with _compilations() as compile_:
        for since in (base - timedelta(days=2, hours=1), (base - timedelta(days=1, hours=1)).astimezone(moscow)):
            assert joined_since(since=since) == list(
                User.objects.filter(date_joined__gt=since).order_by("date_joined").values_list("email", flat=True)
            )
        assert joined_since(since=base) == []
        assert compile_.call_count == 1


# Outside the test's own transaction: autocommit, as in a view.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_lock_outside_a_transaction_is_refused_at_every_call():
    user = UserFactory()
    with transaction.atomic():
        assert locked(user_id=user.pk) == [user.pk]  # compiled here, inside the transaction
    with pytest.raises(TransactionManagementError):
        locked(user_id=user.pk)


def test_the_queryset_itself_for_a_count():
    first = UserFactory()
    MembershipFactory(user=first, organisation=OrganisationFactory())
    assert memberships.queryset(user_id=first.pk).count() == 1
    assert emails.queryset(ids=[first.pk], window=Shape((None, None))).count() == 1


def test_values_the_sql_cannot_carry_as_parameters_are_refused():
    @prepared
    def containing(*, text):
        return User.objects.filter(email__icontains=text)

    with pytest.raises(ImproperlyConfigured, match="parameters of their own"):  # LIKE '%…%' is another value
        containing(text="example")
    with pytest.raises(TypeError, match="only int, str and datetime"):
        memberships(user_id=1.5)
    with pytest.raises(TypeError, match="must be aware"):
        joined_since(since=datetime(2026, 1, 1))  # noqa: DTZ001 (a naive datetime is what is refused)


def test_what_it_does_not_build_is_refused():
    @prepared
    def with_prefetch(*, user_id):
        return User.objects.filter(pk=user_id).prefetch_related("memberships")

    @prepared
    def as_dicts(*, user_id):
        return User.objects.filter(pk=user_id).values("email")

    with pytest.raises(ImproperlyConfigured, match="prefetch_related"):
        with_prefetch(user_id=1)
    with pytest.raises(ImproperlyConfigured, match="values_list"):
        as_dicts(user_id=1)


def test_shapes_kept_are_bounded(monkeypatch):
    monkeypatch.setattr(prepared_module, "MAX_SHAPES", 2)
    user = UserFactory(email="x@example.ru")
    for start in range(5):
        emails(ids=[user.pk], window=Shape((start, None)))
    assert len(emails._local.compiled) == 2
    assert emails(ids=[user.pk], window=Shape((0, None))) == ["x@example.ru"]


def test_each_thread_compiles_for_its_own_connection(django_db_blocker):
    seen = []

    def other_thread():
        with django_db_blocker.unblock():
            try:
                memberships(user_id=0)
                seen.append(id(memberships._local.compiled))
            finally:
                from django.db import connection

                connection.close()

    memberships(user_id=0)
    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen and seen[0] != id(memberships._local.compiled)
