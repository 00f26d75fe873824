"""What an invited employee without an account is told to do."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Invitation
from accounts.services import invitation_token_hash
from accounts.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_an_invited_employee_is_asked_for_an_employee_account_not_to_register_as_a_resident(client):
    Invitation.objects.create(
        organisation=OrganisationFactory(), email="new.hire@example.ru", token=invitation_token_hash("raw-token"),
        expires_at=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    html = client.get("/accounts/invitations/raw-token/").content.decode()
    assert "физическое лицо" not in html
    assert "учётную запись сотрудника" in html
    assert "организацию регистрировать заново не нужно" in html
