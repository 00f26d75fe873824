"""Project-wide test fixtures."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run there unless told it is safe (it is: one thread per test).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _staff_verified_client():
    from django.test import Client

    from staffauth.testing import mark_client_verified

    class StaffVerifiedClient(Client):
        def force_login(self, user, backend=None):
            super().force_login(user, backend)
            if user.is_staff:
                mark_client_verified(self, user)

    return StaffVerifiedClient()


@pytest.fixture
def client():
    """Django's test client, where `force_login(staff)` also passes the second factor (staffauth), so
    tests of staff pages need not type a code. The second factor's own tests use `unverified_client`."""
    return _staff_verified_client()


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's admin_client, past the second factor like `client`."""
    client = _staff_verified_client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def unverified_client():
    """A plain test client: a force-logged-in staff member still has to pass the second factor."""
    from django.test import Client

    return Client()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _process_local_cache(settings):
    # Rate limits count in the cache, and tests clear it. With a shared Redis, two
    # xdist workers would clear each other's counters mid-test: give each test its own.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"},
    }
    yield
    from django.core.cache import cache, caches

    cache.clear()
    # Rendered fragments (the footer, the menu) hold settings a test may change: none outlives its test.
    caches["fragments"].clear()
    # The rules and the calendar kept by the process (deadlines.tables) are the rolled-back test's:
    # a request within a second of the last one would serve them without asking the (cleared) cache.
    from deadlines import tables

    tables.forget()


@pytest.fixture(autouse=True)
def _default_language():
    # A request in English leaves English active in the thread (LocaleMiddleware
    # does not reset it); every test starts from the portal's default, Russian.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _generous_filing_rates(settings):
    # Tests file dozens of appeals at one fixed moment; the limits' own tests set them low.
    settings.APPEALS_FILING_RATE_USER = "1000/h"
    settings.APPEALS_FILING_RATE_ORGANISATION = "1000/h"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests hash hundreds of passwords. Production's
    # hasher order is checked against portal.settings itself in portal/tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium: Playwright cannot download its own browser here."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install it (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ru-RU", "timezone_id": "Europe/Moscow"}


@pytest.fixture
def seeded_database(transactional_db):
    """The data migrations' rows (deadline rules, calendar, pages, consent text, staff groups)
    for a transactional test, even after an earlier transactional test flushed them.

    Django restores the migrated data before each `serialized_rollback` test from an attribute of the
    connection object; in a full run, after another Playwright test, that attribute can be gone and the
    test starts from an empty database. Then replay the project's data migrations, each with the
    historical models of its place in the migration graph.
    """
    from django.apps import apps
    from django.conf import settings
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.operations.special import RunPython

    from deadlines.models import DeadlineRule

    if DeadlineRule.objects.exists():
        return
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    project_apps = {
        app.label
        for app in apps.get_app_configs()
        if str(app.path).startswith(str(settings.BASE_DIR)) and ".venv" not in str(app.path)
    }
    with connection.schema_editor() as editor:
        for migration, _backwards in plan:
            operations = [op for op in migration.operations if isinstance(op, RunPython)]
            if migration.app_label not in project_apps or not operations:
                continue
            state = executor.loader.project_state((migration.app_label, migration.name), at_end=False)
            # Each RunPython sees the models as the operations before it in its migration left them
            # (a data step after an AddField reads the new column).
            for operation in migration.operations:
                if isinstance(operation, RunPython):
                    operation.code(state.apps, editor)
                else:
                    operation.state_forwards(migration.app_label, state)
