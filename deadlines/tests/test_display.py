"""A due moment reads as a date for day terms and with its time for hour terms: by the rule's unit."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.template import Context, Template

from deadlines.arithmetic import Unit, is_day_term
from deadlines.display import due_display, time_left
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


class TestTimeLeft:
    """The queue's badge: hours and minutes for an hour term, working days for a day term."""

    NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)

    @pytest.mark.parametrize(("due_in", "urgency", "text"), [
        (timedelta(hours=2), "today", "2 ч"),
        (timedelta(hours=1, minutes=40), "today", "1 ч 40 мин"),
        (timedelta(minutes=5), "today", "5 мин"),
        (timedelta(hours=30), "ok", "30 ч"),
        (timedelta(minutes=-90), "overdue", "просрочено на 1 ч 30 мин"),
    ])
    def test_an_hour_term_counts_hours(self, due_in, urgency, text):
        left = time_left(self.NOW + due_in, "hours", now=self.NOW, working_days_left=0)
        assert (left.urgency, left.text) == (urgency, text)

    @pytest.mark.parametrize(("days", "urgency", "text"), [
        (-2, "overdue", "просрочено на 2 раб. дн."),
        (0, "today", "сегодня"),
        (3, "soon", "3 раб. дн."),
        (10, "ok", "10 раб. дн."),
    ])
    def test_a_day_term_counts_working_days(self, days, urgency, text):
        left = time_left(self.NOW + timedelta(days=days), "working_days", now=self.NOW, working_days_left=days)
        assert (left.urgency, left.text) == (urgency, text)
