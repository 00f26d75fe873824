"""Celery entry points for appeals: thin, they call services."""

import logging

from celery import shared_task

from appeals.reminders import appeal_reminders_scan

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def scan_appeal_reminders() -> None:
    result = appeal_reminders_scan()
    if result.total:
        logger.info("appeal reminders sent: %s (%d fell due)", result.sent, result.planned)
