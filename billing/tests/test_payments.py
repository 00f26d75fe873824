"""Paying with the development provider: success, failure, a notification delivered twice, a forged one."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from billing.models import DevProviderPayment, OnlinePayment, PaymentEvent
from billing.payments import NotificationRefused
from billing.services import payments as service
from contracts.tests.factories import ContractFactory, bind
from notifications.models import Notification

from .builders import make_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident():
    user = UserFactory()
    contract = ContractFactory()
    bind(contract, user=user)
    make_history(contract, months=2, documents=False)
    return user, contract


def start(client, contract, amount="1620,70"):
    response = client.post(reverse("billing:pay", args=[contract.number]), {"amount": amount})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def notify_url():
    return reverse("billing:notification", args=["development"])


def body(provider_id, event="payment.succeeded"):
    return json.dumps({"type": "notification", "event": event, "object": {"id": provider_id}})


def test_the_form_offers_the_debt_and_refuses_bad_amounts(client, resident):
    user, contract = resident
    client.force_login(user)
    url = reverse("billing:pay", args=[contract.number])
    assert 'value="1620,70"' in client.get(url).content.decode()
    for amount, message in [("", "Обязательное поле"), ("abc", "числом"), ("0", "больше нуля"), ("-5", "больше нуля"),
                            ("10,555", "двух знаков"), ("2000000", "1 000 000"), ("1e5", "числом"), ("NaN", "числом"),
                            ("Infinity", "числом")]:  # fmt: skip
        response = client.post(url, {"amount": amount})
        assert response.status_code == 400, amount
        assert message in response.content.decode(), amount
    assert not OnlinePayment.objects.exists()


def test_success_end_to_end_with_one_receipt(client, resident, django_capture_on_commit_callbacks):
    user, contract = resident
    client.force_login(user)
    checkout = start(client, contract, "1 000,50")
    payment = OnlinePayment.objects.get()
    assert payment.amount == Decimal("1000.50") and payment.status == OnlinePayment.Status.PENDING
    assert checkout == reverse("billing:dev_checkout", args=[payment.provider_payment_id])
    assert "1\xa0000,50" in client.get(checkout).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(checkout, {"outcome": "succeeded"})
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("billing:payment", args=[payment.uuid])
    )
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.SUCCEEDED and payment.finished_at
    page = client.get(reverse("billing:payment", args=[payment.uuid])).content.decode()
    assert 'data-payment-status="succeeded"' in page
    receipts = Notification.objects.filter(event="billing.payment_succeeded", channel="email")
    assert receipts.count() == 1 and "1 000,50" in receipts.get().body_text.replace("\xa0", " ")
    # The notification arrives again (the provider retries): 200, nothing changes, no second receipt.
    for _ in range(2):
        response = client.post(notify_url(), body(payment.provider_payment_id), content_type="application/json")
        assert response.status_code == 200
    assert receipts.count() == 1
    kinds = list(payment.events.values_list("kind", flat=True))
    assert kinds.count(PaymentEvent.Kind.SUCCEEDED) == 1 and kinds.count(PaymentEvent.Kind.REPEATED) == 2


def test_failure(client, resident):
    user, contract = resident
    client.force_login(user)
    checkout = start(client, contract)
    client.post(checkout, {"outcome": "canceled"})
    payment = OnlinePayment.objects.get()
    assert payment.status == OnlinePayment.Status.CANCELLED
    page = client.get(reverse("billing:payment", args=[payment.uuid])).content.decode()
    assert 'data-payment-status="cancelled"' in page
    assert not Notification.objects.filter(event="billing.payment_succeeded").exists()


def test_a_forged_notification_is_refused(client, resident):
    user, contract = resident
    client.force_login(user)
    start(client, contract)
    payment = OnlinePayment.objects.get()
    client.logout()
    # The provider's API still says pending: the notification claiming success is refused and logged.
    response = client.post(notify_url(), body(payment.provider_payment_id), content_type="application/json")
    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.PENDING
    assert payment.events.filter(kind=PaymentEvent.Kind.REFUSED).exists()
    # An unknown payment, junk, the wrong provider.
    assert client.post(notify_url(), body("dev-unknown"), content_type="application/json").status_code == 400
    assert client.post(notify_url(), "not json", content_type="application/json").status_code == 400
    other = reverse("billing:notification", args=["yookassa"])
    assert client.post(other, body(payment.provider_payment_id), content_type="application/json").status_code == 400
    # A changed amount at the "provider" (a tampered API answer) is refused too.
    DevProviderPayment.objects.update(status="succeeded", amount=Decimal("1.00"))
    with pytest.raises(NotificationRefused):
        service.payment_notification(provider_name="development", body=body(payment.provider_payment_id).encode())
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.PENDING


def test_the_same_payment_is_never_confirmed_twice(resident, django_capture_on_commit_callbacks):
    user, contract = resident
    payment = service.payment_start(user=user, number=contract.number, amount=Decimal("5.00"),
                                    return_url_for=lambda p: "http://testserver/")  # fmt: skip
    DevProviderPayment.objects.update(status="succeeded")
    notification = body(payment.provider_payment_id).encode()
    outcomes = [service.payment_notification(provider_name="development", body=notification).result for _ in range(3)]
    assert outcomes == ["succeeded", "repeated", "repeated"]
    assert Notification.objects.filter(event="billing.payment_succeeded").values("dedup_key").distinct().count() == 1


def test_someone_elses_payment_page_is_404(client, resident):
    user, contract = resident
    client.force_login(user)
    start(client, contract)
    payment = OnlinePayment.objects.get()
    client.force_login(UserFactory())
    assert client.get(reverse("billing:payment", args=[payment.uuid])).status_code == 404
    client.logout()
    assert client.get(reverse("billing:payment", args=[payment.uuid])).status_code == 302


def test_without_a_provider_the_page_says_so(client, resident, settings):
    settings.PAYMENTS_PROVIDER = ""
    user, contract = resident
    client.force_login(user)
    page = client.get(reverse("billing:contract", args=[contract.number])).content.decode()
    assert "data-pay-button" not in page and "Онлайн-оплата сейчас недоступна" in page
    assert client.post(reverse("billing:pay", args=[contract.number]), {"amount": "5"}).status_code == 200
    assert not OnlinePayment.objects.exists()
    # The development checkout is not reachable when it is not the configured provider.
    assert client.get(reverse("billing:dev_checkout", args=["dev-x"])).status_code == 404


def test_the_development_checkout_ends_a_payment_once(client, resident, django_capture_on_commit_callbacks):
    user, contract = resident
    client.force_login(user)
    checkout = start(client, contract, "10")
    payment = OnlinePayment.objects.get()
    answer = client.post(checkout, {"outcome": "maybe"})
    assert answer.status_code == 200 and "Выберите исход оплаты." in answer.content.decode()
    assert DevProviderPayment.objects.get().status == DevProviderPayment.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(checkout, {"outcome": "canceled"}).status_code == 302
    # A second answer (a second tab) changes nothing: the payment stays cancelled, the choice is refused.
    again = client.post(checkout, {"outcome": "succeeded"}, follow=True)
    assert again.status_code == 200 and "Эта оплата уже завершена." in again.content.decode()
    assert "Выберите исход оплаты." not in again.content.decode()
    assert DevProviderPayment.objects.get().status == DevProviderPayment.Status.CANCELED
    payment.refresh_from_db()
    assert payment.status == OnlinePayment.Status.CANCELLED
    assert not Notification.objects.filter(event="billing.payment_succeeded").exists()
