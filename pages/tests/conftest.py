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
