import datetime

from django.template import Context, Template
from django.utils import timezone


def _render(value):
    return Template("{% load portal_tags %}{{ value|iso_datetime }}").render(Context({"value": value}))


def test_a_moment_is_written_to_the_second_in_the_company_time_zone(settings):
    settings.TIME_ZONE = "Europe/Moscow"
    moment = datetime.datetime(2026, 12, 1, 21, 54, 17, 975969, tzinfo=datetime.UTC)
    with timezone.override("Europe/Moscow"):
        assert _render(moment) == "2026-12-02T00:54:17+03:00"


def test_a_date_is_written_as_a_date_and_nothing_else_as_nothing():
    assert _render(datetime.date(2026, 1, 4)) == "2026-01-04"
    assert _render(None) == ""
    assert _render("") == ""
