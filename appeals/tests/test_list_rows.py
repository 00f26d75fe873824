"""The customer's list rows written in Python (appeals_tags.appeal_list_rows): the dates as Django writes them."""

from datetime import UTC, datetime

import pytest
from django.utils import dateformat, timezone

from appeals.templatetags.appeals_tags import _minute


@pytest.mark.parametrize("moment", [
    datetime(2026, 1, 2, 3, 4, tzinfo=UTC),  # one-digit day, month, hour and minute: zero-padded
    datetime(2026, 12, 31, 21, 30, tzinfo=UTC),  # the next day and year in Moscow
    datetime(2026, 6, 15, 12, 0, 59, 999999, tzinfo=UTC),
])
def test_the_last_action_is_written_as_djangos_date_format_writes_it(moment):
    assert _minute(moment) == dateformat.format(timezone.localtime(moment), "d.m.Y H:i")


def test_in_another_active_time_zone_too():
    moment = datetime(2026, 3, 8, 23, 45, tzinfo=UTC)
    with timezone.override("Asia/Vladivostok"):
        assert _minute(moment) == dateformat.format(timezone.localtime(moment), "d.m.Y H:i") == "09.03.2026 09:45"
