"""The second-factor pages: enrolment (first staff login) and the code check. Thin: services decide."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from core.forms import add_service_error
from staffauth import limits, selectors, services
from staffauth.forms import EnrolForm, VerifyForm
from staffauth.middleware import second_factor_url


def _next_url(request) -> str:
    """Where the staff member was going: a path on this site only, the admin's index otherwise."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _staff_only(request):
    if not request.user.is_staff:
        raise Http404


def _throttled(request, form) -> int:
    """429 with the message on the form when this session typed too many wrong codes (not even a
    right one is checked then), else 200; the form is validated either way so it shows its errors."""
    wait = limits.wait_seconds(request)
    form.is_valid()
    if not wait:
        return 200
    form.add_error(None, _slowed_message(wait))
    return 429


def _slowed_message(wait: int) -> str:
    minutes = max(1, (wait + 59) // 60)
    return ngettext(
        "Слишком много неверных кодов. Попробуйте снова через %(minutes)d минуту.",
        "Слишком много неверных кодов. Попробуйте снова через %(minutes)d минут.",
        minutes,
    ) % {"minutes": minutes}


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@never_cache
@login_required
def verify(request):
    _staff_only(request)
    next_url = _next_url(request)
    if selectors.is_verified(request):
        return redirect(next_url)
    if not selectors.has_authenticator(request.user):
        return redirect(f"{reverse('staffauth:setup')}?{second_factor_url(next_url).split('?', 1)[1]}")
    form = VerifyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = _throttled(request, form)
        if status == 200 and form.is_valid():
            device = services.check_code(user=request.user, code=form.typed_code)
            if device is not None:
                services.mark_verified(request, device)
                return redirect(next_url)
            limits.record_failure(request)
            form.add_error(None, _("Неверный код. Проверьте, что время на телефоне точное, и введите новый код."))
    return render(request, "staffauth/verify.html", {"form": form, "next": next_url}, status=status)


@never_cache
@login_required
def setup(request):
    _staff_only(request)
    next_url = _next_url(request)
    if selectors.has_authenticator(request.user):
        return redirect(second_factor_url(next_url))
    device = services.start_enrolment(user=request.user)
    form = EnrolForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = _throttled(request, form)
        if status == 200 and form.is_valid():
            try:
                device, codes = services.confirm_enrolment(user=request.user, code=form.cleaned_data["code"])
            except ValidationError as error:
                limits.record_failure(request)
                add_service_error(form, error)
            else:
                services.mark_verified(request, device)
                # Shown once, in this response only: never stored where the page could show them again.
                return render(request, "staffauth/recovery_codes.html", {"codes": codes, "next": next_url})
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "secret": secret,
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr": _qr_data_uri(device.config_url),
    }
    return render(request, "staffauth/setup.html", context, status=status)
