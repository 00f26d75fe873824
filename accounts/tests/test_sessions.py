"""The session store (accounts/sessions.py): Django's database sessions, read by a query compiled once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_it_is_the_portals_engine():
    assert settings.SESSION_ENGINE == "accounts.sessions"


def test_a_session_saved_by_djangos_store_is_read_and_the_other_way_round():
    # The same table and the same rows: switching the engine either way logs nobody out.
    theirs = DjangoStore()
    theirs["who"] = "Анна"
    theirs.save()
    assert SessionStore(theirs.session_key)["who"] == "Анна"
    ours = SessionStore()
    ours["who"] = "Борис"
    ours.save()
    assert DjangoStore(ours.session_key)["who"] == "Борис"


def test_an_expired_or_unknown_session_is_empty_and_gets_a_new_key(django_assert_num_queries):
    store = SessionStore()
    store["who"] = "Анна"
    store.save()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    with django_assert_num_queries(1):
        assert expired.load() == {}
    assert expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


def test_a_logged_in_page_reads_its_session_in_one_query(client, django_assert_num_queries):
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    store = SessionStore(client.session.session_key)
    with django_assert_num_queries(1):
        assert store.load()["_auth_user_id"]
