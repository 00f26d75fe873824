"""Who is asking: the client address and the login name, normalised once for axes and rate limits."""

from axes.helpers import get_client_ip_address
from django.conf import settings


def client_ip(request) -> str | None:
    # Honours AXES_IPWARE_PROXY_COUNT, so behind a proxy we see the client, not the proxy.
    return get_client_ip_address(request)


def ratelimit_ip_key(group, request) -> str:
    return client_ip(request) or "unknown"


def login_rate(group, request) -> str:
    return settings.ACCOUNTS_LOGIN_RATE


def registration_rate(group, request) -> str:
    return settings.ACCOUNTS_REGISTRATION_RATE


def axes_username(request, credentials) -> str | None:
    """Count failures per account whatever the letter case typed (emails are stored lowercased)."""
    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None and request is not None:
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    return username.strip().lower() if username else username


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked account: our Russian page, with the limits from settings."""
    from django.shortcuts import render

    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/lockout.html", context, status=429)
