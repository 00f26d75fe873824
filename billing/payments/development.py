"""A payment provider inside the portal, for development and tests: its checkout page (billing.views.payments,
`/billing/dev-checkout/<id>/`) lets you choose success or failure, then delivers the notification the way
YooKassa would and sends you back. Its "API" is the DevProviderPayment table. Never for production: the
checkout page answers 404 unless this is the configured provider.
"""

import json
import secrets

from django.urls import reverse

from billing.models import DevProviderPayment
from billing.payments import NotificationRefused, PaymentProvider, ProviderError, ProviderPayment


def _state(row: DevProviderPayment, url: str = "") -> ProviderPayment:
    return ProviderPayment(id=row.provider_id, status=row.status, amount=row.amount, confirmation_url=url)


class DevelopmentProvider(PaymentProvider):
    name = "development"

    def create(self, *, amount, description, return_url, idempotence_key, metadata):
        row, _created = DevProviderPayment.objects.get_or_create(
            idempotence_key=str(idempotence_key),
            defaults={"provider_id": f"dev-{secrets.token_hex(12)}", "amount": amount,
                      "description": description[:300], "return_url": return_url},
        )  # fmt: skip
        return _state(row, reverse("billing:dev_checkout", args=[row.provider_id]))

    def fetch(self, provider_payment_id):
        row = DevProviderPayment.objects.filter(provider_id=provider_payment_id).first()
        if row is None:
            raise ProviderError(f"no such payment {provider_payment_id!r}")
        return _state(row)

    def notification_payment_id(self, body):
        return notification_payment_id(body)


def notification_body(provider_id: str, status: str) -> bytes:
    event = "payment.succeeded" if status == DevProviderPayment.Status.SUCCEEDED else "payment.canceled"
    return json.dumps(
        {"type": "notification", "event": event, "object": {"id": provider_id, "status": status}}
    ).encode()


def notification_payment_id(body: bytes) -> str:
    """The payment id of a YooKassa-shaped notification: {"type": "notification", "object": {"id": …}}."""
    try:
        data = json.loads(body)
        payment_id = data["object"]["id"]
    except (ValueError, TypeError, KeyError):
        raise NotificationRefused("not a payment notification") from None
    if not isinstance(payment_id, str) or not 0 < len(payment_id) <= 100:
        raise NotificationRefused("bad payment id")
    return payment_id
