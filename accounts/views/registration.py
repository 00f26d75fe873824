"""Registration of residents, organisations and sole proprietors, and confirming the email."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from accounts import forms, selectors, services
from accounts.models import Organisation
from accounts.security import client_ip, ratelimit_ip_key, registration_rate
from accounts.views.common import site_url, too_many_requests
from core.forms import add_service_error


@require_GET
def register_choice(request):
    return render(request, "accounts/register_choice.html")


def _register(request, *, form_class, template, kind):
    if request.user.is_authenticated:
        messages.info(
            request, _("Вы уже вошли в личный кабинет. Чтобы зарегистрировать другую учётную запись, выйдите.")
        )
        return redirect("cabinet")
    document = selectors.current_consent_document()
    if request.method == "POST":
        if getattr(request, "limited", False):
            return too_many_requests(request)
        form = form_class(request.POST, consent_document=document)
        if form.is_valid():
            common = {
                **form.person_data(),
                "consent_document": document,
                "ip_address": client_ip(request),
                "site_url": site_url(request),
            }
            try:
                if kind == "resident":
                    services.register_resident(**common)
                else:
                    services.register_organisation(**common, **form.organisation_data())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                request.session["registered_email"] = form.cleaned_data["email"]
                return redirect("accounts:register_done")
    else:
        form = form_class(consent_document=document, initial={"email": request.GET.get("email", "")[:254]})
    return render(request, template, {"form": form, "consent_document": document, "kind": kind})


def _registration_view(form_class, template, kind):
    @sensitive_post_parameters("password1", "password2")
    @ratelimit(key=ratelimit_ip_key, rate=registration_rate, method="POST", block=False, group="accounts.register")
    @require_http_methods(["GET", "POST"])
    def view(request):
        return _register(request, form_class=form_class, template=template, kind=kind)

    return view


register_resident = _registration_view(
    forms.ResidentRegistrationForm, "accounts/register_resident.html", kind="resident"
)
register_organisation = _registration_view(
    forms.OrganisationRegistrationForm, "accounts/register_organisation.html", kind=Organisation.Kind.LEGAL_ENTITY
)
register_sole_proprietor = _registration_view(
    forms.SoleProprietorRegistrationForm,
    "accounts/register_sole_proprietor.html",
    kind=Organisation.Kind.SOLE_PROPRIETOR,
)


@require_GET
def register_done(request):
    return render(request, "accounts/register_done.html", {"email": request.session.get("registered_email", "")})


@never_cache
@require_http_methods(["GET", "POST"])
def email_confirm(request, token):
    """GET shows a button, POST confirms: mail scanners that open links do not confirm anything."""
    if request.method == "POST":
        try:
            user, confirmed_now = services.email_confirm(token=token)
        except ValidationError as error:
            return render(request, "accounts/email_confirm.html", {"error": error.messages[0]}, status=400)
        if confirmed_now:
            messages.success(request, _("Почта подтверждена. Теперь войдите в личный кабинет."))
        else:
            messages.info(request, _("Эта почта уже подтверждена."))
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect("cabinet")
        return redirect("accounts:login")
    return render(request, "accounts/email_confirm.html", {"token": token})


@require_http_methods(["GET", "POST"])
@ratelimit(key=ratelimit_ip_key, rate=registration_rate, method="POST", block=False, group="accounts.resend")
def email_confirmation_resend(request):
    if request.method == "POST":
        if getattr(request, "limited", False):
            return too_many_requests(request)
        form = forms.ResendConfirmationForm(request.POST)
        if form.is_valid():
            services.email_confirmation_resend(email=form.cleaned_data["email"], site_url=site_url(request))
            messages.success(
                request,
                _("Если учётная запись с этой почтой ждёт подтверждения, мы отправили на неё новую ссылку."),
            )
            return redirect("accounts:login")
    else:
        form = forms.ResendConfirmationForm(initial={"email": request.GET.get("email", "")})
    return render(request, "accounts/email_resend.html", {"form": form})
