"""Object ids in URLs: a number too long for the database is a 404, never a 500."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from core.converters import IdConverter

TOO_BIG = "99999999999999999999"


@pytest.mark.parametrize("value", ["1", "42", "999999999999999999"])
def test_ids_of_one_to_eighteen_digits_are_accepted(value):
    assert IdConverter().to_python(value) == int(value)


@pytest.mark.parametrize("value", ["0", "000"])
def test_zero_is_no_id(value):
    with pytest.raises(ValueError):
        IdConverter().to_python(value)


@pytest.mark.parametrize("value", [TOO_BIG, "9223372036854775808", "1234567890123456789", "١٢", "１２", "-1", "1.5"])
def test_longer_or_non_ascii_values_do_not_match(value):
    import re

    assert not re.fullmatch(IdConverter.regex, value)


def _patterns(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _project_patterns():
    # Django's admin routes take `<path:object_id>`; the project's own patterns are what we own.
    return [(route, p) for route, p in _patterns(get_resolver().url_patterns) if not route.startswith("admin/")]


def test_every_integer_in_a_project_url_is_a_bounded_id():
    integer_routes = [
        route
        for route, pattern in _project_patterns()
        if any(isinstance(c, IntConverter) for c in getattr(pattern.pattern, "converters", {}).values())
    ]
    assert integer_routes, "the walk found no object URL"
    unbounded = [
        route
        for route, pattern in _project_patterns()
        if any(
            isinstance(c, IntConverter) and not isinstance(c, IdConverter)
            for c in getattr(pattern.pattern, "converters", {}).values()
        )
    ]
    assert unbounded == [], "use <id:…> for object ids"


def _too_big_urls():
    urls = []
    for route, pattern in _project_patterns():
        converters = getattr(pattern.pattern, "converters", {})
        if not any(isinstance(c, IdConverter) for c in converters.values()):
            continue
        url = "/" + route
        for key, converter in converters.items():
            token = f"<{'id'}:{key}>"
            url = url.replace(token, TOO_BIG if isinstance(converter, IdConverter) else "2026-000001")
            url = url.replace(f"<appeal_number:{key}>", "2026-000001")
        urls.append(url)
    return sorted(urls)


def test_the_outside_tests_urls_are_among_them():
    urls = _too_big_urls()
    for expected in [
        f"/accounts/organisations/{TOO_BIG}/",
        f"/accounts/organisations/{TOO_BIG}/invite/",
        f"/accounts/organisations/{TOO_BIG}/leave/",
        f"/accounts/organisations/{TOO_BIG}/members/{TOO_BIG}/remove/",
    ]:
        assert expected in urls


@pytest.mark.django_db
@pytest.mark.parametrize("url", _too_big_urls())
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_id_beyond_the_integer_range_is_a_404(client, url, method):
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    response = getattr(client, method)(url)
    assert response.status_code == 404, (url, response.status_code)


@pytest.mark.django_db
def test_an_ordinary_id_still_reaches_the_view(client):
    from accounts.tests.factories import MembershipFactory

    membership = MembershipFactory()
    client.force_login(membership.user)
    assert client.get(f"/accounts/organisations/{membership.organisation_id}/").status_code == 200
