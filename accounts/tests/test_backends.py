"""The authentication backend (accounts/backends.py): Django's ModelBackend, the person read by a compiled query."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.urls import reverse

from accounts.backends import PATH, UserBackend
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def test_it_reads_the_row_the_orm_reads_in_one_query(django_assert_num_queries):
    user = UserFactory(first_name="Анна", phone="+79161234567")
    with django_assert_num_queries(1):
        found = UserBackend().get_user(user.pk)
    assert found == user
    assert (found.email, found.first_name, found.phone, found.password, found.date_joined) == (
        user.email,
        user.first_name,
        user.phone,
        user.password,
        user.date_joined,
    )
    assert found._state.adding is False
    assert UserBackend().get_user(user.pk + 1000) is None


def test_a_deactivated_person_is_not_brought_back():
    user = UserFactory(is_active=False)
    assert UserBackend().get_user(user.pk) is None


def test_logging_in_uses_this_backend_stored_under_the_path_djangos_own_store_reads(client):
    user = UserFactory()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == PATH
    # What the row holds: ModelBackend, so undoing the switch (settings listing ModelBackend) logs nobody out.
    assert DjangoStore(client.session.session_key)[BACKEND_SESSION_KEY] == MODEL_BACKEND


def test_a_session_stored_under_djangos_model_backend_stays_logged_in(client):
    # Sessions from before the switch name ModelBackend, which settings no longer list.
    user = UserFactory()
    client.force_login(user, backend=MODEL_BACKEND)
    response = client.get(reverse("appeals:list"))
    assert response.status_code == 200
    assert response.wsgi_request.user == user


def test_a_session_of_a_person_since_deactivated_is_logged_out(client):
    user = UserFactory()
    client.force_login(user, backend=MODEL_BACKEND)
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(reverse("appeals:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_session_of_an_unknown_backend_is_logged_out(client):
    user = UserFactory()
    client.force_login(user, backend="somewhere.else.Backend")
    assert client.get(reverse("appeals:list")).status_code == 302
