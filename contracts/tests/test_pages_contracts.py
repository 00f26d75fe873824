"""The cabinet's contract pages: who reaches each URL, what they show, and how many queries they run."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from contracts.models import ContractBinding
from contracts.services.binding import bind_organisation_contract, bind_personal_account
from contracts.tests.factories import (
    CODE,
    ContractFactory,
    MeterFactory,
    OrganisationContractFactory,
    SupplyPointFactory,
    add_readings,
    contract_with_meter,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_a():
    return UserFactory(email="a@example.ru")


@pytest.fixture
def customer_b():
    return UserFactory(email="b@example.ru")


@pytest.fixture
def other_org_member():
    """A member (and administrator) of another organisation, with that organisation's own contract."""
    organisation = OrganisationFactory(inn="500100732259")
    member = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    contract = contract_with_meter(factory_class=OrganisationContractFactory, inn=organisation.inn)
    bind_organisation_contract(member, organisation, contract.number, CODE)
    return member


@pytest.fixture
def account(customer_a):
    contract = contract_with_meter(number="1234567890")
    add_readings(contract.supply_points.get().meters.get(), 14)
    bind_personal_account(customer_a, contract.number, CODE)
    return contract


def _meter(contract):
    return contract.supply_points.get().meters.get()


def urls_of(contract):
    meter = _meter(contract)
    return [
        reverse("contracts:detail", args=[contract.number]),
        reverse("contracts:unbind", args=[contract.number]),
        reverse("contracts:meter", args=[meter.pk]),
    ]


# --- access --------------------------------------------------------------------------------


def test_the_owner_reaches_every_page(client, customer_a, account):
    client.force_login(customer_a)
    for url in [reverse("contracts:list"), reverse("contracts:bind"), *urls_of(account)]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["customer_b", "other_org_member"])
def test_others_get_404_for_every_page_of_the_account(client, account, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in urls_of(account):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code in (404, 405), url
    assert ContractBinding.objects.get(contract=account).unbound_at is None
    content = client.get(reverse("contracts:list")).content.decode()
    assert account.number not in content


def test_anonymous_is_sent_to_login(client, account):
    for url in [reverse("contracts:list"), reverse("contracts:bind"), *urls_of(account)]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url


def test_an_unbound_account_is_404_even_to_its_former_owner(client, customer_a, account):
    client.force_login(customer_a)
    client.post(reverse("contracts:unbind", args=[account.number]))
    for url in urls_of(account):
        assert client.get(url).status_code == 404, url


def test_a_nonexistent_number_or_meter_is_404(client, customer_a, account):
    client.force_login(customer_a)
    assert client.get(reverse("contracts:detail", args=["0000000000"])).status_code == 404
    assert client.get(reverse("contracts:meter", args=[999999])).status_code == 404


# --- organisations: members see, the administrator binds and unbinds ------------------------


@pytest.fixture
def organisation():
    return OrganisationFactory(inn="7707083893", name="ООО «Ромашка»")


def test_members_see_the_organisations_contract_only_administrators_unbind(client, organisation):
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    member = MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER).user
    contract = contract_with_meter(factory_class=OrganisationContractFactory, inn=organisation.inn)
    bind_organisation_contract(admin, organisation, contract.number, CODE)

    client.force_login(member)
    content = client.get(reverse("contracts:list")).content.decode()
    assert "Договоры организации «ООО «Ромашка»»" in content and contract.number in content
    detail = client.get(reverse("contracts:detail", args=[contract.number])).content.decode()
    assert reverse("contracts:unbind", args=[contract.number]) not in detail
    # Not allowed to submit readings yet: no button.
    assert reverse("contracts:reading_submit", args=[_meter(contract).pk]) not in detail
    assert client.get(reverse("contracts:unbind", args=[contract.number])).status_code == 404
    assert client.post(reverse("contracts:unbind", args=[contract.number])).status_code == 404

    client.force_login(admin)
    detail = client.get(reverse("contracts:detail", args=[contract.number])).content.decode()
    assert reverse("contracts:reading_submit", args=[_meter(contract).pk]) in detail
    response = client.post(reverse("contracts:unbind", args=[contract.number]))
    assert response.status_code == 302
    assert not ContractBinding.objects.filter(unbound_at__isnull=True).exists()


# --- the bind form -------------------------------------------------------------------------


