import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Membership
from accounts.tests.conftest import last_link
from accounts.tests.factories import DEFAULT_PASSWORD, MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

INVITE_LINK = r"/accounts/invitations/(?P<token>[^/\s]+)/"


def org_url(name, membership, **kwargs):
    return reverse(f"accounts:{name}", kwargs={"pk": membership.organisation_id, **kwargs})


def invite(client, admin, email="colleague@example.ru", role=Membership.Role.MEMBER):
    client.force_login(admin.user)
    return client.post(org_url("organisation_invite", admin), {"email": email, "role": role})


class TestInvitations:
    def test_admin_invites_and_the_colleague_accepts_by_link(self, client, org_admin):
        colleague = UserFactory(email="colleague@example.ru")
        response = invite(client, org_admin, email="Colleague@Example.ru", role=Membership.Role.ADMIN)
        assert response["Location"] == org_url("organisation", org_admin)
        assert mail.outbox[-1].to == ["colleague@example.ru"]
        # Customer-supplied text never reaches a subject: the name is in the body only.
        assert org_admin.organisation.name not in mail.outbox[-1].subject
        assert org_admin.organisation.name in mail.outbox[-1].body
        path, token = last_link(INVITE_LINK)
        invitation = Invitation.objects.get()
        assert invitation.token != token  # only a hash is stored

        client.force_login(colleague)
        page = client.get(path)
        assert "Принять приглашение" in page.content.decode()
        response = client.post(path)
        assert response["Location"] == org_url("organisation", org_admin)
        membership = Membership.objects.get(user=colleague)
        assert membership.role == Membership.Role.ADMIN
        # Single use.
        assert client.get(path).status_code == 404

    def test_anonymous_visitor_is_offered_login_and_registration(self, client, org_admin):
        invite(client, org_admin)
        path, _ = last_link(INVITE_LINK)
        client.logout()
        content = client.get(path).content.decode()
        assert reverse("accounts:login") + "?next=" in content
        assert reverse("accounts:register_resident") + "?email=colleague%40example.ru" in content
        assert client.post(path)["Location"].startswith(reverse("accounts:login"))

    def test_a_new_person_registers_and_accepts_from_the_cabinet(self, client, org_admin, consent_document):
        invite(client, org_admin)
        client.logout()
        user = services.register_resident(
            email="colleague@example.ru",
            password=DEFAULT_PASSWORD,
            last_name="Коллегова",
            first_name="Вера",
            consent_document=consent_document,
            ip_address=None,
            site_url="http://testserver/",
        )
        _, token = last_link(r"/accounts/email/confirm/(?P<token>[^/\s]+)/")
        services.email_confirm(token=token)
        client.force_login(user)
        cabinet = client.get(reverse("cabinet")).content.decode()
        assert "Вас пригласили" in cabinet
        invitation = Invitation.objects.get()
        response = client.post(reverse("accounts:invitation_accept_mine", kwargs={"pk": invitation.pk}))
        assert response["Location"] == org_url("organisation", org_admin)
        assert Membership.objects.filter(user=user, organisation=org_admin.organisation).exists()

    def test_someone_else_cannot_use_a_forwarded_link(self, client, org_admin):
        invite(client, org_admin)
        path, _ = last_link(INVITE_LINK)
        stranger = UserFactory(email="stranger@example.ru")
        client.force_login(stranger)
        assert "Вы вошли с другой почтой" in client.get(path).content.decode()
        client.post(path)
        assert not Membership.objects.filter(user=stranger).exists()
        invitation = Invitation.objects.get()
        other = client.post(reverse("accounts:invitation_accept_mine", kwargs={"pk": invitation.pk}))
        assert other.status_code == 404
        assert not Membership.objects.filter(user=stranger).exists()

    def test_expired_and_revoked_invitations_do_not_work(self, client, org_admin):
        invite(client, org_admin, email="late@example.ru")
        late_path, _ = last_link(INVITE_LINK)
        Invitation.objects.filter(email="late@example.ru").update(expires_at=timezone.now())
        invite(client, org_admin, email="revoked@example.ru")
        revoked_path, _ = last_link(INVITE_LINK)
        revoked = Invitation.objects.get(email="revoked@example.ru")
        client.post(org_url("organisation_invitation_revoke", org_admin, invitation_pk=revoked.pk))
        for path, email in ((late_path, "late@example.ru"), (revoked_path, "revoked@example.ru")):
            client.force_login(UserFactory(email=email))
            assert client.get(path).status_code == 404
            client.post(path)
        assert Membership.objects.count() == 1

    def test_a_second_invitation_replaces_the_first(self, client, org_admin):
        invite(client, org_admin)
        first_path, _ = last_link(INVITE_LINK)
        invite(client, org_admin)
        client.force_login(UserFactory(email="colleague@example.ru"))
        assert client.get(first_path).status_code == 404

    def test_inviting_a_current_member_is_explained(self, client, org_admin):
        MembershipFactory(organisation=org_admin.organisation, user=UserFactory(email="here@example.ru"))
        response = invite(client, org_admin, email="HERE@example.ru")
        assert "уже сотрудник" in response.content.decode()
        assert Invitation.objects.count() == 0

    def test_members_cannot_invite(self, client, org_admin):
        member = MembershipFactory(organisation=org_admin.organisation)
        client.force_login(member.user)
        response = client.post(org_url("organisation_invite", org_admin), {"email": "x@example.ru", "role": "member"})
        assert response.status_code == 404
        assert Invitation.objects.count() == 0


