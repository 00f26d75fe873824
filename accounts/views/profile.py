"""The person's profile and changing the login email."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts import forms, services
from accounts.views.common import site_url
from core.forms import add_service_error


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    if request.method == "POST":
        form = forms.ProfileForm(request.POST)
        if form.is_valid():
            services.profile_update(user=user, **form.cleaned_data)
            messages.success(request, _("Профиль сохранён."))
            return redirect("accounts:profile")
    else:
        form = forms.ProfileForm(
            initial={
                "last_name": user.last_name,
                "first_name": user.first_name,
                "patronymic": user.patronymic,
                "phone": str(user.phone) if user.phone else "",
            }
        )
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def email_change(request):
    if request.method == "POST":
        form = forms.EmailChangeForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.email_change_request(
                    user=request.user, new_email=form.cleaned_data["email"], site_url=site_url(request)
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Мы отправили ссылку на %(email)s. Адрес сменится, когда вы откроете её; "
                        "до тех пор входите с прежней почтой."
                    )
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("accounts:profile")
    else:
        form = forms.EmailChangeForm(user=request.user)
    status = 429 if form.too_many_attempts else 200
    return render(request, "accounts/email_change.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def email_change_confirm(request, token):
    if request.method == "POST":
        # Read who is logged in before the change: afterwards this session's hash no longer matches.
        signed_in_as = request.user.pk if request.user.is_authenticated else None
        try:
            user = services.email_change_confirm(token=token)
        except ValidationError as error:
            return render(request, "accounts/email_change_confirm.html", {"error": error.messages[0]}, status=400)
        if signed_in_as == user.pk:
            # The new email ended every session of this user (User._get_session_auth_hash): keep this one.
            update_session_auth_hash(request, user)
        messages.success(request, _("Новая почта подтверждена: теперь входите с ней."))
        return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")
    return render(request, "accounts/email_change_confirm.html", {"token": token})
