import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache(settings, tmp_path):
    """Files under the test's own folder; no rate-limit counter or cached copy carried from another test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()
