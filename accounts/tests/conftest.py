import re

import pytest
from django.core import mail
from django.core.cache import cache

from accounts import selectors, services
from accounts.models import Membership
from accounts.tests.factories import DEFAULT_PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

SITE = "http://testserver/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # django-ratelimit counts in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def consent_document(db):
    return selectors.current_consent_document()


@pytest.fixture
def resident(consent_document):
    """A confirmed resident, built through the services like a real one."""
    user = services.register_resident(
        email="anna@example.ru",
        password=DEFAULT_PASSWORD,
        last_name="Смирнова",
        first_name="Анна",
        phone="+79161234567",
        consent_document=consent_document,
        ip_address="192.0.2.1",
        site_url=SITE,
    )
    _, token = last_link(r"/accounts/email/confirm/(?P<token>[^/]+)/")
    services.email_confirm(token=token)
    mail.outbox.clear()
    user.refresh_from_db()
    return user


@pytest.fixture
def org_admin(db):
    return MembershipFactory(role=Membership.Role.ADMIN)


@pytest.fixture
def other_customer(db):
    """Customer B: an administrator of another organisation."""
    return MembershipFactory(role=Membership.Role.ADMIN, organisation=OrganisationFactory())


@pytest.fixture
def make_user(db):
    return UserFactory


def last_link(pattern):
    """The path and the named token of the last matching link in the outbox."""
    for message in reversed(mail.outbox):
        match = re.search(r"https?://[^/\s]+(" + pattern + ")", message.body)
        if match:
            return match.group(1), match.group("token")
    raise AssertionError(f"no link matching {pattern} in {len(mail.outbox)} messages")
