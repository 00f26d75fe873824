"""Celery entry points for contracts: thin, they call services."""

import logging

from celery import shared_task

from contracts.reminders import reading_reminders_scan
from contracts.reminders_applications import application_reminders_scan

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def scan_reading_reminders() -> None:
    result = reading_reminders_scan()
    if result.total:
        logger.info("reading reminders sent: %s", result.sent)


@shared_task(ignore_result=True)
def scan_application_reminders() -> None:
    result = application_reminders_scan()
    if result.total:
        logger.info("contract application reminders sent: %s", result.sent)
