"""Bad filter values in an admin changelist's address are reset with a message, never a 500."""

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse

from core.admin import SafeChangeList

pytestmark = pytest.mark.django_db

HIERARCHY_ADMINS = sorted(
    (model._meta.label, model_admin)
    for model, model_admin in admin.site._registry.items()
    if model_admin.date_hierarchy
)

BAD_DATES = [
    "{f}__year=99999",
    "{f}__year=9999",
    "{f}__year=9999&{f}__month=12&{f}__day=31",
    "{f}__year=1",
    "{f}__year=1&{f}__month=1&{f}__day=1",
    "{f}__year=99999999999999999999",
    "{f}__year=abc",
    "{f}__year=2026&{f}__month=13",
]


@pytest.fixture
def superuser_client(client):
    from accounts.tests.factories import StaffFactory

    client.force_login(StaffFactory(is_superuser=True))
    return client


def test_the_walk_finds_the_date_hierarchies():
    labels = {label for label, _ in HIERARCHY_ADMINS}
    assert {"pages.News", "pages.Document"} <= labels


@pytest.mark.parametrize(("label", "model_admin"), HIERARCHY_ADMINS)
def test_every_admin_with_a_date_hierarchy_uses_the_safe_changelist(label, model_admin, rf):
    request = rf.get("/")
    assert issubclass(model_admin.get_changelist(request), SafeChangeList), label


@pytest.mark.parametrize(("label", "model_admin"), HIERARCHY_ADMINS)
@pytest.mark.parametrize("query", BAD_DATES)
def test_a_date_outside_the_calendar_resets_the_filter(superuser_client, label, model_admin, query):
    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = superuser_client.get(f"{url}?{query.format(f=model_admin.date_hierarchy)}")
    assert response.status_code == 302, (label, query, response.status_code)
    assert response["Location"] == f"{url}?e=1"
    followed = superuser_client.get(response["Location"])
    assert followed.status_code == 200


def test_the_reset_is_explained(superuser_client):
    url = reverse("admin:pages_news_changelist")
    response = superuser_client.get(f"{url}?published_at__year=9999", follow=True)
    assert response.status_code == 200
    assert "недопустимый фильтр" in " ".join(str(m) for m in get_messages(response.wsgi_request)) + (
        response.content.decode()
    )


def test_an_ordinary_year_still_filters(superuser_client):
    from django.utils import timezone

    from pages.tests.factories import NewsFactory

    NewsFactory(title="Старая новость", published_at=timezone.now().replace(year=2020))
    NewsFactory(title="Новая новость", published_at=timezone.now().replace(year=2025))
    response = superuser_client.get(reverse("admin:pages_news_changelist") + "?published_at__year=2020")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Старая новость" in html and "Новая новость" not in html
