import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from pages.models import TariffPeriod, TariffRate

pytestmark = pytest.mark.django_db


def test_seed_demo_pages_is_idempotent_and_fills_the_tariffs_page(settings, client):
    settings.DEBUG = True
    call_command("seed_demo_pages")
    snapshot = sorted(TariffRate.objects.values_list("period__valid_from", "group", "zone", "price"))
    call_command("seed_demo_pages")
    assert sorted(TariffRate.objects.values_list("period__valid_from", "group", "zone", "price")) == snapshot

    periods = list(TariffPeriod.objects.order_by("valid_from"))
    assert len(periods) == 2
    assert periods[0].valid_to == periods[1].valid_from - datetime.timedelta(days=1)
    assert periods[1].valid_to is None
    assert all("не настоящие цены" in p.title for p in periods)

    response = client.get(reverse("pages:tariffs"))
    assert response.status_code == 200
    assert response.context["period"] == periods[1]
    assert "8,10" in response.content.decode() or "8.10" in response.content.decode()


def test_seed_demo_pages_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo_pages")
    assert not TariffPeriod.objects.exists()
