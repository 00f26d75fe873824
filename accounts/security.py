"""Who is asking: the client address and the login name, normalised once for axes, rate limits and journals."""

import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache


def _address(value) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address, the one every lockout, rate limit, consent and journal row uses (axes too:
    settings.AXES_CLIENT_IP_CALLABLE).

    Without proxies (PROXY_COUNT=0) the connection's own address. Behind PROXY_COUNT proxies of our own, the
    address the outermost one saw: the PROXY_COUNT-th from the right in X-Forwarded-For, since each proxy
    appends the address it was called from; whatever the client wrote further left is never believed. A header
    shorter than that (the proxies bypassed) or not an address: the connection's address. None without a request.
    """
    if request is None:
        return None
    count = settings.PROXY_COUNT
    if count > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            address = _address(forwarded[-count])
            if address:
                return address
    return _address(request.META.get("REMOTE_ADDR"))


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
