from datetime import date
from zoneinfo import ZoneInfo

import pytest

from deadlines.calendar import WorkingCalendar
from deadlines.package_calendar import NONWORKING, overrides_from_package

MOSCOW = ZoneInfo("Europe/Moscow")
YEARS = range(2024, 2028)


def package_calendar(years=YEARS) -> WorkingCalendar:
    """The production calendar as the `holidays` package models it: an oracle independent of our seed."""
    nonworking, working = [], []
    for year in years:
        for day, kind, _name in overrides_from_package(year):
            (nonworking if kind == NONWORKING else working).append(day)
    return WorkingCalendar(nonworking=nonworking, working=working, covered_years=years)


@pytest.fixture(scope="session")
def calendar():
    return package_calendar()


@pytest.fixture
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def d(text: str) -> date:
    return date.fromisoformat(text)
