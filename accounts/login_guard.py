"""Who may try a password, and when: nobody locks out someone else.

Three layers guard every login form (the cabinet's and the admin's):

1. django-axes locks the pair (account, client address) after AXES_FAILURE_LIMIT
   wrong passwords. A stranger guessing someone's password locks only himself;
   the owner, from his own address, still logs in.
2. One per-address rate (ACCOUNTS_LOGIN_RATE) counts login attempts on all login
   forms together, whatever account they name.
3. Wrong passwords for one account are counted from every address. Past
   ACCOUNTS_LOGIN_SLOWDOWN_AFTER in the window, each further attempt on that
   account from an address the account never logged in from must wait a
   doubling delay after the last failure (at most ACCOUNTS_LOGIN_SLOWDOWN_MAX_SECONDS):
   a crowd of addresses guesses slowly, and it is a wait, never a lock. An address
   the owner logged in from before (axes' access log) is not slowed. At
   ACCOUNTS_LOGIN_ALERT_AFTER failures the owner is told by email, once per window.

Counters live in the default cache (Redis in production, shared by all web
processes); a failure refused by a lock or a wait is not a guess and is not counted.
"""

import hashlib
import logging
import math
import time
from datetime import UTC, datetime, timedelta

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit.core import is_ratelimited

from accounts.security import axes_username, client_ip, login_rate, ratelimit_ip_key
from core.urls import paths_of

logger = logging.getLogger(__name__)

LOGIN_URL_NAMES = ("accounts:login", "admin:login")
RATE_GROUP = "accounts.login"
# The owner's earlier successful logins from an address make it theirs for this long.
KNOWN_ADDRESS_DAYS = 90


def _clock() -> float:
    """Seconds since the epoch; tests stop this clock instead of sleeping."""
    return time.time()


class GuardedAxesBackend(AxesStandaloneBackend):
    """axes' check, marking the request when axes refused it, so the refusal is not counted as a guess."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            if request is not None:
                request.accounts_login_refused = True
            raise


def _account_key(username: str) -> str:
    return hashlib.sha256(username.encode()).hexdigest()[:32]


def _window() -> int:
    return settings.ACCOUNTS_LOGIN_FAILURE_WINDOW_SECONDS


def _count_key(account: str, now: float) -> str:
    return f"accounts:login-failures:{account}:{int(now // _window())}"


def _last_key(account: str) -> str:
    return f"accounts:login-last-failure:{account}"


def failures_in_window(username: str, *, now: float | None = None) -> int:
    now = _clock() if now is None else now
    return cache.get(_count_key(_account_key(username), now), 0)


def record_failure(username: str, *, now: float | None = None) -> int:
    """Count one wrong password for this account (from anywhere); returns the count in the current window."""
    now = _clock() if now is None else now
    account = _account_key(username)
    key = _count_key(account, now)
    cache.add(key, 0, timeout=_window())
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_window())
        count = 1
    cache.set(_last_key(account), now, timeout=_window())
    return count


def delay_after(failures: int) -> int:
    """Seconds an unknown address waits after the last failure, for this many failures in the window."""
    over = failures - settings.ACCOUNTS_LOGIN_SLOWDOWN_AFTER
    if over < 0:
        return 0
    return min(2 ** min(over, 30), settings.ACCOUNTS_LOGIN_SLOWDOWN_MAX_SECONDS)


def _known_address(username: str, ip: str | None) -> bool:
    if not ip:
        return False
    since = timezone.now() - timedelta(days=KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(username=username, ip_address=ip, attempt_time__gte=since).exists()


def wait_seconds(username: str, ip: str | None, *, now: float | None = None) -> int:
    """How long this address must wait before trying this account's password again (0: go ahead)."""
    now = _clock() if now is None else now
    delay = delay_after(failures_in_window(username, now=now))
    if not delay:
        return 0
    last = cache.get(_last_key(_account_key(username)))
    if last is None:
        return 0
    remaining = math.ceil(last + delay - now)
    if remaining <= 0 or _known_address(username, ip):
        return 0
    return remaining


class LoginGuardMiddleware:
    """Applies the per-address rate and the per-account slowdown to every login form's POST.

    It answers before the view runs, so a refused attempt never reaches a password check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info in paths_of(LOGIN_URL_NAMES):
            refused = self._refuse(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _refuse(self, request):
        if is_ratelimited(
            request, group=RATE_GROUP, key=ratelimit_ip_key, rate=login_rate, method="POST", increment=True
        ):
            return render(request, "accounts/ratelimited.html", status=429)
        username = axes_username(request, None)
        if not username:
            return None
        wait = wait_seconds(username, client_ip(request))
        if wait:
            until = timezone.localtime(datetime.fromtimestamp(_clock() + wait, tz=UTC))
            response = render(request, "accounts/login_slowed.html", {"until": until, "wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        return None


@receiver(user_login_failed, dispatch_uid="accounts.login_guard.count_failure")
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is None or getattr(request, "accounts_login_refused", False):
        return
    username = axes_username(request, credentials)
    if not username:
        return
    now = _clock()
    count = record_failure(username, now=now)
    if count >= settings.ACCOUNTS_LOGIN_ALERT_AFTER:
        try:
            alert_owner(username, failures=count, now=now)
        except Exception:  # the alert must never turn a failed login into a 500
            logger.exception("could not alert the owner of an account under password guessing")


def alert_owner(username: str, *, failures: int, now: float) -> bool:
    """Tell the owner, once per window, that their account sees many wrong passwords. Nothing the guesser
    typed reaches the message: only the count and the time."""
    from notifications.services import notify

    user = get_user_model().objects.filter(email__iexact=username, is_active=True).first()
    if user is None:
        return False
    window = int(now // _window())
    written = notify(
        recipient=user,
        event="accounts.login_failures",
        context={
            "failures": failures,
            "since": timezone.localtime(datetime.fromtimestamp(window * _window(), tz=UTC)),
        },
        dedup_key=f"accounts:login-failures:{user.pk}:{window}",
    )
    return bool(written)
