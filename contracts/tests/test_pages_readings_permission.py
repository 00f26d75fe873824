"""An organisation's administrator decides which members may submit meter readings."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, OrganisationFactory
from contracts import access
from contracts.services.binding import bind_organisation_contract
from contracts.tests.factories import CODE, OrganisationContractFactory, contract_with_meter

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    organisation = OrganisationFactory(inn="7707083893")
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    member = MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER)
    contract = contract_with_meter(factory_class=OrganisationContractFactory, inn=organisation.inn)
    bind_organisation_contract(admin.user, organisation, contract.number, CODE)
    meter = contract.supply_points.get().meters.get()
    return organisation, admin, member, meter


def toggle_url(member):
    return reverse(
        "accounts:organisation_member_readings", kwargs={"pk": member.organisation_id, "membership_pk": member.pk}
    )


def test_the_administrator_allows_and_stops_a_member(client, setup):
    organisation, admin, member, meter = setup
    assert not access.may_submit_readings(member.user, meter)
    client.force_login(admin.user)
    page = client.get(reverse("accounts:organisation", kwargs={"pk": organisation.pk})).content.decode()
    assert toggle_url(member) in page and "Разрешить" in page

    response = client.post(toggle_url(member), {"allowed": "1"})
    assert response["Location"] == reverse("accounts:organisation", kwargs={"pk": organisation.pk})
    member.refresh_from_db()
    assert member.may_submit_readings and access.may_submit_readings(member.user, meter)

    client.force_login(member.user)
    detail = client.get(reverse("contracts:detail", args=[meter.supply_point.contract.number])).content.decode()
    assert reverse("contracts:reading_submit", args=[meter.pk]) in detail

    client.force_login(admin.user)
    client.post(toggle_url(member), {"allowed": "0"})
    member.refresh_from_db()
    assert not member.may_submit_readings and not access.may_submit_readings(member.user, meter)


def test_a_member_sees_the_permission_but_cannot_change_it(client, setup):
    organisation, _admin, member, _meter = setup
    client.force_login(member.user)
    page = client.get(reverse("accounts:organisation", kwargs={"pk": organisation.pk})).content.decode()
    assert toggle_url(member) not in page and "не передаёт" in page
    assert client.post(toggle_url(member), {"allowed": "1"}).status_code == 404
    member.refresh_from_db()
    assert not member.may_submit_readings


def test_another_organisations_administrator_and_anonymous_cannot(client, setup):
    _organisation, _admin, member, _meter = setup
    stranger = MembershipFactory(role=Membership.Role.ADMIN)
    client.force_login(stranger.user)
    assert client.post(toggle_url(member), {"allowed": "1"}).status_code == 404
    # Their own organisation's id with a foreign membership: no such member there.
    foreign = reverse(
        "accounts:organisation_member_readings",
        kwargs={"pk": stranger.organisation_id, "membership_pk": member.pk},
    )
    assert client.post(foreign, {"allowed": "1"}).status_code == 404
    client.logout()
    assert client.post(toggle_url(member), {"allowed": "1"})["Location"].startswith(reverse("accounts:login"))
    assert client.get(toggle_url(member)).status_code in (302, 405)
    member.refresh_from_db()
    assert not member.may_submit_readings
