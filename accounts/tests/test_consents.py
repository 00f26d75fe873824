import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts import selectors, services
from accounts.models import ClosureRequest, Consent, Membership, User
from accounts.tests.factories import MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")


def test_consents_page_lists_the_users_consents_only(client, resident, make_user, consent_document):
    other = make_user()
    services.consent_give(user=other, document=consent_document, ip_address="198.51.100.7")
    client.force_login(resident)
    content = client.get(reverse("accounts:consents")).content.decode()
    assert "192.0.2.1" in content
    assert "198.51.100.7" not in content
    assert consent_document.title in content


def test_withdrawal_opens_a_closure_request_due_in_30_days(client, resident):
    consent = Consent.objects.get(user=resident)
    client.force_login(resident)
    url = reverse("accounts:consent_withdraw", kwargs={"pk": consent.pk})
    assert "Отозвать согласие" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "Согласие отозвано" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    closure = ClosureRequest.objects.get()
    assert (closure.user, closure.consent, closure.status) == (resident, consent, ClosureRequest.Status.OPEN)
    # Withdrawing twice does not open a second request.
    client.post(url)
    assert ClosureRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("withdrawn", "due_day"),
    [
        # The 30th day, a Wednesday.
        (datetime(2026, 3, 3, 10, 0, tzinfo=MOSCOW), "2026-04-02"),
        # Late in the evening still counts from the next day (Civil Code ст. 191).
        (datetime(2026, 3, 3, 23, 30, tzinfo=MOSCOW), "2026-04-02"),
        # The 30th day is Sunday 1 March: the term ends on Monday 2 March (Civil Code ст. 193).
        (datetime(2026, 1, 30, 12, 0, tzinfo=MOSCOW), "2026-03-02"),
    ],
)
def test_closure_is_due_by_the_shared_rule(withdrawn, due_day):
    due = services.closure_due_at(withdrawn).astimezone(MOSCOW)
    assert due.date().isoformat() == due_day
    assert (due.hour, due.minute) == (23, 59)


def test_closure_due_date_without_a_rule_is_the_statutory_30_days(caplog):
    from deadlines.models import DeadlineRule

    DeadlineRule.objects.filter(code="pd.consent_withdrawal").update(is_active=False)
    due = services.closure_due_at(datetime(2026, 1, 30, 12, 0, tzinfo=MOSCOW)).astimezone(MOSCOW)
    assert due.date().isoformat() == "2026-03-01"
    assert "pd.consent_withdrawal" in caplog.text


def test_another_users_consent_is_404(client, resident, make_user):
    client.force_login(make_user())
    consent = Consent.objects.get(user=resident)
    url = reverse("accounts:consent_withdraw", kwargs={"pk": consent.pk})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_give_consent_again_after_withdrawal(client, resident, consent_document):
    consent = Consent.objects.get(user=resident)
    services.consent_withdraw(user=resident, consent_id=consent.pk)
    client.force_login(resident)
    assert "Дать согласие" in client.get(reverse("accounts:consents")).content.decode()
    client.post(reverse("accounts:consent_give"))
    assert selectors.has_active_consent(resident, consent_document)
    assert Consent.objects.filter(user=resident).count() == 2


def test_personal_data_export(client, resident, make_user):
    MembershipFactory(user=resident, role=Membership.Role.ADMIN)
    make_user(email="someone.else@example.ru")
    client.force_login(resident)
    response = client.get(reverse("accounts:personal_data_export"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert set(data) >= {"exported_at", "profile", "memberships", "consents"}
    assert data["profile"]["email"] == "anna@example.ru"
    assert data["profile"]["last_name"] == "Смирнова"
    assert data["profile"]["phone"] == "+79161234567"
    assert "password" not in json.dumps(data)
    assert data["memberships"][0]["role"] == "admin"
    assert data["consents"][0]["version"] == "1"
    assert data["consents"][0]["ip_address"] == "192.0.2.1"
    assert "someone.else" not in response.content.decode()


def test_export_sections_can_be_added_by_other_apps(resident, monkeypatch):
    monkeypatch.setattr(selectors, "_PERSONAL_DATA_SECTIONS", dict(selectors._PERSONAL_DATA_SECTIONS))
    selectors.register_personal_data_section("appeals", lambda user: [{"number": "2026-000001"}])
    assert selectors.personal_data_export(resident)["appeals"] == [{"number": "2026-000001"}]


def test_consent_document_pages_are_public(client, consent_document):
    for url in (reverse("accounts:consent_current"), reverse("accounts:consent_document", kwargs={"version": "1"})):
        content = client.get(url).content.decode()
        assert "152-ФЗ" in content
        assert "отозвать согласие" in content
    assert client.get(reverse("accounts:consent_document", kwargs={"version": "99"})).status_code == 404


class TestClosureAdmin:
    def _withdrawn(self, resident):
        consent = Consent.objects.get(user=resident)
        return services.consent_withdraw(user=resident, consent_id=consent.pk)

    def test_done_closes_the_account(self, client, resident):
        closure = self._withdrawn(resident)
        MembershipFactory(user=resident)
        client.force_login(StaffFactory(is_superuser=True))
        url = reverse("admin:accounts_closurerequest_changelist")
        response = client.post(url, {"action": "mark_done", "_selected_action": [closure.pk]})
        assert response.status_code == 302
        closure.refresh_from_db()
        assert closure.status == ClosureRequest.Status.DONE
        assert closure.resolved_by is not None
        resident.refresh_from_db()
        assert not resident.is_active
        assert not Membership.objects.filter(user=resident).exists()

    def test_rejected_keeps_the_account(self, client, resident):
        closure = self._withdrawn(resident)
        client.force_login(StaffFactory(is_superuser=True))
        client.post(
            reverse("admin:accounts_closurerequest_changelist"),
            {"action": "mark_rejected", "_selected_action": [closure.pk]},
        )
        closure.refresh_from_db()
        assert closure.status == ClosureRequest.Status.REJECTED
        assert User.objects.get(pk=resident.pk).is_active

    def test_a_closed_request_is_not_resolved_twice(self, resident):
        closure = self._withdrawn(resident)
        staff = UserFactory(is_staff=True)
        services.closure_request_resolve(closure_request_id=closure.pk, staff_user=staff, status="rejected")
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            services.closure_request_resolve(closure_request_id=closure.pk, staff_user=staff, status="done")
