import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Consent, Membership, Organisation, User
from accounts.tests.factories import OrganisationFactory, UserFactory
from accounts.tests.helpers import field_errors

pytestmark = pytest.mark.django_db

PASSWORD = "Ясное-утро-над-рекой-7"

PERSON = {
    "last_name": "Иванов",
    "first_name": "Иван",
    "patronymic": "Иванович",
    "email": "ivanov@example.ru",
    "phone": "8 (916) 123-45-67",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "consent": "on",
}
ORGANISATION = {
    **PERSON,
    "name": "ООО «Ромашка»",
    "inn": "7707083893",
    "kpp": "773601001",
    "ogrn": "1027700132195",
    "legal_address": "г. Москва, ул. Вавилова, д. 19",
    "contact_person": "Иванов Иван Иванович",
    "contact_position": "главный энергетик",
}
SOLE = {
    **PERSON,
    "name": "ИП Иванов Иван Иванович",
    "inn": "500100732259",
    "ogrn": "304500116000157",
    "legal_address": "Московская обл., г. Балашиха, ул. Советская, д. 1",
}
PATHS = {
    "resident": ("accounts:register_resident", PERSON),
    "organisation": ("accounts:register_organisation", ORGANISATION),
    "sole": ("accounts:register_sole_proprietor", SOLE),
}


def counts():
    return User.objects.count(), Organisation.objects.count(), Consent.objects.count(), Membership.objects.count()


def post(client, path, **changes):
    url_name, data = PATHS[path]
    data = {**data, **changes}
    return client.post(reverse(url_name), {k: v for k, v in data.items() if v is not None})


def test_choice_page_offers_three_paths(client):
    response = client.get(reverse("accounts:register"))
    content = response.content.decode()
    for name in ("register_resident", "register_organisation", "register_sole_proprietor"):
        assert reverse(f"accounts:{name}") in content


@pytest.mark.parametrize("path", PATHS)
def test_each_form_links_the_current_consent_text(client, path, consent_document):
    response = client.get(reverse(PATHS[path][0]))
    assert response.status_code == 200
    assert (
        reverse("accounts:consent_document", kwargs={"version": consent_document.version}) in response.content.decode()
    )


def test_resident_registers_and_waits_for_confirmation(client, consent_document):
    response = post(client, "resident", email="Ivanov@Example.RU")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_done")
    user = User.objects.get()
    assert user.email == "ivanov@example.ru"
    assert str(user.phone) == "+79161234567"
    assert user.patronymic == "Иванович"
    assert not user.email_confirmed
    assert user.check_password(PASSWORD)
    consent = Consent.objects.get(user=user)
    assert consent.document == consent_document
    assert consent.ip_address == "127.0.0.1"
    assert consent.withdrawn_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ivanov@example.ru"]
    assert "/accounts/email/confirm/" in mail.outbox[0].body
    assert "Подтвердите электронную почту" in mail.outbox[0].subject


def test_patronymic_is_optional(client):
    assert post(client, "resident", patronymic="").status_code == 302
    assert User.objects.get().patronymic == ""


def test_organisation_registrant_becomes_its_administrator(client):
    response = post(client, "organisation", kpp="773601001")
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.kind == Organisation.Kind.LEGAL_ENTITY
    assert (organisation.inn, organisation.kpp, organisation.ogrn) == ("7707083893", "773601001", "1027700132195")
    assert organisation.contact_position == "главный энергетик"
    membership = Membership.objects.get()
    assert membership.organisation == organisation
    assert membership.user.email == "ivanov@example.ru"
    assert membership.role == Membership.Role.ADMIN
    assert Consent.objects.filter(user=membership.user).count() == 1


def test_organisation_kpp_letters_are_upper_cased(client):
    assert post(client, "organisation", kpp="7736ab001").status_code == 302
    assert Organisation.objects.get().kpp == "7736AB001"


def test_another_branch_with_another_kpp_may_register(client):
    OrganisationFactory(inn="7707083893", kpp="773601001")
    assert post(client, "organisation", kpp="775001001").status_code == 302
    assert Organisation.objects.filter(inn="7707083893").count() == 2


def test_sole_proprietor_registers(client):
    assert post(client, "sole").status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.kind == Organisation.Kind.SOLE_PROPRIETOR
    assert (organisation.inn, organisation.kpp, organisation.ogrn) == ("500100732259", "", "304500116000157")
    assert organisation.contact_person == "Иванов Иван Иванович"
    assert Membership.objects.get().role == Membership.Role.ADMIN


