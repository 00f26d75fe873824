"""The customer side of appeals: filing limits, no silent failures, confirmations, the conversation,
organisations and the due date explained (issues 9 and 10)."""

import uuid

import pytest
from django.urls import reverse

from accounts.tests.factories import MembershipFactory, OrganisationFactory
from appeals.models import Appeal
from appeals.tests.test_views import form_data

pytestmark = pytest.mark.django_db
NEW = reverse("appeals:new")


@pytest.fixture
def client_a(client, customer_a):
    client.force_login(customer_a)
    return client


class TestFilingLimits:
    def test_a_customer_over_the_limit_is_told_and_nothing_is_saved(self, client_a, settings):
        settings.APPEALS_FILING_RATE_USER = "2/h"
        assert client_a.post(NEW, form_data()).status_code == 302
        assert client_a.post(NEW, form_data()).status_code == 302
        response = client_a.post(NEW, form_data())
        assert response.status_code == 200
        html = response.content.decode()
        assert "не больше 2 обращений за час" in html
        assert "Обращение не сохранено" in html
        assert Appeal.objects.count() == 2

    def test_a_double_submit_at_the_limit_still_finds_its_appeal(self, client_a, settings):
        settings.APPEALS_FILING_RATE_USER = "1/h"
        data = form_data()
        first = client_a.post(NEW, data)
        again = client_a.post(NEW, data)
        assert again.status_code == 302 and again["Location"] == first["Location"]

    def test_an_organisation_is_limited_across_its_employees(self, client, customer_a, customer_b, settings):
        settings.APPEALS_FILING_RATE_ORGANISATION = "1/h"
        organisation = OrganisationFactory()
        MembershipFactory(user=customer_a, organisation=organisation)
        MembershipFactory(user=customer_b, organisation=organisation)
        client.force_login(customer_a)
        assert client.post(NEW, form_data(organisation=str(organisation.pk))).status_code == 302
        client.force_login(customer_b)
        refused = client.post(NEW, form_data(organisation=str(organisation.pk)))
        assert "От одной организации можно подать не больше 1 обращения за час" in refused.content.decode()
        # For themselves, the employee is under their own limit only.
        assert client.post(NEW, form_data(organisation="")).status_code == 302
        assert Appeal.objects.count() == 2


class TestIdempotencyKey:
    @pytest.mark.parametrize("key", [None, "", "123", "<b>x</b>"])
    def test_a_missing_or_malformed_key_is_explained_with_a_fresh_one(self, client_a, key):
        data = form_data()
        if key is None:
            del data["idempotency_key"]
        else:
            data["idempotency_key"] = key
        response = client_a.post(NEW, data)
        html = response.content.decode()
        assert "Форма пришла без служебного ключа" in html
        assert not Appeal.objects.exists()
        fresh = response.context["form"]["idempotency_key"].value()
        uuid.UUID(fresh)
        if key:
            assert f'value="{key}"' not in html
        assert client_a.post(NEW, {**data, "idempotency_key": fresh}).status_code == 302
        assert Appeal.objects.count() == 1
