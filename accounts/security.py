"""Who is asking: the client address and the login name, normalised once for axes and rate limits."""

import math
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache


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


def _password_check_key(user_id: int) -> str:
    return f"accounts:password-check-failures:{user_id}"


def password_check_wait_seconds(user_id: int) -> int:
    """Seconds before a logged-in person may retype their password (email change), 0 when they may now.

    A stolen session must not become a way to guess the password: after
    ACCOUNTS_PASSWORD_CHECK_ATTEMPTS wrong ones the check is refused for ACCOUNTS_PASSWORD_CHECK_LOCK_SECONDS.
    """
    state = cache.get(_password_check_key(user_id))
    if not state or state["count"] < settings.ACCOUNTS_PASSWORD_CHECK_ATTEMPTS:
        return 0
    return max(0, math.ceil(state["since"] + settings.ACCOUNTS_PASSWORD_CHECK_LOCK_SECONDS - time.time()))


def password_check_failed(user_id: int) -> None:
    key = _password_check_key(user_id)
    state = cache.get(key) or {"count": 0, "since": time.time()}
    state["count"] += 1
    remaining = state["since"] + settings.ACCOUNTS_PASSWORD_CHECK_LOCK_SECONDS - time.time()
    cache.set(key, state, timeout=max(1, math.ceil(remaining)))
