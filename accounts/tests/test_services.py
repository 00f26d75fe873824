from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import Consent, Invitation, Membership
from accounts.tests.conftest import last_link
from accounts.tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "http://testserver/"


def _invite(admin, email="colleague@example.ru", role="member", now=None):
    services.invitation_send(
        actor=admin.user, organisation_id=admin.organisation_id, email=email, role=role, site_url=SITE, now=now
    )
    return last_link(r"/accounts/invitations/(?P<token>[^/\s]+)/")[1]


def test_invitation_accepted_twice_joins_once(org_admin):
    token = _invite(org_admin)
    colleague = UserFactory(email="colleague@example.ru")
    services.invitation_accept(user=colleague, raw_token=token)
    with pytest.raises(ValidationError):
        services.invitation_accept(user=colleague, raw_token=token)
    assert Membership.objects.filter(user=colleague).count() == 1


def test_invitation_expires(org_admin, settings):
    now = timezone.now()
    token = _invite(org_admin, now=now)
    colleague = UserFactory(email="colleague@example.ru")
    later = now + timedelta(seconds=settings.ACCOUNTS_INVITATION_MAX_AGE)
    with pytest.raises(ValidationError):
        services.invitation_accept(user=colleague, raw_token=token, now=later)
    services.invitation_accept(user=colleague, raw_token=token, now=later - timedelta(seconds=1))


def test_unknown_token_is_not_found():
    with pytest.raises(Invitation.DoesNotExist):
        services.invitation_accept(user=UserFactory(), raw_token="no-such-token")


def test_only_administrators_invite(org_admin):
    member = MembershipFactory(organisation=org_admin.organisation)
    with pytest.raises(PermissionDenied):
        services.invitation_send(
            actor=member.user,
            organisation_id=member.organisation_id,
            email="x@example.ru",
            role="member",
            site_url=SITE,
        )
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_unknown_role_is_refused(org_admin):
    with pytest.raises(ValidationError):
        _invite(org_admin, role="owner")
    member = MembershipFactory(organisation=org_admin.organisation)
    with pytest.raises(ValidationError):
        services.membership_set_role(
            actor=org_admin.user, organisation_id=org_admin.organisation_id, membership_id=member.pk, role="owner"
        )


def test_two_administrators_can_each_leave_only_while_the_other_stays(org_admin):
    second = MembershipFactory(organisation=org_admin.organisation, role=Membership.Role.ADMIN)
    services.membership_leave(user=second.user, organisation_id=org_admin.organisation_id)
    with pytest.raises(ValidationError):
        services.membership_leave(user=org_admin.user, organisation_id=org_admin.organisation_id)


def test_consent_given_twice_is_one_consent(resident, consent_document):
    first = Consent.objects.get(user=resident)
    assert services.consent_give(user=resident, document=consent_document, ip_address="203.0.113.5") == first
    assert Consent.objects.filter(user=resident).count() == 1


def test_withdrawing_twice_is_refused(resident):
    consent = Consent.objects.get(user=resident)
    services.consent_withdraw(user=resident, consent_id=consent.pk)
    with pytest.raises(ValidationError):
        services.consent_withdraw(user=resident, consent_id=consent.pk)


def test_someone_elses_consent_cannot_be_withdrawn(resident):
    consent = Consent.objects.get(user=resident)
    with pytest.raises(Consent.DoesNotExist):
        services.consent_withdraw(user=UserFactory(), consent_id=consent.pk)


def test_mail_failure_does_not_lose_the_registration(consent_document, settings):
    settings.EMAIL_BACKEND = "accounts.tests.test_services.BrokenBackend"
    user = services.register_resident(
        email="smtp.down@example.ru",
        password="Ясное-утро-над-рекой-7",
        last_name="Тестова",
        first_name="Вера",
        consent_document=consent_document,
        ip_address=None,
        site_url=SITE,
    )
    assert user.pk is not None  # and the person can ask for the letter again


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP is down")
