"""The public payment page's promise is true: the amount due is in the cabinet, with a link to it."""

import pytest

from pages.models import Page

pytestmark = pytest.mark.django_db


def test_the_payment_page_points_to_the_cabinet(client):
    page = Page.objects.get(key="payment")
    assert "/billing/" in page.body and "в личном кабинете" in page.body
    html = client.get(page.get_absolute_url()).content.decode()
    assert 'href="/billing/"' in html
