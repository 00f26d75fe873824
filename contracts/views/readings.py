"""Submitting readings in the cabinet: one meter's form, and an organisation's file for many meters.

Thin: the meter comes through contracts.access (another customer's meter is a 404), the
rules live in contracts.services.readings, and every refusal is shown beside its field.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from contracts import access
from contracts.forms_readings import ReadingForm, ReadingsUploadForm
from contracts.models import Contract, Reading
from contracts.services.readings import (
    last_readings,
    reading_window,
    submit_reading,
    window_closed_message,
    zones_for,
)
from contracts.services.readings_upload import upload_readings
from core.forms import add_service_error


def _refusal(user, meter) -> str:
    """Why this person cannot submit for this meter at all, or "" when they can."""
    if meter.remote:
        return _("Показания этого счётчика собираются дистанционно: передавать их вручную не нужно.")
    if meter.removed_on is not None:
        return _("Счётчик снят с учёта %(date)s: показания по нему не принимаются.") % {
            "date": meter.removed_on.strftime("%d.%m.%Y")
        }
    if not access.may_submit_readings(user, meter):
        return _(
            "Передавать показания по счётчикам организации может её администратор или сотрудник, "
            "которому администратор это разрешил. Обратитесь к администратору вашей организации."
        )
    return ""


@require_http_methods(["GET", "POST"])
@login_required
def reading_submit(request, meter_id):
    meter = access.access_meter_for_customer(request.user, meter_id)
    window = reading_window()
    refusal = _refusal(request.user, meter)
    zones = zones_for(meter)
    current, previous = last_readings(meter, window.period)
    context = {
        "meter": meter,
        "contract": meter.supply_point.contract,
        "window": window,
        "zones": zones,
        "current": current,
        "previous": previous,
        "refusal": refusal,
        "closed_message": "" if window.is_open else window_closed_message(window),
        "show_upload": meter.supply_point.contract.customer_kind == Contract.CustomerKind.ORGANISATION,
    }
    status = 200
    form = None
    if not refusal and window.is_open:
        if request.method == "POST":
            form = ReadingForm(request.POST, zones=zones, previous=previous)
            if form.is_valid():
                try:
                    result = submit_reading(
                        request.user,
                        meter,
                        form.values(),
                        source=Reading.Source.CABINET,
                        comment=form.cleaned_data.get("comment", ""),
                    )
                except PermissionDenied:
                    raise Http404 from None
                except ValidationError as error:
                    add_service_error(form, error)
                    status = 400
                else:
                    reading = result.reading
                    values = ", ".join(
                        f"{zone.code} {getattr(reading, zone.field)}" for zone in zones
                    )
                    if result.corrected:
                        text = _("Показания за %(month)s исправлены: %(values)s кВт·ч.")
                    else:
                        text = _("Показания за %(month)s приняты: %(values)s кВт·ч.")
                    messages.success(request, text % {"month": reading.period.strftime("%m.%Y"), "values": values})
                    if reading.needs_review:
                        messages.info(request, _("Расход необычно большой: сотрудник проверит показания."))
                    return redirect("contracts:meter", meter_id=meter.pk)
            else:
                status = 400
        else:
            initial = None
            if current is not None:
                initial = {z.field: getattr(current, z.field) for z in zones}
                initial["comment"] = current.comment
            form = ReadingForm(initial=initial, zones=zones, previous=previous)
    elif request.method == "POST":
        status = 400
    context["form"] = form
    return render(request, "contracts/readings/submit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def readings_upload(request):
    if not access.meters_submittable_by(request.user).exists():
        raise Http404
    window = reading_window()
    report = None
    status = 200
    if request.method == "POST":
        form = ReadingsUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                report = upload_readings(request.user, form.cleaned_data["file"])
            except ValidationError as error:
                add_service_error(form, error)
                status = 400
            else:
                if report.saved:
                    messages.success(
                        request, _("Показания приняты по всем строкам файла: %(n)d.") % {"n": report.accepted_count}
                    )
                else:
                    status = 400
        else:
            status = 400
    else:
        form = ReadingsUploadForm()
    return render(
        request,
        "contracts/readings/upload.html",
        {
            "form": form,
            "report": report,
            "window": window,
            "closed_message": "" if window.is_open else window_closed_message(window),
        },
        status=status,
    )
