"""A due moment reads as a date for day terms and with its time for hour terms: by the rule's unit."""

from datetime import date, datetime, time

import pytest
from django.template import Context, Template

from deadlines.arithmetic import Unit, is_day_term
from deadlines.display import due_display
from deadlines.tests.conftest import MOSCOW


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        (Unit.CALENDAR_DAYS, True), ("calendar_days", True), (Unit.WORKING_DAYS, True), ("working_days", True),
        (Unit.HOURS, False), ("hours", False), (None, False), ("", False), ("fortnights", False),
    ],
)  # fmt: skip
def test_is_day_term_comes_from_the_unit(unit, expected):
    assert is_day_term(unit) is expected


END_OF_DAY = datetime.combine(date(2026, 12, 2), time.max, tzinfo=MOSCOW)
AT_23_59 = datetime(2026, 12, 2, 23, 59, tzinfo=MOSCOW)
AFTERNOON = datetime(2026, 12, 2, 14, 30, tzinfo=MOSCOW)


@pytest.mark.parametrize(
    ("due", "unit", "expected"),
    [
        (END_OF_DAY, "calendar_days", "02.12.2026"),
        (END_OF_DAY, "working_days", "02.12.2026"),
        (AFTERNOON, "hours", "02.12.2026 14:30"),
        # An hour term that happens to run out at 23:59 keeps its time: the old guess hid it.
        (AT_23_59, "hours", "02.12.2026 23:59"),
        (END_OF_DAY, None, "02.12.2026 23:59"),
        (None, "hours", ""),
    ],
)
def test_due_display(due, unit, expected):
    assert due_display(due, unit) == expected


def test_the_template_filter_takes_the_unit():
    template = Template("{% load deadline_tags %}{{ due|due:unit }}")
    assert template.render(Context({"due": AT_23_59, "unit": "hours"})) == "02.12.2026 23:59"
    assert template.render(Context({"due": END_OF_DAY, "unit": "calendar_days"})) == "02.12.2026"
