"""The portal's own error pages: what happened and where to go, in the person's language.

Django's defaults are bare English pages (the CSRF one even tells customers
to set DEBUG=True) and an empty 405. 400, 403, 404, 405 and the CSRF failure
render in the site's layout with the full request context. A 500 cannot
trust that context (the database or a context processor may be what broke),
so `server_error` renders a self-contained template from settings alone and,
if even that fails, answers with a fixed page.
"""

import logging
import re

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

_FALLBACK_500 = (
    '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Ошибка на сервере</title></head>'
    "<body><h1>Ошибка на сервере</h1><p>Попробуйте обновить страницу через несколько минут.</p>"
    '<p><a href="/">На главную</a></p></body></html>'
)


def back_url(request) -> str:
    """The page the person came from, when it is one of ours; else empty (no link to another site)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def error_page(request, template: str, status: int, **context):
    context.setdefault("back_url", _safe_back_url(request))
    response = render(request, template, {"status": status, **context}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _safe_back_url(request) -> str:
    # get_host() itself raises on a host outside ALLOWED_HOSTS, which is one cause of a 400.
    try:
        return back_url(request)
    except Exception:  # noqa: BLE001 - an error page never fails on its own link
        return ""


@requires_csrf_token
def bad_request(request, exception=None):
    return error_page(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return error_page(request, "403.html", 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return error_page(request, "404.html", 404)


# Posted fields never written back into a page, whoever sent them.
_SECRET_FIELD = re.compile(r"password|token|secret|otp|code", re.IGNORECASE)


def resendable_fields(request) -> list[tuple[str, str]]:
    """The posted fields that the CSRF failure page may offer to send again with a fresh token.

    Only for a form posted from one of our own pages: the browser's Origin header
    (which a page elsewhere cannot set to ours) must name this site. Otherwise a
    forged cross-site form would come back as our own, pre-filled and one click
    from being sent. Never passwords or one-time codes, and nothing when files
    were attached (they cannot be kept; sending without them would lose them).
    """
    origin = request.META.get("HTTP_ORIGIN", "")
    if not origin or origin != request.build_absolute_uri("/").rstrip("/") or request.FILES or not request.COOKIES:
        return []
    return [
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken" and not _SECRET_FIELD.search(name)
        for value in values
    ]


@never_cache
def csrf_failure(request, reason=""):
    """An expired or cookie-less form: say so, nothing was sent, and how to send it again."""
    try:
        resend = resendable_fields(request)
    except Exception:  # noqa: BLE001 - an unreadable body or host: just no re-send button
        resend = []
    return error_page(
        request,
        "csrf_failure.html",
        403,
        cookies_missing=not request.COOKIES,
        resend=resend,
        files_attached=bool(request.FILES),
    )


def server_error(request=None):
    try:
        html = loader.get_template("500.html").render(
            {
                "company_name": settings.PORTAL_COMPANY_NAME,
                "support_phone": settings.PORTAL_SUPPORT_PHONE,
                "support_email": settings.PORTAL_SUPPORT_EMAIL,
                "LANGUAGE_CODE": get_language() or settings.LANGUAGE_CODE,
            }
        )
    except Exception:
        logger.exception("The 500 page could not be rendered; answering with the fixed page")
        html = _FALLBACK_500
    return HttpResponseServerError(html)
