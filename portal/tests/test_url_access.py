"""Walk every URL pattern of the project.

An anonymous visitor is sent to login wherever an account is needed; only the
names in PUBLIC_URL_NAMES may answer without one. Another customer gets 404 on
every object URL of accounts. New URLs join these checks automatically: add a
public one to the allow-list (with a reason) and an object one to OBJECT_URLS.
"""

import uuid
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from accounts import services
from accounts.models import Consent, Invitation, Membership
from accounts.tests.factories import MembershipFactory, UserFactory

PUBLIC_URL_NAMES = {
    "home",
    "healthz",
    "set_language",
    # Registration, login and the links people get by mail work without a session.
    "accounts:register",
    "accounts:register_resident",
    "accounts:register_organisation",
    "accounts:register_sole_proprietor",
    "accounts:register_done",
    "accounts:email_confirm",
    "accounts:email_resend",
    "accounts:email_change_confirm",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:invitation",
    # The consent text must be readable before registering.
    "accounts:consent_current",
    "accounts:consent_document",
    # The public site: information for every visitor, and a question without an account.
    "pages:info",
    "pages:page",
    "pages:news_list",
    "pages:news_detail",
    "pages:news_image",
    "pages:news_rss",
    "pages:news_atom",
    "pages:faq",
    "pages:offices",
    "pages:documents",
    "pages:document_download",
    "pages:tariffs",
    "pages:tariff_period",
    "pages:search",
    "pages:contacts",
    "pages:appeal_status",
    "sitemap",
    "robots_txt",
    # The payment provider's notifications (webhooks): the provider has no session; each is checked by fetching
    # the payment back from the provider's API (billing.services.payments).
    "billing:notification",
    # Django admin's own login, and its logout (which only ends a session, if any).
    "admin:login",
    "admin:logout",
}

# Object URLs of accounts: kwargs built from customer A's objects.
OBJECT_URLS = {
    "accounts:organisation": lambda o: {"pk": o["org"]},
    "accounts:organisation_invite": lambda o: {"pk": o["org"]},
    "accounts:organisation_leave": lambda o: {"pk": o["org"]},
    "accounts:organisation_member_role": lambda o: {"pk": o["org"], "membership_pk": o["member"]},
    "accounts:organisation_member_remove": lambda o: {"pk": o["org"], "membership_pk": o["member"]},
    "accounts:organisation_member_readings": lambda o: {"pk": o["org"], "membership_pk": o["member"]},
    "accounts:organisation_member_finances": lambda o: {"pk": o["org"], "membership_pk": o["member"]},
    "accounts:organisation_invitation_revoke": lambda o: {"pk": o["org"], "invitation_pk": o["invitation"]},
    "accounts:consent_withdraw": lambda o: {"pk": o["consent"]},
    "accounts:invitation_accept_mine": lambda o: {"pk": o["invitation"]},
}


# Pages that live in the admin outside its own namespace (the dashboard, the customer's changes journal):
# the admin's login and second factor guard them.
ADMIN_NAMESPACES = ("admin:", "monitoring:", "audit:")


def _walk(patterns, namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if entry.namespace and namespace:
                ns = f"{namespace}:{entry.namespace}"
            yield from _walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, entry


# Values that the project's own path converters accept (they match a format).
CONVERTER_SAMPLES = {
    "AppealNumberConverter": "2026-999999",
}


def _dummy_kwargs(pattern):
    converters = getattr(pattern.pattern, "converters", {})
    kwargs = {}
    for key in pattern.pattern.regex.groupindex:
        converter = converters.get(key)
        if type(converter).__name__ in CONVERTER_SAMPLES:
            kwargs[key] = CONVERTER_SAMPLES[type(converter).__name__]
        elif isinstance(converter, IntConverter):
            kwargs[key] = 999_999
        elif isinstance(converter, UUIDConverter):
            kwargs[key] = uuid.UUID(int=999_999)  # the same in every xdist worker: collections must agree
        else:
            kwargs[key] = "x"
    return kwargs


def _url_for(name, pattern):
    try:
        return reverse(name, kwargs=_dummy_kwargs(pattern))
    except NoReverseMatch:
        # Regex routes limited to a set of values (admin's app_label): take a value they accept.
        kwargs = dict.fromkeys(pattern.pattern.regex.groupindex, "accounts")
        return reverse(name, kwargs=kwargs)


ALL_URLS = sorted({(name, _url_for(name, pattern)) for name, pattern in _walk(get_resolver().url_patterns)})


def _is_login_redirect(response, name):
    if response.status_code != 302:
        return False
    target = urlparse(response["Location"]).path
    login = reverse("admin:login") if name.startswith(ADMIN_NAMESPACES) else reverse(settings.LOGIN_URL)
    return target == login


def test_the_walk_finds_the_project():
    names = {name for name, _ in ALL_URLS}
    assert {"home", "cabinet", "accounts:login", "accounts:organisation", "admin:index"} <= names
    assert names >= PUBLIC_URL_NAMES, PUBLIC_URL_NAMES - names


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url"), [item for item in ALL_URLS if item[0] not in PUBLIC_URL_NAMES])
def test_anonymous_visitor_is_sent_to_login(client, name, url):
    response = client.get(url)
    if response.status_code == 405:  # POST-only
        response = client.post(url)
    assert _is_login_redirect(response, name), (name, url, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url"), [item for item in ALL_URLS if item[0] in PUBLIC_URL_NAMES])
def test_public_pages_answer_without_an_account(client, name, url):
    response = client.get(url)
    assert response.status_code < 500, (name, url)
    assert not _is_login_redirect(response, name), (name, url)


@pytest.fixture
def customer_a_objects(db):
    from accounts import selectors

    admin = MembershipFactory(role=Membership.Role.ADMIN)
    member = MembershipFactory(organisation=admin.organisation)
    resident = UserFactory()
    consent = services.consent_give(user=resident, document=selectors.current_consent_document(), ip_address=None)
    invitation = services.invitation_send(
        actor=admin.user,
        organisation_id=admin.organisation_id,
        email="colleague@example.ru",
        role="member",
        site_url="http://testserver/",
    )
    return {
        "org": admin.organisation_id,
        "member": member.pk,
        "consent": consent.pk,
        "invitation": invitation.pk,
    }


def test_every_accounts_object_url_is_covered():
    object_names = {
        name
        for name, pattern in _walk(get_resolver().url_patterns)
        if name.startswith("accounts:")
        and any(isinstance(c, IntConverter) for c in getattr(pattern.pattern, "converters", {}).values())
    }
    assert object_names == set(OBJECT_URLS)


def _state():
    return (
        Membership.objects.count(),
        Consent.objects.filter(withdrawn_at__isnull=True).count(),
        Invitation.objects.filter(revoked_at__isnull=True, accepted_at__isnull=True).count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_another_customer_gets_404(client, customer_a_objects, name):
    customer_b = MembershipFactory(role=Membership.Role.ADMIN).user
    client.force_login(customer_b)
    before = _state()
    url = reverse(name, kwargs=OBJECT_URLS[name](customer_a_objects))
    statuses = {
        client.get(url).status_code,
        client.post(url, {"role": "admin", "email": "b@example.ru"}).status_code,
    }
    # 405 only for the method the view does not take at all; never a page, a redirect or a 403.
    assert statuses <= {404, 405}, (name, statuses)
    assert 404 in statuses, (name, statuses)
    assert _state() == before
