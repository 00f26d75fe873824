"""The act of destruction (акт об уничтожении персональных данных) as a PDF, with the event log's extract.

Rendered by weasyprint from a template; the URL fetcher loads nothing (no network, no files): the act
carries its own styles and the fonts are the system's.
"""

from django.template.loader import render_to_string
from django.utils import timezone


def _no_fetching(url, *args, **kwargs):
    raise ValueError(f"the act loads no resources: {url}")


def log_extract(request) -> list[dict]:
    """The request's own history (who did what, when, from where) and the security events of the account."""
    from audit.models import SecurityEvent

    rows = [
        {"at": h.history_date, "what": h.get_status_display(), "who": h.history_user.email if h.history_user else "—",
         "ip": h.ip_address or "—"}
        for h in request.history.select_related("history_user").order_by("history_date", "history_id")
    ]
    rows += [
        {"at": e.at, "what": e.get_kind_display(), "who": "—", "ip": e.ip_address or "—"}
        for e in SecurityEvent.objects.filter(user_id=request.user_id).order_by("at")[:200]
    ]
    return sorted(rows, key=lambda row: row["at"])


def destruction_act_pdf(request, lines, *, actor, now) -> bytes:
    from weasyprint import HTML

    html = render_to_string("privacy/act.html", {
        "request": request, "lines": lines, "actor": actor, "now": timezone.localtime(now),
        "log": log_extract(request),
    })
    return HTML(string=html, url_fetcher=_no_fetching, base_url=None).write_pdf()
