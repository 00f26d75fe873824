"""Small helpers every accounts page uses."""

from django.shortcuts import render


def site_url(request) -> str:
    """The origin links in mail point to (the request's own; ALLOWED_HOSTS keeps it honest)."""
    return request.build_absolute_uri("/")


def too_many_requests(request):
    return render(request, "accounts/ratelimited.html", status=429)
