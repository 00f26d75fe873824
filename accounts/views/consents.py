"""Consents to personal-data processing (152-ФЗ), their withdrawal and the data export."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors, services
from accounts.models import Consent
from accounts.security import client_ip

CONSENTS_PER_PAGE = 20


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
