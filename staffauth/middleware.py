"""Staff pages open only after the second factor."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from core.urls import paths_of
from staffauth import selectors

# Staff pages: the admin. The admin's login and logout stay open (the password comes first).
STAFF_PREFIXES = ("admin:index",)
OPEN_URL_NAMES = ("admin:login", "admin:logout")


def second_factor_url(next_url: str) -> str:
    return f"{reverse('staffauth:verify')}?{urlencode({'next': next_url})}"


class StaffSecondFactorMiddleware:
    """A logged-in staff member who has not passed the second factor in this session is sent from any
    staff page to it (enrolment first when they have no authenticator yet), then back where they were
    going. Everyone else, customers included, passes untouched and costs no query here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(paths_of(STAFF_PREFIXES)) and path not in paths_of(OPEN_URL_NAMES):
            user = request.user
            if user.is_authenticated and user.is_staff and not selectors.is_verified(request):
                return redirect(second_factor_url(request.get_full_path()))
        return self.get_response(request)
