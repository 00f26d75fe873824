"""One meter: its data, its readings history as a table and a monthly consumption chart."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from contracts import access, selectors


@require_GET
@login_required
def meter_detail(request, meter_id):
    meter = access.access_meter_for_customer(request.user, meter_id)
    today = timezone.localdate()
    meter.may_submit = bool(selectors.submittable_meter_ids(request.user, [meter.pk]))
    meter.verification = selectors.verification_state(meter, today)
    history = selectors.meter_history(meter)
    meter.last_reading = history[-1] if history else None
    chart = selectors.chart_data(history)
    return render(
        request,
        "contracts/meter_detail.html",
        {
            "meter": meter,
            "contract": meter.supply_point.contract,
            "point": meter.supply_point,
            "history": list(reversed(history)),
            "chart": chart,
            "chart_total": sum(chart["values"]),
            "warning_days": selectors.VERIFICATION_WARNING_DAYS,
        },
    )
