"""Accounts pages: parse input, call one service or selector, render."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from accounts import forms, selectors, services
from accounts.models import Consent, Invitation, Membership, Organisation
from accounts.security import client_ip, login_rate, ratelimit_ip_key, registration_rate
from core.forms import add_service_error

MEMBERS_PER_PAGE = 50
CONSENTS_PER_PAGE = 20


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


def _too_many_requests(request):
    return render(request, "accounts/ratelimited.html", status=429)


# --- Registration --------------------------------------------------------------


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
            return _too_many_requests(request)
        form = form_class(request.POST, consent_document=document)
        if form.is_valid():
            common = {
                **form.person_data(),
                "consent_document": document,
                "ip_address": client_ip(request),
                "site_url": _site_url(request),
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


# --- Email confirmation ------------------------------------------------------------


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
            return _too_many_requests(request)
        form = forms.ResendConfirmationForm(request.POST)
        if form.is_valid():
            services.email_confirmation_resend(email=form.cleaned_data["email"], site_url=_site_url(request))
            messages.success(
                request,
                _("Если учётная запись с этой почтой ждёт подтверждения, мы отправили на неё новую ссылку."),
            )
            return redirect("accounts:login")
    else:
        form = forms.ResendConfirmationForm(initial={"email": request.GET.get("email", "")})
    return render(request, "accounts/email_resend.html", {"form": form})


# --- Login, logout, passwords ------------------------------------------------------------


@method_decorator(
    ratelimit(key=ratelimit_ip_key, rate=login_rate, method="POST", block=False, group="accounts.login"),
    name="dispatch",
)
class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            return _too_many_requests(request)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["email_unconfirmed"] = context["form"].has_error(NON_FIELD_ERRORS, "email_unconfirmed")
        return context


@method_decorator(
    ratelimit(key=ratelimit_ip_key, rate=registration_rate, method="POST", block=False, group="accounts.reset"),
    name="dispatch",
)
class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset flow (single-use, expiring links) with our templates; answers the same for any address."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            return _too_many_requests(request)
        return super().post(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["email"].label = _("Электронная почта")
        return form

    def form_valid(self, form):
        self.extra_email_context = {"company_name": settings.PORTAL_COMPANY_NAME}
        return super().form_valid(form)


# --- Profile and email change -----------------------------------------------------


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
                    user=request.user, new_email=form.cleaned_data["email"], site_url=_site_url(request)
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
    return render(request, "accounts/email_change.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def email_change_confirm(request, token):
    if request.method == "POST":
        try:
            services.email_change_confirm(token=token)
        except ValidationError as error:
            return render(request, "accounts/email_change_confirm.html", {"error": error.messages[0]}, status=400)
        messages.success(request, _("Новая почта подтверждена: теперь входите с ней."))
        return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")
    return render(request, "accounts/email_change_confirm.html", {"token": token})


# --- Consents and personal data ----------------------------------------------------


@require_GET
def consent_document(request, version=None):
    document = selectors.consent_document_by_version(version) if version else selectors.current_consent_document()
    return render(request, "accounts/consent_document.html", {"document": document})


@login_required
@require_GET
def consents(request):
    page = Paginator(selectors.consents_for(request.user), CONSENTS_PER_PAGE).get_page(request.GET.get("page"))
    current = selectors.current_consent_document()
    return render(
        request,
        "accounts/consents.html",
        {
            "page": page,
            "current_document": current,
            "has_current_consent": selectors.has_active_consent(request.user, current),
        },
    )


@login_required
@require_POST
def consent_give(request):
    services.consent_give(
        user=request.user, document=selectors.current_consent_document(), ip_address=client_ip(request)
    )
    messages.success(request, _("Согласие дано."))
    return redirect("accounts:consents")


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request, pk):
    consent = selectors.consents_for(request.user).filter(pk=pk).first()
    if consent is None:
        raise Http404
    if request.method == "POST":
        try:
            closure = services.consent_withdraw(user=request.user, consent_id=consent.pk)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        except Consent.DoesNotExist as exc:
            raise Http404 from exc
        else:
            messages.success(
                request,
                _(
                    "Согласие отозвано. Мы прекратим обработку ваших персональных данных и закроем учётную запись "
                    "не позднее %(date)s, если закон не требует хранить их дольше."
                )
                % {"date": timezone.localtime(closure.due_at).strftime("%d.%m.%Y")},
            )
        return redirect("accounts:consents")
    return render(request, "accounts/consent_withdraw.html", {"consent": consent})


@login_required
@require_GET
def personal_data_export(request):
    data = selectors.personal_data_export(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    response["Cache-Control"] = "no-store"
    return response


# --- Organisations -----------------------------------------------------------------


@login_required
@require_GET
def organisation_detail(request, pk):
    membership = selectors.membership_for(request.user, pk)
    is_admin = membership.role == Membership.Role.ADMIN
    members = Paginator(selectors.organisation_members(pk), MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "membership": membership,
        "organisation": membership.organisation,
        "is_admin": is_admin,
        "members": members,
        "admin_count": selectors.organisation_admin_count(pk),
        "invitations": list(selectors.organisation_pending_invitations(pk)[:MEMBERS_PER_PAGE]) if is_admin else [],
        "invitation_form": forms.InvitationForm() if is_admin else None,
        "roles": Membership.Role.choices,
    }
    return render(request, "accounts/organisation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_invite(request, pk):
    membership = selectors.admin_membership_for(request.user, pk)
    if request.method == "POST":
        form = forms.InvitationForm(request.POST)
        if form.is_valid():
            try:
                services.invitation_send(
                    actor=request.user,
                    organisation_id=pk,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    site_url=_site_url(request),
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("Приглашение отправлено на %(email)s.") % {"email": form.cleaned_data["email"]}
                )
                return redirect("accounts:organisation", pk=pk)
    else:
        form = forms.InvitationForm()
    return render(request, "accounts/organisation_invite.html", {"form": form, "organisation": membership.organisation})


def _organisation_action(request, pk, action, success_message):
    selectors.admin_membership_for(request.user, pk)
    try:
        action()
    except (Membership.DoesNotExist, Organisation.DoesNotExist, Invitation.DoesNotExist) as exc:
        raise Http404 from exc
    except PermissionDenied as exc:  # lost the administrator role between page and click
        raise Http404 from exc
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, success_message)
    return redirect("accounts:organisation", pk=pk)


@login_required
@require_POST
def organisation_member_role(request, pk, membership_pk):
    selectors.admin_membership_for(request.user, pk)
    form = forms.RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Выберите роль из списка."))
        return redirect("accounts:organisation", pk=pk)
    return _organisation_action(
        request,
        pk,
        lambda: services.membership_set_role(
            actor=request.user, organisation_id=pk, membership_id=membership_pk, role=form.cleaned_data["role"]
        ),
        _("Роль изменена."),
    )


@login_required
@require_POST
def organisation_member_remove(request, pk, membership_pk):
    return _organisation_action(
        request,
        pk,
        lambda: services.membership_remove(actor=request.user, organisation_id=pk, membership_id=membership_pk),
        _("Сотрудник удалён из организации."),
    )


@login_required
@require_POST
def organisation_invitation_revoke(request, pk, invitation_pk):
    return _organisation_action(
        request,
        pk,
        lambda: services.invitation_revoke(actor=request.user, organisation_id=pk, invitation_id=invitation_pk),
        _("Приглашение отозвано."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_leave(request, pk):
    membership = selectors.membership_for(request.user, pk)
    if request.method == "POST":
        try:
            services.membership_leave(user=request.user, organisation_id=pk)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("accounts:organisation", pk=pk)
        messages.success(request, _("Вы вышли из организации «%(name)s».") % {"name": membership.organisation.name})
        return redirect("cabinet")
    return render(request, "accounts/organisation_leave.html", {"membership": membership})


# --- Invitations ------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    invitation = selectors.invitation_by_token(services.invitation_token_hash(token))
    now = timezone.now()
    if invitation is None or not invitation.is_pending(now):
        return render(request, "accounts/invitation.html", {"invalid": True}, status=404)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        try:
            membership = services.invitation_accept(user=request.user, raw_token=token, now=now)
        except Invitation.DoesNotExist as exc:
            raise Http404 from exc
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(request.path)
        messages.success(
            request, _("Вы присоединились к организации «%(name)s».") % {"name": invitation.organisation.name}
        )
        return redirect("accounts:organisation", pk=membership.organisation_id)
    email_matches = request.user.is_authenticated and request.user.email == invitation.email
    return render(request, "accounts/invitation.html", {"invitation": invitation, "email_matches": email_matches})


@login_required
@require_POST
def invitation_accept_mine(request, pk):
    try:
        membership = services.invitation_accept_by_id(user=request.user, invitation_id=pk)
    except Invitation.DoesNotExist as exc:  # not addressed to this user: as if it did not exist
        raise Http404 from exc
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("cabinet")
    messages.success(request, _("Вы присоединились к организации «%(name)s».") % {"name": membership.organisation.name})
    return redirect("accounts:organisation", pk=membership.organisation_id)
