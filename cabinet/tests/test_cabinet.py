import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Membership
from accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from cabinet import sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(db):
    from accounts import selectors

    user = UserFactory(email="who@example.ru", last_name="Кузнецова", first_name="Анна")
    services.consent_give(user=user, document=selectors.current_consent_document(), ip_address=None)
    return user


def test_cabinet_shows_who_you_are_your_organisations_and_consents(client, customer):
    MembershipFactory(user=customer, organisation=OrganisationFactory(name="ООО «Ромашка»"), role="admin")
    client.force_login(customer)
    content = client.get(reverse("cabinet")).content.decode()
    assert "Кузнецова Анна" in content
    assert "who@example.ru" in content
    assert "ООО «Ромашка»" in content
    assert "администратор" in content
    assert "Действующих: 1, отозванных: 0." in content
    for name in ("accounts:profile", "accounts:password_change", "accounts:email_change", "accounts:consents"):
        assert reverse(name) in content


def test_cabinet_does_not_show_another_customers_organisation(client, customer):
    MembershipFactory(organisation=OrganisationFactory(name="ООО «Чужая»"))
    client.force_login(customer)
    assert "ООО «Чужая»" not in client.get(reverse("cabinet")).content.decode()


def test_pending_invitation_is_offered(client, customer):
    admin = MembershipFactory(role=Membership.Role.ADMIN, organisation=OrganisationFactory(name="ООО «Зовущая»"))
    services.invitation_send(
        actor=admin.user,
        organisation_id=admin.organisation_id,
        email="who@example.ru",
        role="member",
        site_url="http://testserver/",
    )
    client.force_login(customer)
    content = client.get(reverse("cabinet")).content.decode()
    assert "Вас пригласили" in content
    assert "ООО «Зовущая»" in content


def test_sections_are_a_list_later_apps_extend(client, customer, monkeypatch):
    extra = sections.Section("extra", "cabinet/sections/account.html", lambda user: None)
    monkeypatch.setattr(sections, "SECTIONS", [*sections.SECTIONS, extra])
    names = [s.name for s, _ in sections.sections_for(customer)]
    assert names == ["account", "organisations", "appeals", "notifications", "contracts", "consents"]


def test_cabinet_runs_a_constant_number_of_queries(client, customer, django_assert_max_num_queries):
    client.force_login(customer)
    client.get(reverse("cabinet"))
    # 14 before the contracts section, which adds two with nothing bound (the user's organisations, the contracts);
    # the billing section two more (the organisations whose finances the user sees, the own accounts' balances).
    with django_assert_max_num_queries(18) as baseline:
        client.get(reverse("cabinet"))
    for _ in range(15):
        MembershipFactory(user=customer)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert client.get(reverse("cabinet")).status_code == 200


def test_consents_page_runs_a_constant_number_of_queries(client, customer, django_assert_max_num_queries):
    from accounts import selectors

    client.force_login(customer)
    client.get(reverse("accounts:consents"))
    with django_assert_max_num_queries(12) as baseline:
        client.get(reverse("accounts:consents"))
    document = selectors.current_consent_document()
    for _ in range(30):
        consent = services.consent_give(user=customer, document=document, ip_address=None)
        services.consent_withdraw(user=customer, consent_id=consent.pk)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert client.get(reverse("accounts:consents")).status_code == 200


def test_logged_in_people_are_not_offered_registration_again(client, customer):
    client.force_login(customer)
    assert client.get(reverse("accounts:register_resident"))["Location"] == reverse("cabinet")
