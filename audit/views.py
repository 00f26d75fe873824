"""«Изменения данных клиента»: every change to one customer's records over a period, in the admin.

For administrators (audit.view_customer_changes), behind the admin's login and the staff second factor. The
page shows personal data before and after each change, so opening it and downloading it are reads of that
customer's data and are written to the reads journal like opening their card.
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.models import Organisation
from audit.changes import MAX_CHANGES, TooManyChanges, customer_changes
from audit.forms import CustomerChangesForm
from audit.models import PersonalDataRead
from audit.services import read_record
from core.exports import csv_response

PER_PAGE = 100
PERMISSION = "audit.view_customer_changes"


def _journal(request):
    """(form, subject, period, changes or None): changes only for a valid form naming a customer."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    form = CustomerChangesForm(request.GET or None)
    period = form.period_for(timezone.localdate())
    if not (form.is_bound and form.is_valid()):
        return form, None, period, None
    subject = form.cleaned_data["subject"]
    start, end = period.bounds(timezone.get_current_timezone())
    whose = {"organisation_id": subject.pk} if isinstance(subject, Organisation) else {"user_id": subject.pk}
    try:
        changes = customer_changes(start=start, end=end, **whose)
    except TooManyChanges:
        form.add_error(None, _("За этот период больше %(n)s изменений: выберите период короче.")
                       % {"n": f"{MAX_CHANGES:,}".replace(",", "\N{NO-BREAK SPACE}")})
        return form, None, period, None
    return form, subject, period, changes


def _record_read(request, subject, kind):
    if isinstance(subject, Organisation):
        read_record(request, kind=kind, organisation_id=subject.pk, reference=f"organisation:{subject.pk}")
    else:
        read_record(request, kind=kind, subject_id=subject.pk, reference=f"user:{subject.pk}")


@never_cache
def customer_changes_view(request):
    form, subject, period, changes = _journal(request)
    page = None
    if changes is not None:
        page = Paginator(changes, PER_PAGE).get_page(request.GET.get("page"))
        _record_read(request, subject, PersonalDataRead.Kind.CHANGES)
    query = request.GET.copy()
    query.pop("page", None)
    reads_url = None
    if subject is not None:
        start, end = period.bounds(timezone.get_current_timezone())
        whom = "organisation__id__exact" if isinstance(subject, Organisation) else "subject__id__exact"
        reads_url = reverse("admin:audit_personaldataread_changelist") + "?" + urlencode(
            {whom: subject.pk, "at__gte": start.isoformat(), "at__lt": end.isoformat()})
    context = {
        **admin.site.each_context(request),
        "title": _("Изменения данных клиента"),
        "form": form,
        "subject": subject,
        "is_organisation": isinstance(subject, Organisation),
        "period": period,
        "page": page,
        "query": query.urlencode(),
        "reads_url": reads_url,
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return TemplateResponse(request, "admin/audit/customer_changes.html", context, status=status)


@never_cache
def customer_changes_export(request):
    _form, subject, period, changes = _journal(request)
    if changes is None:
        return customer_changes_view(request)
    _record_read(request, subject, PersonalDataRead.Kind.EXPORT)
    header = [_("когда"), _("кто изменил"), _("адрес"), _("что"), _("запись"), _("действие"), _("поле"),
              _("было"), _("стало"), _("причина")]

    def rows():
        for change in changes:
            when = timezone.localtime(change.at).strftime("%d.%m.%Y %H:%M:%S")
            who = change.who.email if change.who else _("система")
            head = [when, who, change.ip_address or "", change.model_label, change.label, change.kind_label]
            if not change.changes:
                yield [*head, "", "", "", change.reason]
            for item in change.changes:
                yield [*head, item.field, item.old, item.new, change.reason]

    name = f"changes-{'organisation' if isinstance(subject, Organisation) else 'user'}-{subject.pk}-" \
           f"{period.start:%Y-%m-%d}-{period.last_day:%Y-%m-%d}.csv"
    return csv_response(name, [str(column) for column in header], rows())
