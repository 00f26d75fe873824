"""The admin's import page takes billing's entities too: the columns are listed, a documents ZIP loads."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import roles
from accounts.tests.factories import StaffFactory
from billing.models import Charge, Document

from .builders import EXAMPLES, load_contract_examples

pytestmark = pytest.mark.django_db
IMPORT_URL = "admin:contracts_contract_import"


@pytest.fixture
def administrator_client(client):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=roles.ADMINISTRATORS))
    client.force_login(user)
    return client


def test_the_page_lists_billing_entities_and_loads_a_documents_archive(administrator_client):
    load_contract_examples()
    page = administrator_client.get(reverse(IMPORT_URL)).content.decode()
    for entity in ("charges", "payments", "balances", "documents"):
        assert f"--entity {entity}" in page
    assert "manifest.csv" in page
    data = (EXAMPLES / "documents.zip").read_bytes()
    response = administrator_client.post(reverse(IMPORT_URL), {"file": SimpleUploadedFile("documents.zip", data)})
    assert response.status_code == 200 and Document.objects.count() == 3
    data = (EXAMPLES / "charges.csv").read_bytes()
    response = administrator_client.post(reverse(IMPORT_URL), {"file": SimpleUploadedFile("charges.csv", data),
                                                               "entity": "charges"})  # fmt: skip
    assert response.status_code == 200 and Charge.objects.count() == 4


def test_a_zip_named_csv_is_refused(administrator_client):
    data = (EXAMPLES / "documents.zip").read_bytes()
    response = administrator_client.post(reverse(IMPORT_URL), {"file": SimpleUploadedFile("documents.csv", data)})
    assert "не соответствует его содержимому" in response.content.decode()
    assert not Document.objects.exists()
