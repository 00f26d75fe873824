"""Paths of named URLs reversed once per URLconf (core/urls.py)."""

from unittest import mock

from django.test import override_settings
from django.urls import path, set_script_prefix

from core import urls as core_urls
from core.urls import paths_of


def _page(request):  # pragma: no cover - never requested
    raise AssertionError


urlpatterns = [path("elsewhere/login/", _page, name="login")]


def test_the_paths_of_the_names_the_urlconf_has_in_order():
    assert paths_of(("admin:login", "no-such-name", "accounts:login")) == ("/admin/login/", "/accounts/login/")


def test_reversed_once_per_urlconf_and_script_prefix():
    paths_of(("accounts:login",))
    with mock.patch.object(core_urls, "reverse", wraps=core_urls.reverse) as reverse:
        assert paths_of(("accounts:login",)) == ("/accounts/login/",)
        assert reverse.call_count == 0
        with override_settings(ROOT_URLCONF=__name__):
            assert paths_of(("login", "accounts:login")) == ("/elsewhere/login/",)
        set_script_prefix("/portal/")
        try:
            assert paths_of(("accounts:login",)) == ("/portal/accounts/login/",)
        finally:
            set_script_prefix("/")
        assert paths_of(("accounts:login",)) == ("/accounts/login/",)
        assert reverse.call_count == 3
