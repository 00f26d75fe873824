"""The authentication backend (accounts/backends.py): Django's ModelBackend, the person read by a compiled query."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.urls import reverse

from accounts.backends import PATH, UserBackend
from accounts.models import User
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


def _djangos_permissions(user):
    return ModelBackend().get_all_permissions(User.objects.get(pk=user.pk))


def test_permissions_granted_to_the_person_and_to_their_groups_are_djangos_in_one_query(django_assert_num_queries):
    user = UserFactory(is_staff=True)
    appeals = Group.objects.create(name="Проверка прав")
    appeals.permissions.add(*Permission.objects.filter(codename__in=["view_appeal", "change_appeal"]))
    Group.objects.create(name="Чужая группа").permissions.add(Permission.objects.get(codename="delete_appeal"))
    user.groups.add(appeals)
    user.user_permissions.add(Permission.objects.get(codename="view_contract"),
                              Permission.objects.get(codename="change_appeal"))  # also through the group
    fresh = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        permissions = UserBackend().get_all_permissions(fresh)
        assert fresh.has_perm("appeals.change_appeal") and fresh.has_module_perms("contracts")
    assert permissions == _djangos_permissions(user) == {
        "appeals.view_appeal", "appeals.change_appeal", "contracts.view_contract",
    }
    assert not fresh.has_perm("appeals.delete_appeal")


def test_a_person_without_permissions_has_none_and_a_superuser_has_all():
    nobody = UserFactory()
    assert UserBackend().get_all_permissions(User.objects.get(pk=nobody.pk)) == set()
    superuser = UserFactory(is_staff=True, is_superuser=True)
    assert UserBackend().get_all_permissions(User.objects.get(pk=superuser.pk)) == _djangos_permissions(superuser)
    assert len(_djangos_permissions(superuser)) == Permission.objects.count()


def test_a_deactivated_person_and_an_object_get_no_permissions():
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_appeal"))
    user.is_active = False
    assert UserBackend().get_all_permissions(user) == set()
    active = User.objects.get(pk=user.pk)
    assert UserBackend().get_all_permissions(active, obj=object()) == set()
