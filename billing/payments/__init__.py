"""Payment providers behind one small interface (the shape of `notifications.sms`).

settings.PAYMENTS_PROVIDER names the class (a dotted path): `billing.payments.development.DevelopmentProvider`
— a provider inside the portal whose checkout page lets you choose success or failure, the default when
DEBUG is on (`make run`, tests) — or `billing.payments.yookassa.YooKassaProvider` (YOOKASSA_SHOP_ID,
YOOKASSA_SECRET_KEY). Empty (production's default) or unusable: online payment is off — no pay button, link
or notice offers it (`provider_configured`), the pay page says how else to pay.

A provider creates a payment (with an idempotence key, so a retried request never creates two), fetches a
payment back from its API, and reads a notification (webhook) only far enough to name the payment: the
notification itself is never trusted — `billing.services.payments` fetches the payment and believes the API.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

SUCCEEDED, CANCELED, PENDING = "succeeded", "canceled", "pending"


class ProviderError(Exception):
    """The provider could not be reached or refused the request; the payment stays as it was."""


class NotificationRefused(Exception):
    """A notification that is not one (bad JSON, no payment id)."""


@dataclass(frozen=True)
class ProviderPayment:
    id: str
    status: str  # pending, waiting_for_capture, succeeded, canceled (YooKassa's words)
    amount: Decimal
    currency: str = "RUB"
    confirmation_url: str = ""
    metadata: dict = field(default_factory=dict)


class PaymentProvider:
    name = ""
    # Where the pay form's POST is redirected to: the page's CSP form-action must allow it (browsers check
    # form-action on the redirect after a form submission too).
    checkout_origins: tuple[str, ...] = ()

    def create(self, *, amount: Decimal, description: str, return_url: str, idempotence_key: str,
               metadata: dict) -> ProviderPayment:  # fmt: skip
        raise NotImplementedError

    def fetch(self, provider_payment_id: str) -> ProviderPayment:
        raise NotImplementedError

    def notification_payment_id(self, body: bytes) -> str:
        raise NotImplementedError


def provider_configured() -> bool:
    """Whether online payment is offered: a provider is named and can be built (YooKassa needs its keys). Every
    page, link and notice that offers paying online asks this first; without it they say how else to pay."""
    return provider_problem() is None


# The answer for each set of the settings it depends on: built once per process, not on every page and notice
# (building YooKassa's provider reconfigures its SDK); a test that overrides the settings gets its own answer.
_answers: dict[tuple, str | None] = {}


def _settings_key() -> tuple:
    return tuple(getattr(settings, name, "") for name in ("PAYMENTS_PROVIDER", "YOOKASSA_SHOP_ID",
                                                          "YOOKASSA_SECRET_KEY"))  # fmt: skip


def provider_problem() -> str | None:
    """Why online payment is off (None: it is on). A provider named but unusable is logged once per process and
    settings, and reported by the system check `billing.W001` (billing.checks)."""
    key = _settings_key()
    if key not in _answers:
        try:
            get_provider()
        except ProviderError as error:
            _answers[key] = str(error)
            if key[0]:
                logger.warning("online payments are off: %s", error)
        else:
            _answers[key] = None
    return _answers[key]


def get_provider(name: str | None = None) -> PaymentProvider:
    """The configured provider, or (for a notification or a payment made earlier) the one called `name`.

    ProviderError when none is configured or it cannot be built (a wrong class path, missing keys)."""
    if not getattr(settings, "PAYMENTS_PROVIDER", ""):
        raise ProviderError("online payments are not configured (PAYMENTS_PROVIDER)")
    try:
        provider_class = import_string(settings.PAYMENTS_PROVIDER)
    except ImportError as error:
        raise ProviderError(f"PAYMENTS_PROVIDER {settings.PAYMENTS_PROVIDER!r} cannot be imported") from error
    provider = provider_class()
    if name is not None and provider.name != name:
        raise ProviderError(f"payment provider {name!r} is not the configured one")
    return provider