class TestMembers:
    def test_removal_cuts_access_at_once_even_with_an_open_session(self, client, org_admin):
        member = MembershipFactory(organisation=org_admin.organisation)
        member_client = type(client)()
        member_client.force_login(member.user)
        assert member_client.get(org_url("organisation", org_admin)).status_code == 200

        client.force_login(org_admin.user)
        response = client.post(org_url("organisation_member_remove", org_admin, membership_pk=member.pk))
        assert response["Location"] == org_url("organisation", org_admin)
        assert not Membership.objects.filter(pk=member.pk).exists()

        # The same session, its next request.
        assert member_client.get(org_url("organisation", org_admin)).status_code == 404
        assert org_admin.organisation.name not in member_client.get(reverse("cabinet")).content.decode()

    def test_role_change_takes_effect_at_once(self, client, org_admin):
        member = MembershipFactory(organisation=org_admin.organisation)
        member_client = type(client)()
        member_client.force_login(member.user)
        assert member_client.get(org_url("organisation_invite", org_admin)).status_code == 404
        client.force_login(org_admin.user)
        client.post(org_url("organisation_member_role", org_admin, membership_pk=member.pk), {"role": "admin"})
        assert member_client.get(org_url("organisation_invite", org_admin)).status_code == 200
        client.post(org_url("organisation_member_role", org_admin, membership_pk=member.pk), {"role": "member"})
        assert member_client.get(org_url("organisation_invite", org_admin)).status_code == 404

    def test_the_last_administrator_cannot_be_demoted_removed_or_leave(self, client, org_admin):
        client.force_login(org_admin.user)
        for response in (
            client.post(org_url("organisation_member_role", org_admin, membership_pk=org_admin.pk), {"role": "member"}),
            client.post(org_url("organisation_member_remove", org_admin, membership_pk=org_admin.pk)),
            client.post(org_url("organisation_leave", org_admin)),
        ):
            assert response["Location"] == org_url("organisation", org_admin)
        page = client.get(org_url("organisation", org_admin))
        assert "хотя бы один администратор" in page.content.decode()
        org_admin.refresh_from_db()
        assert org_admin.role == Membership.Role.ADMIN

    def test_a_member_leaves(self, client, org_admin):
        member = MembershipFactory(organisation=org_admin.organisation)
        client.force_login(member.user)
        assert "Выйти из организации" in client.get(org_url("organisation_leave", org_admin)).content.decode()
        assert client.post(org_url("organisation_leave", org_admin))["Location"] == reverse("cabinet")
        assert not Membership.objects.filter(pk=member.pk).exists()
        assert client.get(org_url("organisation", org_admin)).status_code == 404

    def test_an_administrator_leaves_when_another_remains(self, client, org_admin):
        MembershipFactory(organisation=org_admin.organisation, role=Membership.Role.ADMIN)
        client.force_login(org_admin.user)
        client.post(org_url("organisation_leave", org_admin))
        assert not Membership.objects.filter(pk=org_admin.pk).exists()

    def test_members_cannot_manage(self, client, org_admin):
        member = MembershipFactory(organisation=org_admin.organisation)
        client.force_login(member.user)
        assert (
            client.post(org_url("organisation_member_remove", org_admin, membership_pk=org_admin.pk)).status_code == 404
        )
        assert (
            client.post(
                org_url("organisation_member_role", org_admin, membership_pk=member.pk), {"role": "admin"}
            ).status_code
            == 404
        )
        member.refresh_from_db()
        assert member.role == Membership.Role.MEMBER
        assert Membership.objects.filter(pk=org_admin.pk).exists()


