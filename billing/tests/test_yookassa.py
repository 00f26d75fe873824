"""The YooKassa backend on recorded API answers at the HTTP layer (`responses`): never the internet."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
import responses
from django.urls import reverse

from accounts.tests.factories import UserFactory
from billing.models import OnlinePayment, PaymentEvent
from billing.services import payments as service
from contracts.tests.factories import ContractFactory, bind
from notifications.models import Notification

pytestmark = pytest.mark.django_db

ANSWERS = Path(__file__).resolve().parent / "yookassa_answers"
API = "https://api.yookassa.ru/v3/payments"
PAYMENT_ID = "2d5ed2a5-000f-5000-9000-1c1d6a7e8b9c"


def answer(name):
    return json.loads((ANSWERS / name).read_text())


@pytest.fixture(autouse=True)
def _yookassa(settings):
    settings.PAYMENTS_PROVIDER = "billing.payments.yookassa.YooKassaProvider"
    settings.YOOKASSA_SHOP_ID = "100500"
    settings.YOOKASSA_SECRET_KEY = "test_secret"


@pytest.fixture
def mocked():
    # Any request not recorded here fails the test: nothing reaches the internet.
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def resident():
    user = UserFactory()
    contract = ContractFactory()
    bind(contract, user=user)
    return user, contract


def test_creation_sends_the_idempotence_key_and_redirects(client, resident, mocked):
    user, contract = resident
    mocked.add(responses.POST, API, json=answer("created.json"))
    client.force_login(user)
    response = client.post(reverse("billing:pay", args=[contract.number]), {"amount": "1620,70"})
    assert response.status_code == 302
    assert response["Location"].startswith("https://yoomoney.ru/checkout/")
    payment = OnlinePayment.objects.get()
    assert payment.provider == "yookassa" and payment.provider_payment_id == PAYMENT_ID
    request = mocked.calls[0].request
    assert request.headers["Idempotence-Key"] == str(payment.idempotence_key)
    assert request.headers["Authorization"].startswith("Basic ")
    sent = json.loads(request.body)
    assert sent["amount"] == {"value": "1620.70", "currency": "RUB"}
    assert sent["capture"] is True and sent["confirmation"]["type"] == "redirect"
    assert sent["confirmation"]["return_url"].endswith(reverse("billing:payment", args=[payment.uuid]))


def test_the_pay_page_lets_its_form_go_to_yookassa(client, resident):
    user, contract = resident
    client.force_login(user)
    policy = client.get(reverse("billing:pay", args=[contract.number]))["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if "form-action" in part)
    assert "'self'" in form_action and "https://yoomoney.ru" in form_action


def make_payment(resident, mocked):
    user, contract = resident
    mocked.add(responses.POST, API, json=answer("created.json"))
    return service.payment_start(user=user, number=contract.number, amount=Decimal("1620.70"),
                                 return_url_for=lambda p: "https://lk.example.ru/")  # fmt: skip


def test_a_notification_is_checked_against_the_api_and_applied_once(client, resident, mocked,
                                                                     django_capture_on_commit_callbacks):  # fmt: skip
    payment = make_payment(resident, mocked)
    mocked.add(responses.GET, f"{API}/{PAYMENT_ID}", json=answer("succeeded.json"))
    url = reverse("billing:notification", args=["yookassa"])
    body = (ANSWERS / "notification_succeeded.json").read_text()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, body, content_type="application/json").status_code == 200
        assert client.post(url, body, content_type="application/json").status_code == 200
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.SUCCEEDED
    assert Notification.objects.filter(event="billing.payment_succeeded", channel="email").count() == 1
    # The API was asked once: the second notification found the payment finished.
    assert [c.request.method for c in mocked.calls] == ["POST", "GET"]


def test_a_notification_the_api_does_not_confirm_is_refused(client, resident, mocked):
    payment = make_payment(resident, mocked)
    mocked.add(responses.GET, f"{API}/{PAYMENT_ID}", json=answer("pending.json"))
    url = reverse("billing:notification", args=["yookassa"])
    body = (ANSWERS / "notification_succeeded.json").read_text()
    assert client.post(url, body, content_type="application/json").status_code == 400
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.PENDING
    assert payment.events.filter(kind=PaymentEvent.Kind.REFUSED).exists()


def test_an_api_error_on_the_notification_is_refused(client, resident, mocked):
    payment = make_payment(resident, mocked)
    mocked.add(responses.GET, f"{API}/{PAYMENT_ID}", json=answer("error_invalid_credentials.json"), status=401)
    url = reverse("billing:notification", args=["yookassa"])
    body = (ANSWERS / "notification_succeeded.json").read_text()
    assert client.post(url, body, content_type="application/json").status_code == 400
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.PENDING


def test_creation_refused_by_the_api_tells_the_customer(client, resident, mocked):
    user, contract = resident
    mocked.add(responses.POST, API, json=answer("error_invalid_credentials.json"), status=401)
    client.force_login(user)
    response = client.post(reverse("billing:pay", args=[contract.number]), {"amount": "100"})
    assert response.status_code == 503
    assert "Платёжный сервис сейчас не отвечает" in response.content.decode()
    assert OnlinePayment.objects.get().status == OnlinePayment.Status.CANCELLED


def test_the_return_page_asks_the_api(client, resident, mocked):
    user, _contract = resident
    payment = make_payment(resident, mocked)
    mocked.add(responses.GET, f"{API}/{PAYMENT_ID}", json=answer("succeeded.json"))
    client.force_login(user)
    page = client.get(reverse("billing:payment", args=[payment.uuid])).content.decode()
    assert 'data-payment-status="succeeded"' in page
