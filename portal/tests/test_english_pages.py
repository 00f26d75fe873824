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
    return html.unescape(text + "\n" + attrs)


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


# The home page shows the news (data): see test_site_pages_in_english.
PUBLIC = [
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


# --- The public site (pages) and appeals ------------------------------------------------------------------------


def _normal(text: str) -> str:
    # Without spaces: highlighting and tags add spaces around words ("передавать <mark>показания</mark>?").
    return "".join(text.split())


def _seeded_content() -> tuple[set[str], str]:
    """What the content editors wrote (seeded in Russian by pages' data migration): data, not interface.

    Returns its lines, each as the pages render it, and the whole text, in which search snippets are cut.
    """
    from pages.markup import fill_placeholders, placeholders
    from pages.models import FaqEntry, FaqTopic, News, Office, OfficeException, Page, SearchEntry

    def shown(fragment):
        return visible_text(str(fill_placeholders(fragment)).encode())

    texts = []
    for page in Page.objects.all():
        texts += [page.title, page.meta_description, shown(page.body_html)]
    for news in News.objects.all():
        texts += [news.title, news.lead, news.image_alt, news.outage_addresses, shown(news.body_html)]
    texts += list(FaqTopic.objects.values_list("title", flat=True))
    for entry in FaqEntry.objects.all():
        texts += [entry.question, shown(entry.answer_html)]
    for office in Office.objects.all():
        texts += [office.name, office.address, office.services, office.note]
    texts += list(OfficeException.objects.values_list("reason", flat=True))
    lines = {_normal(line) for text in texts for line in text.splitlines()}
    # Search snippets are cut from the search index, made of the same content.
    snippets = "".join(f"{entry.title}{entry.text}" for entry in SearchEntry.objects.all())
    for token, value in placeholders().items():
        snippets = snippets.replace(token, value)
    return {line for line in lines if CYRILLIC.search(line)}, _normal("".join(texts) + snippets)


SEARCH_RESULTS = re.compile(r'<ol class="[^"]*search-results[^"]*".*?</ol>', re.S)
SNIPPET = re.compile(r'<p class="mb-0">(.*?)</p>', re.S)


def russian_left_but_content(content: bytes, *, allowed=()) -> list[str]:
    """Lines with Cyrillic other than the seeded content and the given data (e.g. the visitor's query).

    Content counts as a whole line, or as a long piece of it (a title, a paragraph) inside a line the
    template puts together ("Title — Company", "08:30–16:30 (reason)"); short pieces only as whole lines,
    so that an untranslated label is not mistaken for a page title. Search results' snippets are pieces
    of the content cut with "…", with the visitor's query words highlighted.
    """
    content_lines, whole = _seeded_content()

    def snippet_of_content(match):
        pieces = _normal(visible_text(match.group(1).encode())).split("…")
        return "<p></p>" if all(piece in whole for piece in pieces) else match.group(0)

    text = SEARCH_RESULTS.sub(lambda block: SNIPPET.sub(snippet_of_content, block.group(0)), content.decode())
    long_pieces = sorted((line for line in content_lines if len(line) >= 12), key=len, reverse=True)
    left = []
    for shown in russian_left(text.encode()):
        line = _normal(shown)
        if line in content_lines:
            continue  # a whole line of content, before any shorter piece of content is cut out of it
        for piece in long_pieces:
            line = line.replace(piece, "")
        if not CYRILLIC.search(line) or line in content_lines:
            continue
        for data in allowed:
            line = line.replace(_normal(data), "")
        if CYRILLIC.search(line):
            left.append(shown)
    return left


@pytest.fixture
def site_data(db):
    """A tariff period and a document with Latin-script data, so that their tables render."""
    from pages.tests.factories import DocumentFactory, TariffRateFactory

    rate = TariffRateFactory(period__title="Tariffs from 1 January 2026", period__basis="Order No. 1 of 1 Dec 2025")
    DocumentFactory(title="Application form A-1")
    return rate.period


SITE = [
    ("home", {}, ""),
    ("pages:info", {}, ""),
    ("pages:page", {"path": "pokazaniya"}, ""),
    ("pages:page", {"path": "oplata"}, ""),
    ("pages:news_list", {}, ""),
    ("pages:faq", {}, ""),
    ("pages:faq", {}, "?q=показания"),
    ("pages:offices", {}, ""),
    ("pages:tariffs", {}, ""),
    ("pages:documents", {}, ""),
    ("pages:search", {}, "?q=показания"),
    ("pages:search", {}, "?q=zzzzqqq"),
    ("pages:search", {}, "?q=!!!"),
    ("pages:contacts", {}, ""),
    ("pages:appeal_status", {}, ""),
]


@pytest.mark.parametrize(("name", "kwargs", "query"), SITE)
def test_site_pages_in_english(english, site_data, name, kwargs, query):
    response = english.get(reverse(name, kwargs=kwargs) + query)
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    # The search query itself is what the visitor typed.
    assert russian_left_but_content(response.content, allowed=["показания"]) == []


def test_news_and_tariff_pages_in_english(english, site_data):
    from pages.models import News

    news = News.objects.order_by("pk").first()
    assert news is not None, "pages' data migration seeds a news item"
    response = english.get(reverse("pages:news_detail", kwargs={"slug": news.slug}))
    assert response.status_code == 200
    assert russian_left_but_content(response.content) == []
    response = english.get(reverse("pages:tariff_period", kwargs={"pk": site_data.pk}))
    assert response.status_code == 200
    assert russian_left_but_content(response.content) == []


def test_visitor_question_form_errors_in_english(english, db):
    response = english.post(reverse("pages:contacts"), {"email": "not-an-email", "phone": "12"})
    assert response.status_code in (200, 400)
    assert russian_left_but_content(response.content) == []
    response = english.post(reverse("pages:appeal_status"), {"number": "2026-000999", "email": "x@example.com"})
    assert response.status_code in (200, 400)
    assert russian_left_but_content(response.content) == []


@pytest.fixture
def appeal(member, settings, tmp_path):
    """An appeal with Latin-script data, filed through the service as the cabinet does."""
    from appeals import services as appeal_services
    from appeals.models import Appeal

    settings.MEDIA_ROOT = tmp_path / "media"
    appeal, _created = appeal_services.appeal_submit(
        author=member.user,
        kind=Appeal.Kind.COMPLAINT,
        topic=Appeal.Topic.BILLING,
        subject="Wrong charge for March",
        text="The bill for March is twice the usual amount.",
    )
    return appeal


APPEAL_PAGES = [
    ("appeals:list", False),
    ("appeals:new", False),
    ("appeals:detail", True),
    ("appeals:submitted", True),
    ("cabinet", False),
]


@pytest.mark.parametrize(("name", "by_number"), APPEAL_PAGES)
def test_appeal_pages_in_english(english, appeal, name, by_number):
    english.force_login(appeal.author)
    kwargs = {"number": appeal.number} if by_number else {}
    response = english.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert russian_left(response.content) == []


def test_appeal_form_errors_in_english(english, appeal):
    english.force_login(appeal.author)
    response = english.post(reverse("appeals:new"), {"text": "x"})
    assert response.status_code == 200
    assert russian_left(response.content) == []


def test_admin_appeal_queue_in_english(english, appeal):
    from django.contrib.auth.models import Permission

    from deadlines.models import DeadlineRule

    staff = StaffFactory(first_name="Sam", last_name="Staff")
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="appeals",
            codename__in=["view_appeal", "add_appeal", "change_appeal", "view_all_appeals"],
        )
    )
    english.force_login(staff)
    # The deadline rules (deadlines' data migration, edited in the admin) are data, as the law's text in them.
    rules = [text for rule in DeadlineRule.objects.all() for text in [rule.title, *rule.legal_basis.splitlines()]]
    for url in (
        reverse("admin:appeals_appeal_changelist"),
        reverse("admin:appeals_appeal_changelist") + "?q=March",
        reverse("admin:appeals_appeal_change", args=[appeal.pk]),
        reverse("admin:appeals_appeal_add"),
    ):
        response = english.get(url)
        assert response.status_code == 200, url
        assert russian_left(response.content, allowed=sorted(rules, key=len, reverse=True)) == [], url


