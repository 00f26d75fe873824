import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(db):
    """A content editor: staff with the pages permissions (as the «Редакторы контента» group grants)."""
    from django.contrib.auth.models import Permission

    from accounts.tests.factories import StaffFactory

    user = StaffFactory()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="pages"))
    return user


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # django-ratelimit counts in the cache, which outlives a test.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded_database(transactional_db):
    """Seed data (pages, deadline rules, calendar) for a transactional test, even after an earlier flush.

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

    from pages.models import Page

    if Page.objects.exists():
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
            for operation in operations:
                operation.code(state.apps, editor)
