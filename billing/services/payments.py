"""Online payments: starting one, and the one function that finishes it (pending → succeeded | cancelled).

A notification (webhook) only names a payment; the payment is then fetched back from the provider's API and the
API's answer decides. The change happens once, under a row lock, with a `PaymentEvent` row; a notification for
a payment already finished is recorded as repeated and changes nothing, so the receipt goes out once however
often the notification arrives. A notification for an unknown payment, or one the API does not confirm, is
refused and logged.
"""

import logging
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import access
from billing.models import DevProviderPayment, OnlinePayment, PaymentEvent
from billing.payments import CANCELED, SUCCEEDED, NotificationRefused, ProviderError, get_provider
from billing.payments.development import DevelopmentProvider, notification_body
from notifications.services import notify

logger = logging.getLogger(__name__)

MAX_AMOUNT = Decimal("1000000.00")


def parse_amount(raw) -> Decimal:
    """The amount a customer typed: roubles, `,` or `.`, at most 2 decimals, above zero, at most a million."""
    text = str(raw or "").strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not re.fullmatch(r"-?[0-9]{1,12}(\.[0-9]+)?", text):
        raise ValidationError(_("Введите сумму числом, например 1520,50."), code="amount")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Введите сумму числом, например 1520,50."), code="amount") from None
    if not value.is_finite():
        raise ValidationError(_("Введите сумму числом, например 1520,50."), code="amount")
    if value <= 0:
        raise ValidationError(_("Сумма должна быть больше нуля."), code="amount")
    if value > MAX_AMOUNT:
        raise ValidationError(_("Одним платежом можно оплатить не больше 1 000 000 руб."), code="amount")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("Не больше двух знаков после запятой (копейки)."), code="amount")
    return value.quantize(Decimal("0.01"))


def payment_start(*, user, number: str, amount: Decimal, return_url_for, now=None) -> OnlinePayment:
    """Record a pending payment for the contract and create it at the provider; the caller redirects the
    customer to `payment.confirmation_url`. `return_url_for(payment)` is where the provider sends them back.

    ValidationError (a Russian message) when the provider cannot take it now; the payment is then cancelled.
    """
    contract = access.access_contract_finances(user, number)
    try:
        provider = get_provider()
    except ProviderError as error:
        raise ValidationError(_("Онлайн-оплата сейчас недоступна."), code="unavailable") from error
    now = now or timezone.now()
    with transaction.atomic():
        payment = OnlinePayment.objects.create(
            contract=contract, user=user, amount=amount, provider=provider.name, created_at=now
        )
        PaymentEvent.objects.create(payment=payment, kind=PaymentEvent.Kind.CREATED, created_at=now)
    kind = _("лицевому счёту") if contract.is_residential else _("договору")
    try:
        created = provider.create(
            amount=amount,
            description=_("Оплата по %(kind)s № %(number)s") % {"kind": kind, "number": contract.number},
            return_url=return_url_for(payment),
            idempotence_key=payment.idempotence_key,
            metadata={"payment": payment.uuid, "contract": contract.number},
        )
    except ProviderError as error:
        _finish(payment.pk, PaymentEvent.Kind.CANCELLED, f"provider refused creation: {error}"[:500])
        raise ValidationError(
            _("Платёжный сервис сейчас не отвечает. Попробуйте через несколько минут."), code="provider"
        ) from error
    OnlinePayment.objects.filter(pk=payment.pk).update(
        provider_payment_id=created.id, confirmation_url=created.confirmation_url
    )
    payment.provider_payment_id, payment.confirmation_url = created.id, created.confirmation_url
    return payment


@dataclass(frozen=True)
class Outcome:
    payment: OnlinePayment | None
    result: str  # succeeded, cancelled, repeated, pending, refused


def payment_notification(*, provider_name: str, body: bytes, now=None) -> Outcome:
    """A provider's notification: name the payment, fetch it back, apply what the API says (once).

    Raises NotificationRefused for a notification that names no payment of ours; logged either way.
    """
    provider = get_provider(provider_name)
    provider_id = provider.notification_payment_id(body)
    payment = OnlinePayment.objects.filter(provider=provider.name, provider_payment_id=provider_id).first()
    if payment is None:
        logger.warning("payment notification refused: unknown payment %r from %s", provider_id, provider.name)
        raise NotificationRefused("unknown payment")
    return payment_sync(payment, now=now, from_notification=True)


