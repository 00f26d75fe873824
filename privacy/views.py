"""The cabinet's «Персональные данные»: file a request, follow it, read the answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import add_service_error
from deadlines.display import due_display

from . import access, services
from .forms import SubjectRequestForm


@login_required
@require_http_methods(["GET", "POST"])
def request_list(request):
    form = SubjectRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            filed = services.subject_request_file(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Запрос принят. Ответ — не позднее %(due)s.") % {
                "due": due_display(filed.due_at, filed.deadline_rule.unit)})
            return redirect("privacy:detail", pk=filed.pk)
    requests = access.requests_for_customer(request.user).order_by("-received_at")[:50]
    return render(request, "privacy/request_list.html", {"form": form, "requests": requests})


@login_required
@require_GET
def request_detail(request, pk):
    return render(request, "privacy/request_detail.html",
                  {"subject_request": access.access_request_for_customer(request.user, pk)})