def test_a_resident_binds_through_the_form(client, customer_a):
    contract = contract_with_meter(number="5550001112")
    client.force_login(customer_a)
    page = client.get(reverse("contracts:bind")).content.decode()
    assert "в квитанции" in page and 'name="owner"' not in page
    response = client.post(reverse("contracts:bind"), {"number": "555 000 1112", "code": CODE.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:detail", args=[contract.number])


def test_wrong_code_and_wrong_number_read_the_same_on_the_form(client, customer_a):
    contract = ContractFactory(number="5550001112")
    client.force_login(customer_a)
    wrong_code = client.post(reverse("contracts:bind"), {"number": contract.number, "code": "AAAA1111"})
    wrong_number = client.post(reverse("contracts:bind"), {"number": "5550009999", "code": CODE})
    assert wrong_code.status_code == wrong_number.status_code == 200
    errors = [r.context["form"].non_field_errors() for r in (wrong_code, wrong_number)]
    assert errors[0] == errors[1] and "не подходят" in errors[0][0]


def test_the_lock_is_told_on_the_form_with_its_end(client, customer_a, settings):
    settings.CONTRACTS_BINDING_ATTEMPTS = 2
    contract = ContractFactory(number="5550001112")
    client.force_login(customer_a)
    client.post(reverse("contracts:bind"), {"number": contract.number, "code": "AAAA1111"})
    response = client.post(reverse("contracts:bind"), {"number": contract.number, "code": "AAAA1111"})
    assert response.status_code == 429
    assert "Попробовать снова можно после" in response.content.decode()


def test_an_administrator_picks_the_organisation(client, organisation):
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    contract = OrganisationContractFactory(inn=organisation.inn)
    client.force_login(admin)
    assert 'name="owner"' in client.get(reverse("contracts:bind")).content.decode()
    response = client.post(
        reverse("contracts:bind"), {"owner": str(organisation.pk), "number": contract.number, "code": CODE}
    )
    assert response.status_code == 302
    assert ContractBinding.objects.get().organisation == organisation


def test_a_member_cannot_pick_an_organisation_they_do_not_administer(client, organisation):
    member = MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER).user
    contract = OrganisationContractFactory(inn=organisation.inn)
    client.force_login(member)
    response = client.post(
        reverse("contracts:bind"), {"owner": str(organisation.pk), "number": contract.number, "code": CODE}
    )
    assert response.status_code == 200
    assert not ContractBinding.objects.exists()


# --- what the pages show -------------------------------------------------------------------


def test_detail_shows_points_meters_verification_and_the_submit_link(client, customer_a, account, settings):
    meter = _meter(account)
    meter.next_verification_on = timezone.localdate() + datetime.timedelta(days=30)
    meter.save()
    client.force_login(customer_a)
    content = client.get(reverse("contracts:detail", args=[account.number])).content.decode()
    assert "ПАО «Россети Московский регион»" in content
    assert "15,00 кВт" in content or "15.00 кВт" in content
    assert meter.serial_number in content and "Меркурий 201.8" in content
    assert "data-verification-warning" in content
    assert reverse("contracts:reading_submit", args=[meter.pk]) in content
    assert "за 02.2026" in content  # the last of 14 monthly readings from 01.2025


def test_the_meter_page_has_the_history_and_the_charts_figures(client, customer_a, account):
    client.force_login(customer_a)
    response = client.get(reverse("contracts:meter", args=[_meter(account).pk]))
    content = response.content.decode()
    # 14 readings, 150 + 70 kWh more each month: 13 months of consumption.
    assert response.context["chart"]["values"] == [220] * 13
    assert content.count("data-consumption>220<") == 13
    assert 'id="consumption-data"' in content and "vendor/chart.js/chart.umd.min.js" in content
    assert "cdn" not in content.lower()
    assert "Столбчатая диаграмма потребления за 13 месяцев" in content


def test_a_remote_meter_has_no_submit_button(client, customer_a, account):
    meter = _meter(account)
    meter.remote = True
    meter.save()
    client.force_login(customer_a)
    content = client.get(reverse("contracts:meter", args=[meter.pk])).content.decode()
    assert reverse("contracts:reading_submit", args=[meter.pk]) not in content
    assert "дистанционный" in content


def test_the_cabinet_home_offers_binding_when_nothing_is_bound(client, customer_b):
    client.force_login(customer_b)
    content = client.get(reverse("cabinet")).content.decode()
    assert "Привязать лицевой счёт" in content and reverse("contracts:bind") in content


def test_the_cabinet_home_shows_accounts_meters_and_the_organisations_contracts(client, customer_a, account):
    organisation = OrganisationFactory(inn="7707083893", name="ООО «Ромашка»")
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    MembershipFactory(organisation=organisation, user=customer_a)
    contract = contract_with_meter(factory_class=OrganisationContractFactory, inn=organisation.inn)
    bind_organisation_contract(admin, organisation, contract.number, CODE)
    client.force_login(customer_a)
    content = client.get(reverse("cabinet")).content.decode()
    assert account.number in content and contract.number in content
    assert "Организация «ООО «Ромашка»»" in content
    assert reverse("contracts:reading_submit", args=[_meter(account).pk]) in content
    assert "за 02.2026" in content


# --- query counts --------------------------------------------------------------------------


def _bind_more(user, n):
    for _ in range(n):
        contract = contract_with_meter(meters=2)
        for meter in contract.supply_points.get().meters.all():
            add_readings(meter, 3)
        SupplyPointFactory(contract=contract)
        bind_personal_account(user, contract.number, CODE)


def _organisation_contracts(user, n, *, organisation=None):
    if organisation is None:
        organisation = OrganisationFactory(inn="7707083893")
        MembershipFactory(organisation=organisation, user=user, role=Membership.Role.ADMIN)
    for _ in range(n):
        contract = contract_with_meter(factory_class=OrganisationContractFactory, inn=organisation.inn, meters=2)
        bind_organisation_contract(user, organisation, contract.number, CODE)
    return organisation


@pytest.mark.parametrize("url_name", ["contracts:list", "cabinet"])
def test_lists_run_a_constant_number_of_queries(client, customer_a, account, url_name, django_assert_max_num_queries):
    # An organisation's administrator with one contract (a resident without one asks one question less:
    # whether a readings file may be uploaded), then many more contracts, meters and organisation contracts.
    organisation = _organisation_contracts(customer_a, 1)
    client.force_login(customer_a)
    client.get(reverse(url_name))
    with django_assert_max_num_queries(40) as baseline:
        client.get(reverse(url_name))
    _bind_more(customer_a, 6)
    _organisation_contracts(customer_a, 3, organisation=organisation)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        content = client.get(reverse(url_name)).content.decode()
    assert content.count("data-meter=") >= 15


def test_detail_runs_a_constant_number_of_queries(client, customer_a, account, django_assert_max_num_queries):
    client.force_login(customer_a)
    url = reverse("contracts:detail", args=[account.number])
    client.get(url)
    with django_assert_max_num_queries(30) as baseline:
        client.get(url)
    point = account.supply_points.get()
    for _ in range(4):
        add_readings(MeterFactory(supply_point=point), 5)
        MeterFactory(supply_point=SupplyPointFactory(contract=account))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert client.get(url).content.decode().count("data-meter=") == 9


def test_meter_page_runs_a_constant_number_of_queries(client, customer_a, django_assert_max_num_queries):
    contract = contract_with_meter(number="5550001112")
    meter = _meter(contract)
    add_readings(meter, 2)
    bind_personal_account(customer_a, contract.number, CODE)
    client.force_login(customer_a)
    url = reverse("contracts:meter", args=[meter.pk])
    client.get(url)
    with django_assert_max_num_queries(25) as baseline:
        client.get(url)
    meter.readings.all().delete()
    add_readings(meter, 60, start=datetime.date(2020, 1, 1))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(url)
    assert len(response.context["history"]) == 60


def test_the_header_names_the_section_for_customers(client, customer_a):
    client.force_login(customer_a)
    content = client.get(reverse("cabinet")).content.decode()
    assert f'href="{reverse("contracts:list")}">Договоры и счётчики</a>' in content
    current = client.get(reverse("contracts:list")).content.decode()
    assert 'aria-current="page" href="/contracts/"' in current


def test_a_contract_number_with_a_slash_has_its_pages(client):
    """Organisations' numbers like «КП-2024/002» (the demo has one): the list links to them, nothing breaks."""
    organisation = OrganisationFactory(inn="7707083893")
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    contract = contract_with_meter(factory_class=OrganisationContractFactory, number="КП-2024/002",
                                   inn=organisation.inn)
    bind_organisation_contract(admin, organisation, contract.number, CODE)
    client.force_login(admin)
    assert reverse("contracts:detail", args=[contract.number]) in client.get(reverse("contracts:list")).content.decode()
    for url in urls_of(contract):
        assert client.get(url).status_code == 200, url
    response = client.post(reverse("contracts:unbind", args=[contract.number]))
    assert response.status_code == 302
    assert not ContractBinding.objects.filter(contract=contract, unbound_at__isnull=True).exists()
