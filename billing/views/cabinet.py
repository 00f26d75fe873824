"""The cabinet's money pages: the overview, one contract's balance, charges, payments and documents, a document's
download, an organisation's summary and its documents of a period as one ZIP.

Every fetch goes through `billing.access` (via the selectors): somebody else's contract or document is a 404.
"""

import datetime
import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from billing import access, selectors
from billing.services import documents as documents_service
from core.private_files import serve_private

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


@require_GET
@login_required
def overview(request):
    return render(request, "billing/overview.html", selectors.overview(request.user))


@require_GET
@login_required
def contract_finances(request, number):
    context = selectors.contract_page(request.user, number)
    context["payment_provider_ready"] = _provider_ready()
    # One reverse for the page, not one per document: documents_base + id + "/".
    context["documents_base"] = reverse("billing:document", args=[number, 1])[: -len("1/")]
    return render(request, "billing/contract.html", context)


def _provider_ready() -> bool:
    from billing.payments import provider_configured

    return provider_configured()


@require_GET
@login_required
def document_download(request, number, document_id):
    document = access.access_document_for_customer(request.user, number, document_id)
    return serve_private(document.file, filename=document.download_name, content_type="application/pdf")


@require_GET
@login_required
def organisation_summary(request, organisation_id):
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        page = 1
    return render(request, "billing/organisation.html", selectors.organisation_summary(request.user, organisation_id,
                                                                                       page=page))  # fmt: skip


def _month(value: str | None):
    match = _MONTH.fullmatch((value or "").strip())
    if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2100:
        return None
    return datetime.date(int(match[1]), int(match[2]), 1)


@require_GET
@login_required
def organisation_documents(request, organisation_id):
    """The form for a period (last quarter by default) and, when asked, the period's documents as one ZIP."""
    organisation = access.access_organisation_finances(request.user, organisation_id)
    default_first, default_last = selectors.last_quarter(timezone.localdate())
    error = ""
    first, last = default_first, default_last
    if "first" in request.GET or "last" in request.GET:
        first, last = _month(request.GET.get("first")), _month(request.GET.get("last"))
        if first is None or last is None:
            error = _("Укажите месяцы в виде ГГГГ-ММ, например 2026-07.")
        else:
            try:
                archive = documents_service.organisation_documents_archive(
                    request.user, organisation_id, first=first, last=last
                )
            except ValidationError as refused:
                error = " ".join(refused.messages)
            else:
                response = FileResponse(
                    archive.file, as_attachment=True, filename=archive.filename, content_type="application/zip"
                )
                response["Cache-Control"] = "private, no-store"
                return response
        first, last = first or default_first, last or default_last
    return render(
        request,
        "billing/organisation_documents.html",
        {"organisation": organisation, "first": first, "last": last, "error": error,
         "max_months": documents_service.ARCHIVE_MAX_MONTHS},
    )
