import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SESSION_STARTED_KEY = "_login_at"


@receiver(user_logged_in)
def _remember_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = time.time()


class AbsoluteSessionLifetimeMiddleware:
    """End a logged-in session a fixed time after login, however active it is.

    The idle limit is SESSION_COOKIE_AGE renewed on every request; this adds the
    absolute limit that idle renewal alone cannot give.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = request.session.get(SESSION_STARTED_KEY)
        if started is not None and time.time() - started > settings.SESSION_ABSOLUTE_LIFETIME:
            logout(request)
        return self.get_response(request)
