import logging

from celery import shared_task

from .reminders import request_reminders_scan

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def scan_subject_request_reminders() -> None:
    result = request_reminders_scan()
    if result.total:
        logger.info("data-subject request reminders sent: %s", result.sent)


@shared_task(ignore_result=True)
def apply_retention_rules() -> None:
    from .retention import retention_apply

    retention_apply()
