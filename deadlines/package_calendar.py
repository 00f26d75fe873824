"""The production calendar as the `holidays` package models it (no ORM).

Used to prefill a new year in the admin and, in tests, to check the seeded
years. The package knows holidays, transferred days off and working weekend
days; it does not know shortened pre-holiday days.
"""

from datetime import date

import holidays

NONWORKING, WORKING = "nonworking", "working"


def overrides_from_package(year: int) -> list[tuple[date, str, str]]:
    """(date, kind, the package's name for it) for every day that differs from the Mon–Fri week."""
    calendar = holidays.country_holidays("RU", years=year, language="ru")
    overrides = [(day, NONWORKING, name) for day, name in calendar.items() if day.year == year and day.weekday() < 5]
    overrides += [
        (day, WORKING, "Рабочий выходной день") for day in calendar.weekend_workdays if day.year == year
    ]
    return sorted(overrides)
