"""Celery entry points for billing: thin, they call services."""

import logging

from celery import shared_task

from billing.reminders import billing_notices_scan

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def scan_billing_notices() -> None:
    result = billing_notices_scan()
    if result.total:
        logger.info("billing notices sent: %s", dict(result.sent))