@pytest.mark.parametrize(
    ("stored", "english_text"),
    [
        ("ПП 354, п. 31 «к»", "Decree 354, cl. 31(k)"),
        ("ПП 354, п. 31 «е(2)»", "Decree 354, cl. 31(e(2))"),
        ("59-ФЗ, ст. 12 ч. 1 и 2", "59-FZ, art. 12 part 1 and 2"),
        ("Закон 2300-1, ст. 31 п. 1", "Law 2300-1, art. 31 cl. 1"),
        ("Правило компании", "Правило компании"),  # cannot be spelt out: shown as stored
    ],
)
def test_legal_reference_in_english(stored, english_text):
    from django.utils import translation

    from appeals.templatetags.appeals_tags import legal_reference

    with translation.override("en"):
        assert legal_reference(stored) == english_text
    with translation.override("ru"):
        assert legal_reference(stored) == stored


# --- notifications ----------------------------------------------------------------------------


@pytest.fixture
def english_recipient(member):
    """The member reads notifications in English; the appeal below is filed after that choice."""
    from notifications import services as notification_services

    notification_services.preferences_save(user=member.user, choices={}, language="en")
    return member


@pytest.fixture
def english_appeal(english_recipient, settings, tmp_path):
    from django.utils import translation

    from appeals import services as appeal_services
    from appeals.models import Appeal

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_COMPANY_NAME = "Energosbyt JSC"
    # Filed while Russian is active (as by an operator working in Russian): the notice still follows the recipient.
    with translation.override("ru"):
        appeal, _created = appeal_services.appeal_submit(
            author=english_recipient.user,
            kind=Appeal.Kind.COMPLAINT,
            topic=Appeal.Topic.BILLING,
            subject="Wrong charge for March",
            text="The bill for March is twice the usual amount.",
        )
    return appeal


