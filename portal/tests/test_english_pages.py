"""Pages in English show no Russian, except the data people entered."""

import html
import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts import selectors, services
from accounts.models import Invitation, Membership
from accounts.tests.factories import (
    DEFAULT_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
)

CYRILLIC = re.compile("[А-Яа-яЁё]")


def visible_text(content: bytes) -> str:
    text = content.decode()
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    # Attributes people see or hear: title, placeholder, aria-label, alt, value of buttons.
    attrs = " ".join(re.findall(r'(?:title|placeholder|aria-label|alt)="([^"]*)"', text))
    text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(text + " " + attrs)


def russian_left(content: bytes, *, allowed=()) -> list[str]:
    text = visible_text(content)
    for data in allowed:
        text = text.replace(data, " ")
    # The language switcher names Russian in Russian (an endonym), on purpose.
    text = text.replace("Русский", " ")
    return sorted({line.strip() for line in text.splitlines() if CYRILLIC.search(line)})


@pytest.fixture
def english(client, settings):
    settings.PORTAL_COMPANY_NAME = "Energosbyt JSC"
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


PUBLIC = [
    "home",
    "accounts:register",
    "accounts:register_resident",
    "accounts:register_organisation",
    "accounts:register_sole_proprietor",
    "accounts:register_done",
    "accounts:email_resend",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_in_english(english, name):
    response = english.get(reverse(name))
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    assert russian_left(response.content) == []


@pytest.fixture
def member(db):
    """An organisation's administrator with Latin-script data, logged in, with a pending invitation to another."""
    user = UserFactory(first_name="Anna", last_name="Smith", email="anna@example.com")
    organisation = OrganisationFactory(name="Romashka LLC", legal_address="1 Example Street, Moscow")
    membership = MembershipFactory(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    MembershipFactory(user=UserFactory(first_name="Boris", last_name="Brown"), organisation=organisation)
    return membership


PRIVATE = [
    ("cabinet", {}),
    ("accounts:profile", {}),
    ("accounts:email_change", {}),
    ("accounts:password_change", {}),
    ("accounts:password_change_done", {}),
    ("accounts:consents", {}),
    ("accounts:organisation", {"org": True}),
    ("accounts:organisation_invite", {"org": True}),
    ("accounts:organisation_leave", {"org": True}),
]


@pytest.mark.parametrize(("name", "kwargs"), PRIVATE)
def test_cabinet_pages_in_english(english, member, name, kwargs):
    english.force_login(member.user)
    if kwargs.get("org"):
        kwargs = {"pk": member.organisation_id}
    response = english.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert russian_left(response.content) == []


def test_consent_pages_in_english(english, member):
    document = selectors.current_consent_document()
    services.consent_give(user=member.user, document=document, ip_address="192.0.2.1")
    english.force_login(member.user)
    consent = member.user.consents.get()
    response = english.get(reverse("accounts:consent_withdraw", kwargs={"pk": consent.pk}))
    assert response.status_code == 200
    assert russian_left(response.content, allowed=[document.title]) == []


def test_form_errors_in_english(english, db):
    response = english.post(reverse("accounts:register_organisation"), {"inn": "123", "kpp": "x", "ogrn": "1"})
    assert response.status_code == 200
    assert russian_left(response.content) == []
    response = english.post(reverse("accounts:login"), {"username": "nobody@example.com", "password": "wrong"})
    assert russian_left(response.content) == []
    assert "Incorrect email or password." in response.content.decode()


def test_resident_registration_mail_in_english(english, db):
    response = english.post(
        reverse("accounts:register_resident"),
        {
            "last_name": "Smith",
            "first_name": "Anna",
            "email": "anna@example.com",
            "phone": "+79161234567",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
            "consent": "on",
        },
    )
    assert response.status_code == 302, russian_left(response.content)
    (message,) = mail.outbox
    assert not CYRILLIC.search(message.subject), message.subject
    assert not CYRILLIC.search(message.body), message.body


def test_invitation_in_english(english, member):
    english.force_login(member.user)
    response = english.post(
        reverse("accounts:organisation_invite", kwargs={"pk": member.organisation_id}),
        {"email": "colleague@example.com", "role": Membership.Role.MEMBER},
        follow=True,
    )
    assert russian_left(response.content) == []
    (message,) = mail.outbox
    assert not CYRILLIC.search(message.subject + message.body), message.subject + message.body
    assert Invitation.objects.count() == 1


def test_lockout_page_in_english(english, member):
    for _ in range(6):
        response = english.post(reverse("accounts:login"), {"username": member.user.email, "password": "wrong"})
    assert response.status_code == 429
    assert "Login temporarily blocked" in response.content.decode()
    assert russian_left(response.content) == []


def test_password_reset_mail_in_english(english, member):
    english.post(reverse("accounts:password_reset"), {"email": member.user.email})
    (message,) = mail.outbox
    assert not CYRILLIC.search(message.subject + message.body), message.subject + message.body


def test_admin_in_english(english, db):
    english.force_login(StaffFactory(is_superuser=True, first_name="Sam", last_name="Staff"))
    response = english.get(reverse("admin:index"))
    assert response.status_code == 200
    assert russian_left(response.content) == []
    response = english.get(reverse("admin:accounts_user_changelist"))
    # Staff group names are data (accounts.roles), created in Russian by a migration.
    groups = ["Администраторы", "Операторы", "Редакторы контента", "Руководители"]
    assert russian_left(response.content, allowed=groups) == []