BAD_INPUT = [
    # path, changes, field, message
    ("resident", {"consent": None}, "consent", "Без согласия на обработку персональных данных"),
    ("organisation", {"consent": None}, "consent", "Без согласия на обработку персональных данных"),
    ("sole", {"consent": None}, "consent", "Без согласия на обработку персональных данных"),
    ("resident", {"password2": PASSWORD + "!"}, "password2", "Пароли не совпадают"),
    ("organisation", {"password2": "другой-пароль-123"}, "password2", "Пароли не совпадают"),
    ("resident", {"password1": "Кор0ткий", "password2": "Кор0ткий"}, "password1", "12"),
    ("resident", {"password1": "password1234", "password2": "password1234"}, "password1", "распространён"),
    ("resident", {"password1": "734928501938", "password2": "734928501938"}, "password1", "цифр"),
    ("resident", {"password1": "ivanov@example.ru", "password2": "ivanov@example.ru"}, "password1", "похож"),
    ("resident", {"email": "не-почта"}, "email", "адрес электронной почты"),
    ("resident", {"phone": "12345"}, "phone", "+7 и 10 цифр"),
    ("resident", {"first_name": ""}, "first_name", "Обязательное поле"),
    ("resident", {"last_name": "Ж" * 151}, "last_name", "не более 150 символов"),
    ("resident", {"patronymic": "Ж" * 151}, "patronymic", "не более 150 символов"),
    ("resident", {"email": "a" * 250 + "@example.ru"}, "email", "не более 254 символов"),
    ("organisation", {"name": "О" * 301}, "name", "не более 300 символов"),
    ("organisation", {"legal_address": "А" * 501}, "legal_address", "не более 500 символов"),
    ("organisation", {"name": "Оплатите долг на pay-energo.example"}, "name", "ссылки"),
    ("organisation", {"name": "ООО «Ромашка» https://x.example"}, "name", "ссылки"),
    ("organisation", {"name": "ООО «Ромашка» pay@example"}, "name", "ссылки"),
    ("sole", {"name": "ИП Иванов, звоните 8 800 555-35-35"}, "name", "ссылки"),
    ("resident", {"last_name": "Оплатите на pay-energo.example"}, "last_name", "ссылки"),
    ("organisation", {"first_name": "Звоните +7 800 555-35-35"}, "first_name", "ссылки"),
    ("organisation", {"kpp": "٧٧٣٦٠١٠٠١"}, "kpp", "9 символов"),
    ("organisation", {"kpp": "７７３６０１００１"}, "kpp", "9 символов"),
    ("organisation", {"inn": "７７０７０８３８９３"}, "inn", "10 цифр"),
    ("organisation", {"inn": "7707083894"}, "inn", "контрольная цифра"),
    ("organisation", {"inn": "770708389"}, "inn", "10 цифр"),
    ("organisation", {"inn": "500100732259"}, "inn", "не более 10 символов"),
    ("organisation", {"kpp": "77360100"}, "kpp", "9 символов"),
    ("organisation", {"kpp": "77-601001"}, "kpp", "9 символов"),
    ("organisation", {"ogrn": "1027700132194"}, "ogrn", "контрольная цифра"),
    ("organisation", {"ogrn": "102770013219"}, "ogrn", "13 цифр"),
    ("organisation", {"contact_person": ""}, "contact_person", "Обязательное поле"),
    ("sole", {"inn": "500100732258"}, "inn", "контрольные цифры"),
    ("sole", {"inn": "7707083893"}, "inn", "12 цифр"),
    ("sole", {"ogrn": "304500116000158"}, "ogrn", "контрольная цифра"),
    ("sole", {"ogrn": "1027700132195"}, "ogrn", "15 цифр"),
]


@pytest.mark.parametrize(("path", "changes", "field", "message"), BAD_INPUT)
def test_bad_input_is_explained_next_to_its_field_and_nothing_is_saved(client, path, changes, field, message):
    before = counts()
    response = post(client, path, **changes)
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert "Проверьте форму" in response.content.decode()
    assert counts() == before
    assert mail.outbox == []


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("email", ["taken@example.ru", "TAKEN@Example.ru", "Taken@EXAMPLE.RU"])
def test_duplicate_email_in_any_letter_case(client, path, email):
    UserFactory(email="taken@example.ru")
    before = counts()
    response = post(client, path, email=email)
    assert "уже зарегистрирован" in field_errors(response, "email")
    assert counts() == before


def test_duplicate_inn_and_kpp(client):
    OrganisationFactory(inn="7707083893", kpp="773601001")
    before = counts()
    response = post(client, "organisation")
    assert "с таким ИНН и КПП уже зарегистрирована" in field_errors(response, "inn")
    assert counts() == before
    assert mail.outbox == []


def test_duplicate_sole_proprietor_inn(client):
    OrganisationFactory(kind=Organisation.Kind.SOLE_PROPRIETOR, inn="500100732259", kpp="")
    before = counts()
    response = post(client, "sole")
    assert "уже зарегистрирована" in field_errors(response, "inn")
    assert counts() == before


def test_service_rechecks_inn_and_kpp(consent_document):
    """A registration that passed the form just before another one won gets a message, not a 500."""
    from django.core.exceptions import ValidationError

    from accounts import services

    OrganisationFactory(inn="7707083893", kpp="773601001")
    data = {k: v for k, v in ORGANISATION.items() if k not in ("password1", "password2", "consent")}
    data["phone"] = "+79161234567"
    with pytest.raises(ValidationError) as info:
        services.register_organisation(
            kind=Organisation.Kind.LEGAL_ENTITY,
            password=PASSWORD,
            consent_document=consent_document,
            ip_address=None,
            site_url="http://testserver/",
            **data,
        )
    assert "inn" in info.value.error_dict
    assert User.objects.count() == 0


def test_registration_is_rate_limited_per_address(client, settings):
    settings.ACCOUNTS_REGISTRATION_RATE = "2/m"
    for n in range(2):
        assert post(client, "resident", email=f"person{n}@example.ru").status_code == 302
    response = post(client, "resident", email="person9@example.ru")
    assert response.status_code == 429
    assert "Слишком много попыток" in response.content.decode()
    assert not User.objects.filter(email="person9@example.ru").exists()
