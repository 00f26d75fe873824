"""The customer's contracts and personal accounts: the list, one contract, binding and unbinding.

Every fetch goes through `contracts.access` (via the selectors): somebody else's contract is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.security import client_ip
from contracts import access, selectors, selectors_applications
from contracts.forms import BindForm
from contracts.services import binding as binding_service
from contracts.services.readings import reading_window, window_closed_message
from core.forms import add_service_error

PAGE_SIZE = 20


@require_GET
@login_required
def contract_list(request):
    paginator = Paginator(selectors.contracts_for_list(request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    contracts = selectors.with_meters(request.user, page.object_list)
    window = reading_window()
    return render(
        request,
        "contracts/contract_list.html",
        {
            "page": page,
            "groups": selectors.group_contracts(request.user, contracts),
            "readings_window": window,
            "readings_window_closed": "" if window.is_open else window_closed_message(window),
            # Organisations' administrators and the members they allowed: many meters at once, by file.
            "may_upload_readings": access.may_upload_readings(request.user),
        },
    )


@require_GET
@login_required
def contract_detail(request, number):
    contract = access.access_contract_for_customer(request.user, number)
    selectors.with_meters(request.user, [contract])
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "may_unbind": binding_service.may_unbind(request.user, contract),
            "may_apply": access.contracts_user_may_apply_on(request.user, _bound_organisation(contract))
            .filter(pk=contract.pk)
            .exists(),
            "signed_applications": selectors_applications.signed_applications_for_contract(request.user, contract),
            "today": timezone.localdate(),
            "warning_days": selectors.VERIFICATION_WARNING_DAYS,
        },
    )


def _bound_organisation(contract):
    binding = contract.bindings.filter(unbound_at__isnull=True).select_related("organisation").first()
    return binding.organisation if binding else None


@require_http_methods(["GET", "POST"])
@login_required
def contract_bind(request):
    organisations = selectors.admin_organisations(request.user)
    status = 200
    if request.method == "POST":
        form = BindForm(request.POST, organisations=organisations)
        if form.is_valid():
            organisation = form.organisation()
            data = form.cleaned_data
            try:
                if organisation is None:
                    binding = binding_service.bind_personal_account(
                        request.user, data["number"], data["code"], client_ip(request)
                    )
                else:
                    binding = binding_service.bind_organisation_contract(
                        request.user, organisation, data["number"], data["code"], client_ip(request)
                    )
            except ValidationError as error:
                add_service_error(form, error)
                if getattr(error, "code", None) == "locked":
                    status = 429
            else:
                contract = binding.contract
                if organisation is None:
                    messages.success(request, _("Лицевой счёт № %(number)s привязан.") % {"number": contract.number})
                else:
                    messages.success(
                        request,
                        _("Договор № %(number)s привязан к организации «%(name)s».")
                        % {"number": contract.number, "name": organisation.name},
                    )
                return redirect("contracts:detail", number=contract.number)
    else:
        form = BindForm(organisations=organisations)
    return render(request, "contracts/bind.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def contract_unbind(request, number):
    contract = access.access_contract_for_customer(request.user, number)
    if not binding_service.may_unbind(request.user, contract):
        raise Http404  # a member sees the organisation's contract but may not unbind it: no such page for them
    if request.method == "POST":
        try:
            binding_service.unbind(request.user, number)
        except PermissionDenied as exc:  # lost the administrator role between page and click
            raise Http404 from exc
        messages.success(request, _("Договор № %(number)s отвязан от кабинета.") % {"number": contract.number})
        return redirect("contracts:list")
    return render(request, "contracts/unbind.html", {"contract": contract})
