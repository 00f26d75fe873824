"""Two submissions for one meter at the same moment: one reading for the month, the later one a correction."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from contracts.models import Reading
from contracts.services.readings import Submitted, submit_reading
from contracts.tests.factories import ReadingFactory, meter_of

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]

NOW = datetime(2026, 12, 20, 12, tzinfo=ZoneInfo("Europe/Moscow"))


def test_two_submissions_at_once_make_one_reading(seeded_database):
    from appeals.tests.test_concurrency import run_together

    resident = UserFactory()
    meter = meter_of(resident)
    ReadingFactory(meter=meter, period=date(2026, 11, 1), t1=100, t2=50)
    results = run_together(
        *[
            (lambda v=v: submit_reading(resident, meter, [str(v), "60"], source=Reading.Source.CABINET, now=NOW))
            for v in (110, 120, 130, 140)
        ]
    )
    assert all(isinstance(r, Submitted) for r in results), results
    assert sorted(r.corrected for r in results) == [False, True, True, True]
    assert Reading.objects.filter(meter=meter, period=date(2026, 12, 1)).count() == 1
