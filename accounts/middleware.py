import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SESSION_STARTED_KEY = "_login_at"
RENEWED_KEY = "_renewed_at"


@receiver(user_logged_in)
def _remember_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = request.session[RENEWED_KEY] = time.time()


class AbsoluteSessionLifetimeMiddleware:
    """End a logged-in session a fixed time after login, however active it is.

    The idle limit is SESSION_COOKIE_AGE, renewed by SessionRenewalMiddleware; this adds the
    absolute limit that idle renewal alone cannot give.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = request.session.get(SESSION_STARTED_KEY)
        if started is not None and time.time() - started > settings.SESSION_ABSOLUTE_LIFETIME:
            logout(request)
        return self.get_response(request)


class SessionRenewalMiddleware:
    """Keep an active session alive without writing it on every request.

    A session ends SESSION_COOKIE_AGE (30 minutes) after it was last saved. Saving it on every
    request (SESSION_SAVE_EVERY_REQUEST) costs each page a session write; here a request saves it
    only when its last renewal is SESSION_RENEW_SECONDS (a minute) old or older, so an idle session
    still ends 30 minutes after the last request, give or take that minute. Sessions without data
    (a visitor who never logged in) are left alone, as Django leaves them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or response.status_code >= 500 or session.is_empty():
            return response
        now = time.time()
        renewed = session.get(RENEWED_KEY)
        if renewed is None or not 0 <= now - renewed < settings.SESSION_RENEW_SECONDS:
            session[RENEWED_KEY] = now  # modified: SessionMiddleware saves it and renews the cookie
        return response