def test_another_organisations_pages_are_404(client, org_admin, other_customer):
    invitation = services.invitation_send(
        actor=other_customer.user,
        organisation_id=other_customer.organisation_id,
        email="x@example.ru",
        role="member",
        site_url="http://testserver/",
    )
    client.force_login(org_admin.user)
    pk, mpk = other_customer.organisation_id, other_customer.pk
    for name, kwargs, method in [
        ("organisation", {"pk": pk}, "get"),
        ("organisation_invite", {"pk": pk}, "get"),
        ("organisation_invite", {"pk": pk}, "post"),
        ("organisation_leave", {"pk": pk}, "get"),
        ("organisation_leave", {"pk": pk}, "post"),
        ("organisation_member_role", {"pk": pk, "membership_pk": mpk}, "post"),
        ("organisation_member_remove", {"pk": pk, "membership_pk": mpk}, "post"),
        ("organisation_invitation_revoke", {"pk": pk, "invitation_pk": invitation.pk}, "post"),
        # Own organisation in the URL, the other's member or invitation in it: still 404.
        ("organisation_member_role", {"pk": org_admin.organisation_id, "membership_pk": mpk}, "post"),
        ("organisation_member_remove", {"pk": org_admin.organisation_id, "membership_pk": mpk}, "post"),
    ]:
        response = getattr(client, method)(reverse(f"accounts:{name}", kwargs=kwargs), {"role": "member"})
        assert response.status_code == 404, name
    assert Membership.objects.filter(pk=mpk).exists()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_staff_without_membership_get_404_too(client, org_admin):
    client.force_login(StaffFactory())
    assert client.get(org_url("organisation", org_admin)).status_code == 404


def test_member_list_runs_a_constant_number_of_queries(client, org_admin, django_assert_max_num_queries):
    client.force_login(org_admin.user)
    client.get(org_url("organisation", org_admin))  # warm up the session
    for _ in range(3):
        MembershipFactory(organisation=org_admin.organisation)
    with django_assert_max_num_queries(12) as few:
        client.get(org_url("organisation", org_admin))
    for _ in range(20):
        MembershipFactory(organisation=org_admin.organisation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(org_url("organisation", org_admin)).status_code == 200


class TestInvitationLimits:
    def test_an_organisation_sends_at_most_the_daily_limit(self, client, org_admin, settings):
        settings.ACCOUNTS_INVITATIONS_PER_DAY = 3
        for n in range(3):
            assert invite(client, org_admin, email=f"c{n}@example.ru").status_code == 302
        mail.outbox.clear()
        response = invite(client, org_admin, email="c9@example.ru")
        assert response.status_code == 200
        assert "не больше 3 приглашений" in response.content.decode()
        assert mail.outbox == []
        assert Invitation.objects.count() == 3

    def test_the_limit_is_per_organisation_and_per_day(self, client, org_admin, other_customer, settings):
        settings.ACCOUNTS_INVITATIONS_PER_DAY = 1
        assert invite(client, org_admin, email="a@example.ru").status_code == 302
        assert invite(client, other_customer, email="b@example.ru").status_code == 302  # another organisation
        assert invite(client, org_admin, email="c@example.ru").status_code == 200
        Invitation.objects.update(created_at=timezone.now() - timezone.timedelta(days=1, minutes=1))
        assert invite(client, org_admin, email="c@example.ru").status_code == 302  # a day later

    def test_revoked_invitations_still_count(self, client, org_admin, settings):
        settings.ACCOUNTS_INVITATIONS_PER_DAY = 2
        invite(client, org_admin, email="a@example.ru")
        invite(client, org_admin, email="a@example.ru")  # replaces (revokes) the first
        assert invite(client, org_admin, email="b@example.ru").status_code == 200


def test_no_accounts_email_carries_customer_text_in_its_subject(client, org_admin, consent_document):
    """Every mail accounts sends: the subject is fixed text and the company's name, nothing a customer typed."""
    from django.conf import settings

    lure = "ЗадолженностьОплатите"
    org_admin.organisation.name = f"ООО «{lure}»"
    org_admin.organisation.save()
    user = org_admin.user
    user.last_name = user.first_name = lure
    user.save()
    invite(client, org_admin, email="colleague@example.ru")
    client.post(reverse("accounts:email_change"), {"email": "new@example.ru", "password": DEFAULT_PASSWORD})
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    services.register_resident(
        email="fresh@example.ru", password=DEFAULT_PASSWORD, last_name=lure, first_name=lure,
        consent_document=consent_document, ip_address=None, site_url="http://testserver/",
    )  # fmt: skip
    assert len(mail.outbox) >= 4
    for message in mail.outbox:
        assert lure not in message.subject
        assert message.subject.endswith(settings.PORTAL_COMPANY_NAME)
