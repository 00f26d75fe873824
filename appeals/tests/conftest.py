import importlib

import pytest
from django.contrib.auth.models import Permission

from accounts.tests.factories import StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def media_root(settings):
    return settings.MEDIA_ROOT


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _staff_with(*codenames, **kwargs):
    user = StaffFactory(**kwargs)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="appeals", codename__in=codenames))
    return type(user).objects.get(pk=user.pk)  # drop the permission cache


OPERATOR_PERMISSIONS = ("view_appeal", "add_appeal", "change_appeal")


@pytest.fixture
def customer_a(db):
    return UserFactory(email="a@example.ru")


@pytest.fixture
def customer_b(db):
    return UserFactory(email="b@example.ru")


@pytest.fixture
def operator(db):
    return _staff_with(*OPERATOR_PERMISSIONS, email="operator@example.ru")


@pytest.fixture
def operator2(db):
    return _staff_with(*OPERATOR_PERMISSIONS, email="operator2@example.ru")


@pytest.fixture
def supervisor(db):
    return _staff_with(*OPERATOR_PERMISSIONS, "view_all_appeals", email="supervisor@example.ru")


@pytest.fixture
def seeded_deadlines(transactional_db):
    """Transactional tests (threads, live server) flush the database after each test, seeded
    rows included; put the deadline rules and the production calendar back (both seeds are idempotent)."""
    from django.apps import apps

    for name in ("0002_seed_production_calendar", "0003_seed_deadline_rules"):
        importlib.import_module(f"deadlines.migrations.{name}").seed(apps, None)
