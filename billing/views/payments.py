"""Paying online: the amount form, the page the provider returns to, the provider's notifications (webhooks) and
the development provider's checkout page."""

import contextlib
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from billing import access, selectors
from billing.models import DevProviderPayment, OnlinePayment
from billing.payments import NotificationRefused, ProviderError, get_provider, provider_configured
from billing.payments.development import DevelopmentProvider
from billing.services import payments as service
from core.forms import add_service_error

logger = logging.getLogger(__name__)


def _site_url(request, path: str) -> str:
    base = getattr(settings, "SITE_URL", "") or ""
    return f"{base.rstrip('/')}{path}" if base else request.build_absolute_uri(path)


@require_http_methods(["GET", "POST"])
@login_required
def pay(request, number):
    contract = access.access_contract_finances(request.user, number)
    balance = selectors.latest_balance(contract, since=contract.finances_since)
    if not provider_configured():
        return render(request, "billing/pay.html", {"contract": contract, "balance": balance, "unavailable": True})
    from billing.forms import PayForm

    due = balance.due if balance is not None else None
    status = 200
    if request.method == "POST":
        form = PayForm(request.POST)
        if form.is_valid():
            try:
                payment = service.payment_start(
                    user=request.user,
                    number=contract.number,
                    amount=form.cleaned_data["amount"],
                    return_url_for=lambda p: _site_url(request, reverse("billing:payment", args=[p.uuid])),
                )
            except ValidationError as error:
                add_service_error(form, error)
                status = 503
            else:
                return redirect(payment.confirmation_url)
        else:
            status = 400
    else:
        form = PayForm(initial={"amount": f"{due:.2f}".replace(".", ",") if due else ""})
    response = render(
        request, "billing/pay.html", {"contract": contract, "balance": balance, "form": form, "due": due},
        status=status,
    )  # fmt: skip
    origins = _checkout_origins()
    if origins:
        response._csp_update = {"form-action": list(origins)}  # django-csp's per-response update
    return response


def _checkout_origins() -> tuple[str, ...]:
    try:
        return get_provider().checkout_origins
    except ProviderError:
        return ()


@require_GET
@login_required
def payment_detail(request, payment_uuid):
    """Where the provider sends the customer back: the payment's state, asked of the provider if still pending."""
    payment = access.access_online_payment_for_customer(request.user, payment_uuid)
    if payment.status == OnlinePayment.Status.PENDING and provider_configured():
        with contextlib.suppress(NotificationRefused, ProviderError):
            payment = service.payment_sync(payment).payment or payment
        payment.refresh_from_db()
    return render(request, "billing/payment.html", {"payment": payment, "contract": payment.contract})


@csrf_exempt
@require_POST
def notification(request, provider):
    """The provider's notification: 200 once handled (or already handled), 400 when refused (logged)."""
    if len(request.body) > 64 * 1024:
        return HttpResponseBadRequest("too large")
    try:
        service.payment_notification(provider_name=provider, body=request.body)
    except (NotificationRefused, ProviderError) as error:
        logger.warning("payment notification from %s refused: %s", provider, error)
        return HttpResponseBadRequest("refused")
    return HttpResponse("ok")


def _development_provider_only():
    if getattr(settings, "PAYMENTS_PROVIDER", "") != f"{DevelopmentProvider.__module__}.DevelopmentProvider":
        raise Http404


@require_http_methods(["GET", "POST"])
@login_required
def dev_checkout(request, provider_id):
    """The development provider's checkout: choose success or failure; the notification follows, as YooKassa's."""
    _development_provider_only()
    row = get_object_or_404(DevProviderPayment, provider_id=provider_id)
    if request.method == "POST":
        try:
            row = service.development_checkout(row.provider_id, outcome=request.POST.get("outcome", ""))
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            return redirect(row.return_url)
    return render(request, "billing/dev_checkout.html", {"row": row})
