from unittest import mock

import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    with mock.patch("portal.health.broker_ok", return_value=True):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_is_unavailable_without_database(client):
    with mock.patch("portal.health.database_ok", return_value=False), mock.patch(
        "portal.health.broker_ok", return_value=False
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "fail"


@pytest.mark.django_db
def test_healthz_stays_up_when_only_the_broker_is_down(client):
    with mock.patch("portal.health.broker_ok", return_value=False):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "fail"


@pytest.mark.django_db
def test_home_page_is_russian_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="ru"' in response.content.decode()


def test_production_hashes_passwords_with_argon2():
    from portal import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_a_browser_preferring_english_still_gets_russian(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="ru"' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_chooses_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert 'lang="en"' in response.content.decode()


def test_deployment_check_asks_for_a_shared_cache():
    from django.test import override_settings

    from portal.checks import shared_cache_check

    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        assert [w.id for w in shared_cache_check(None)] == ["portal.W001"]
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/15"}
    with override_settings(CACHES={"default": redis}):
        assert shared_cache_check(None) == []


def test_a_stale_window_shorter_than_one_email_send_is_flagged(settings):
    from portal.checks import stale_window_check

    settings.EMAIL_TIMEOUT = 10
    settings.NOTIFICATIONS_STALE_AFTER_SECONDS = 120
    assert stale_window_check(None) == []
    settings.NOTIFICATIONS_STALE_AFTER_SECONDS = 60
    assert [w.id for w in stale_window_check(None)] == ["portal.W002"]


def test_deploy_check_warns_behind_a_proxy_that_hides_the_client_address(settings):
    from portal.checks import proxy_address_check

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.PROXY_COUNT = 0
    assert [w.id for w in proxy_address_check(None)] == ["portal.W003"]
    settings.PROXY_COUNT = 1
    assert proxy_address_check(None) == []
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.PROXY_COUNT = 0
    assert proxy_address_check(None) == []  # no proxy: the connection's address is the client's
