"""YooKassa through its official SDK (`yookassa`): payment creation with an idempotence key and a redirect
confirmation, fetching a payment back (the only thing a notification is checked against), and reading a
notification far enough to name its payment.

Settings: YOOKASSA_SHOP_ID, YOOKASSA_SECRET_KEY; the notification URL to give YooKassa is
`SITE_URL/billing/payments/notifications/yookassa/`. Tests answer the API from recorded responses at the
HTTP layer (`responses`), never the internet.
"""

import logging
from decimal import Decimal, InvalidOperation

from django.conf import settings

from billing.payments import PaymentProvider, ProviderError, ProviderPayment
from billing.payments.development import notification_payment_id

logger = logging.getLogger(__name__)


class YooKassaProvider(PaymentProvider):
    name = "yookassa"
    checkout_origins = ("https://yoomoney.ru",)

    def __init__(self):
        from yookassa import Configuration

        shop_id, secret = getattr(settings, "YOOKASSA_SHOP_ID", ""), getattr(settings, "YOOKASSA_SECRET_KEY", "")
        if not shop_id or not secret:
            raise ProviderError("YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY are required")
        # The SDK keeps its configuration in class attributes: set it for every use (one shop per deployment).
        Configuration.configure(shop_id, secret, max_attempts=2)

    def create(self, *, amount, description, return_url, idempotence_key, metadata):
        from yookassa import Payment

        params = {
            "amount": {"value": f"{amount:.2f}", "currency": "RUB"},
            "capture": True,
            "confirmation": {"type": "redirect", "return_url": return_url},
            "description": description[:128],
            "metadata": {k: str(v) for k, v in metadata.items()},
        }
        return self._call(lambda: Payment.create(params, str(idempotence_key)))

    def fetch(self, provider_payment_id):
        from yookassa import Payment

        return self._call(lambda: Payment.find_one(provider_payment_id))

    def notification_payment_id(self, body):
        return notification_payment_id(body)

    def _call(self, request) -> ProviderPayment:
        try:
            response = request()
        except Exception as error:
            logger.warning("YooKassa request failed: %r", error)
            raise ProviderError(str(error)) from error
        try:
            amount = Decimal(str(response.amount.value))
            confirmation = getattr(response, "confirmation", None)
            return ProviderPayment(
                id=response.id,
                status=response.status,
                amount=amount,
                currency=response.amount.currency,
                confirmation_url=getattr(confirmation, "confirmation_url", "") or "",
                metadata=dict(response.metadata or {}),
            )
        except (AttributeError, InvalidOperation, TypeError) as error:
            raise ProviderError(f"unexpected YooKassa answer: {error!r}") from error
