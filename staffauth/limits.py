"""Wrong codes are limited per login session, never per account.

A stranger who knows a staff member's password gets a session of their own; their wrong codes slow
only that session (STAFFAUTH_CODE_ATTEMPTS per STAFFAUTH_CODE_WINDOW_SECONDS), and the owner, in
their own session, still signs in. New sessions cost a password login, which accounts.login_guard
limits per address and per account. Counters live in the default cache (Redis in production).
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache


def _clock() -> float:
    return time.time()


def _window() -> int:
    return settings.STAFFAUTH_CODE_WINDOW_SECONDS


def _key(request, now: float) -> str:
    session = hashlib.sha256((request.session.session_key or "").encode()).hexdigest()[:32]
    return f"staffauth:code-failures:{request.user.pk}:{session}:{int(now // _window())}"


def wait_seconds(request) -> int:
    """Seconds this session must wait before typing another code (0: go ahead)."""
    now = _clock()
    if cache.get(_key(request, now), 0) < settings.STAFFAUTH_CODE_ATTEMPTS:
        return 0
    return max(1, math.ceil((int(now // _window()) + 1) * _window() - now))


def record_failure(request) -> None:
    now = _clock()
    key = _key(request, now)
    cache.add(key, 0, timeout=_window())
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_window())