def payment_sync(payment: OnlinePayment, *, now=None, from_notification=False) -> Outcome:
    """Ask the provider's API about the payment and apply its answer (the return page and notifications)."""
    if payment.status != OnlinePayment.Status.PENDING:
        if from_notification:
            _event(payment.pk, PaymentEvent.Kind.REPEATED, "notification for a finished payment", now)
        return Outcome(payment, "repeated")
    if not payment.provider_payment_id:
        return Outcome(payment, "pending")
    try:
        state = get_provider(payment.provider).fetch(payment.provider_payment_id)
    except ProviderError as error:
        logger.warning("payment %s: provider did not answer: %s", payment.uuid, error)
        if from_notification:
            raise NotificationRefused("provider did not confirm") from error
        return Outcome(payment, "pending")
    if state.id != payment.provider_payment_id or state.currency != "RUB" or state.amount != payment.amount:
        logger.error("payment %s: the provider's answer does not match (%r)", payment.uuid, state)
        _event(payment.pk, PaymentEvent.Kind.REFUSED, f"API answer does not match: {state.amount} {state.currency}",
               now)  # fmt: skip
        raise NotificationRefused("mismatch")
    if state.status == SUCCEEDED:
        return _finish(payment.pk, PaymentEvent.Kind.SUCCEEDED, "", now)
    if state.status == CANCELED:
        return _finish(payment.pk, PaymentEvent.Kind.CANCELLED, "", now)
    if from_notification:
        logger.warning("payment %s: notification not confirmed by the API (status %s)", payment.uuid, state.status)
        _event(payment.pk, PaymentEvent.Kind.REFUSED, f"API says {state.status}"[:500], now)
        raise NotificationRefused("not confirmed")
    return Outcome(payment, "pending")


def _event(payment_id, kind, detail, now=None):
    PaymentEvent.objects.create(payment_id=payment_id, kind=kind, detail=detail, created_at=now or timezone.now())


def _finish(payment_id: int, kind: str, detail: str, now=None) -> Outcome:
    """The one place a payment's status changes: under the row lock, once."""
    now = now or timezone.now()
    status = OnlinePayment.Status.SUCCEEDED if kind == PaymentEvent.Kind.SUCCEEDED else OnlinePayment.Status.CANCELLED
    with transaction.atomic():
        payment = OnlinePayment.objects.select_for_update().select_related("contract", "user").get(pk=payment_id)
        if payment.status != OnlinePayment.Status.PENDING:
            _event(payment.pk, PaymentEvent.Kind.REPEATED, f"already {payment.status}", now)
            return Outcome(payment, "repeated")
        payment.status, payment.finished_at = status, now
        payment.save(update_fields=["status", "finished_at"])
        _event(payment.pk, kind, detail, now)
        if status == OnlinePayment.Status.SUCCEEDED:
            _send_receipt(payment, now)
    return Outcome(payment, status)


def _send_receipt(payment: OnlinePayment, now) -> None:
    from django.urls import reverse

    notify(
        recipient=payment.user,
        event="billing.payment_succeeded",
        context={
            "amount": payment.amount,
            "number": payment.contract.number,
            "residential": payment.contract.is_residential,
            "paid_at": timezone.localtime(now),
            "payment_id": payment.provider_payment_id,
            "uuid": str(payment.uuid),
        },
        dedup_key=f"billing:payment:{payment.uuid}:receipt",
        link=reverse("billing:payment", args=[payment.uuid]),
        now=now,
    )


def development_checkout(provider_id: str, *, outcome: str) -> DevProviderPayment:
    """The development provider's checkout (billing.payments.development): the customer chose how the payment
    ends. Its own row changes once, under the row lock; the notification then follows, as YooKassa's would.

    ValidationError when the outcome is not one of succeeded/canceled or the payment is no longer pending.
    """
    if outcome not in (DevProviderPayment.Status.SUCCEEDED, DevProviderPayment.Status.CANCELED):
        raise ValidationError(_("Выберите исход оплаты."), code="outcome")
    with transaction.atomic():
        row = DevProviderPayment.objects.select_for_update().filter(provider_id=provider_id).first()
        if row is None or row.status != DevProviderPayment.Status.PENDING:
            raise ValidationError(_("Эта оплата уже завершена."), code="finished")
        row.status = outcome
        row.save(update_fields=["status"])
    try:
        payment_notification(provider_name=DevelopmentProvider.name, body=notification_body(row.provider_id, outcome))
    except (NotificationRefused, ProviderError):
        logger.warning("development provider: notification for %s refused", row.provider_id)
    return row
