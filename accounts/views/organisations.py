"""An organisation's members and invitations, seen by its people."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import forms, selectors, services
from accounts.models import Invitation, Membership, Organisation
from accounts.views.common import site_url
from core.forms import add_service_error

MEMBERS_PER_PAGE = 50


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
                    site_url=site_url(request),
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
def organisation_member_readings(request, pk, membership_pk):
    """An administrator lets a member submit meter readings (allowed=1) or stops them (allowed=0)."""
    selectors.admin_membership_for(request.user, pk)
    allowed = request.POST.get("allowed") == "1"
    return _organisation_action(
        request,
        pk,
        lambda: services.membership_set_may_submit_readings(
            actor=request.user, organisation_id=pk, membership_id=membership_pk, allowed=allowed
        ),
        _("Сотрудник может передавать показания счётчиков.")
        if allowed
        else _("Сотрудник больше не может передавать показания счётчиков."),
    )


@login_required
@require_POST
def organisation_member_finances(request, pk, membership_pk):
    """An administrator lets a member see the organisation's balances and documents (allowed=1) or stops them."""
    selectors.admin_membership_for(request.user, pk)
    allowed = request.POST.get("allowed") == "1"
    return _organisation_action(
        request,
        pk,
        lambda: services.membership_set_may_see_finances(
            actor=request.user, organisation_id=pk, membership_id=membership_pk, allowed=allowed
        ),
        _("Сотрудник видит начисления, оплаты и документы организации.")
        if allowed
        else _("Сотрудник больше не видит начисления, оплаты и документы организации."),
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
