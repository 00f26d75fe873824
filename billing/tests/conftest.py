import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _development_provider(settings):
    settings.PAYMENTS_PROVIDER = "billing.payments.development.DevelopmentProvider"
