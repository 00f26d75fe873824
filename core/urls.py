"""Paths of named URLs that middleware compares with every request, reversed once per URLconf."""

from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


def paths_of(names: tuple[str, ...]) -> tuple[str, ...]:
    """The paths of those of these URL names the URLconf has, in order.

    A middleware asks this on every request; reversing costs tens of microseconds a name, the same
    answer each time for one URLconf and script prefix, so it is reversed once for each of them.
    """
    return _paths(tuple(names), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=64)
def _paths(names: tuple[str, ...], urlconf, prefix: str) -> tuple[str, ...]:
    found = []
    for name in names:
        try:
            found.append(reverse(name, urlconf=urlconf))
        except NoReverseMatch:
            continue
    return tuple(found)
