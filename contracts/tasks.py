"""Celery entry points for contracts: thin, they call services."""

import logging

from celery import shared_task

from contracts.reminders import reading_reminders_scan

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def scan_reading_reminders() -> None:
    result = reading_reminders_scan()
    if result.total:
        logger.info("reading reminders sent: %s", result.sent)
