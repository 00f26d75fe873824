"""The beat schedule names tasks that exist, with the arguments they accept (a typo would fail silently)."""

import inspect

import pytest
from django.conf import settings

from portal.celery import app


@pytest.fixture(scope="module")
def registered():
    app.loader.import_default_modules()  # what a worker does at start: autodiscover every app's tasks
    return app.tasks


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_scheduled_entry_is_a_registered_task_taking_its_arguments(registered, name):
    entry = settings.CELERY_BEAT_SCHEDULE[name]
    assert entry["task"] in registered, f"{name}: no task {entry['task']!r}"
    task = registered[entry["task"]]
    inspect.signature(task.run).bind(*entry.get("args", ()), **entry.get("kwargs", {}))
    if isinstance(entry["schedule"], int | float):
        assert entry["schedule"] > 0, f"{name}: a schedule of {entry['schedule']} seconds"


def test_the_schedule_is_not_empty():
    assert {"notifications-sweep", "appeals-reminder-scan"} <= set(settings.CELERY_BEAT_SCHEDULE)
