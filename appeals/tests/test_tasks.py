"""The Celery entry point of appeals: a thin wrapper that runs the reminder scan and logs what it sent."""

import logging
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from appeals import services, tasks
from appeals.tests.factories import submit
from notifications.models import Notification
from notifications.scans import ScanResult

pytestmark = pytest.mark.django_db


def test_the_task_runs_the_scan_and_logs_what_it_sent(caplog):
    result = ScanResult(planned=3, sent={"assignee": 2})
    with mock.patch("appeals.tasks.appeal_reminders_scan", return_value=result) as scan, \
            caplog.at_level(logging.INFO, logger="appeals.tasks"):
        outcome = tasks.scan_appeal_reminders.apply()
    assert outcome.successful()
    scan.assert_called_once_with()
    assert "appeal reminders sent: {'assignee': 2} (3 fell due)" in caplog.text


def test_a_scan_that_sends_nothing_logs_nothing(caplog):
    with mock.patch("appeals.tasks.appeal_reminders_scan", return_value=ScanResult()), \
            caplog.at_level(logging.INFO, logger="appeals.tasks"):
        assert tasks.scan_appeal_reminders.apply().successful()
    assert [r for r in caplog.records if r.name == "appeals.tasks"] == []


def test_the_real_scan_run_twice_sends_nothing_new(customer_a, operator, supervisor):
    # Whether the first run escalates depends on the hour (reminders wait for working hours); the second never adds.
    appeal = submit(customer_a, now=timezone.now() - timedelta(days=60))
    services.appeal_transition(appeal.pk, to="in_progress", actor=operator)
    assert tasks.scan_appeal_reminders.apply().successful()
    escalations = Notification.objects.filter(event="appeals.reminder_overdue", recipient=supervisor)
    sent = escalations.count()
    assert tasks.scan_appeal_reminders.apply().successful()
    assert escalations.count() == sent
