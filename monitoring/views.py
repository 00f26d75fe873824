"""The supervisors' dashboard, inside the admin (its login, its second factor, its look).

Supervisors and administrators (monitoring.view_dashboard) see everyone's figures and may narrow them to
one operator; a member of staff given a personal view (monitoring.view_own_figures) sees only their own.
Anyone else is refused as the admin refuses: customers are sent to the admin's login, other staff get 403.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.exports import csv_response, xlsx_response
from monitoring import selectors
from monitoring.forms import DashboardForm
from monitoring.tables import build_tables, chart_data

FORMATS = ("csv", "xlsx")


def _figures(request):
    """(form, figures): the period and operator from the address; bad input falls back to this month."""
    user = request.user
    if selectors.may_view_all(user):
        personal = False
    elif selectors.may_view_own(user):
        personal = True
    else:
        raise PermissionDenied
    form = DashboardForm(request.GET or None, operators=selectors.operators_for(user), personal=personal)
    valid = form.is_valid() if form.is_bound else True
    operator = user if personal else (form.cleaned_data.get("operator") if valid and form.is_bound else None)
    period = form.period_for(timezone.localdate())
    figures = selectors.service_figures(period=period, operator=operator)
    return form, valid, personal, figures


@never_cache
def dashboard(request):
    form, valid, personal, figures = _figures(request)
    tables = build_tables(figures)
    context = {
        **admin.site.each_context(request),
        "title": _("Показатели обслуживания"),
        "form": form,
        "personal": personal,
        "figures": figures,
        "tables": tables,
        "charts": chart_data(figures),
        "query": request.GET.urlencode(),
        "computed_at": timezone.localtime(figures.now),
        "rolled_at": timezone.localtime(figures.rolled_at) if figures.rolled_at else None,
    }
    return TemplateResponse(request, "monitoring/dashboard.html", context, status=200 if valid else 400)


@never_cache
def export(request, table, fmt):
    if fmt not in FORMATS:
        raise Http404
    _form, _valid, _personal, figures = _figures(request)
    tables = build_tables(figures)
    if table not in tables:
        raise Http404
    chosen = tables[table]
    period = figures.period
    name = f"{table}-{period.start:%Y-%m-%d}-{period.last_day:%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        return csv_response(name, chosen.header, chosen.export_rows())
    return xlsx_response(name, title=chosen.title, header=chosen.header, rows=chosen.export_rows())