@pytest.mark.parametrize("name", ["notifications:inbox", "notifications:preferences"])
def test_notification_pages_in_english(english, english_appeal, name):
    english.force_login(english_appeal.author)
    response = english.get(reverse(name))
    assert response.status_code == 200
    assert russian_left(response.content) == []
    if name == "notifications:inbox":
        assert f"Appeal No. {english_appeal.number} registered" in response.content.decode()


def test_notification_pages_empty_in_english(english, member):
    english.force_login(member.user)
    response = english.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    assert "No notifications yet" in response.content.decode()
    assert russian_left(response.content) == []


def test_notification_bell_in_english(english, english_appeal):
    english.force_login(english_appeal.author)
    response = english.get(reverse("cabinet"))
    content = response.content.decode()
    assert "notification-bell" in content
    assert "Notifications, unread: 1" in content
    assert russian_left(response.content) == []


def test_notification_preferences_saved_in_english(english, member):
    english.force_login(member.user)
    response = english.post(reverse("notifications:preferences"), {"language": "en"}, follow=True)
    assert response.status_code == 200
    assert "Notification settings saved." in response.content.decode()
    assert russian_left(response.content) == []
    response = english.post(reverse("notifications:preferences"), {"language": "xx"})
    assert response.status_code == 200
    assert russian_left(response.content) == []


def test_appeal_acknowledgement_email_in_english(english_appeal):
    from notifications.models import Channel, Notification

    email = Notification.objects.get(recipient=english_appeal.author, event="appeals.registered", channel=Channel.EMAIL)
    assert email.language == "en"
    assert email.subject == f"Appeal No. {english_appeal.number} registered"
    data = [english_appeal.subject]
    for text in (email.subject, email.body_text, email.body_html):
        assert russian_left(text.encode(), allowed=data) == [], text
    assert "Hello Anna," in email.body_text
    assert "(complaint)" in email.body_text
    assert "Response deadline" in email.body_text
    assert "Basis: Decree 354, cl. 31(k)." in email.body_text
    assert 'lang="en"' in email.body_html
