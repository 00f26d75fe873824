from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal import health


@never_cache
@require_GET
def healthz(request):
    db = health.database_ok()
    broker = health.broker_ok()
    body = {"status": "ok" if db else "fail", "database": "ok" if db else "fail", "broker": "ok" if broker else "fail"}
    # Without the database nothing works; without the broker the portal still
    # takes requests (the outbox keeps notifications until it returns).
    return JsonResponse(body, status=200 if db else 503)
