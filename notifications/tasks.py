"""Celery entry points: thin, they take ids and call services."""

import logging

from celery import shared_task

from notifications import services

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def deliver_notification(notification_id: int) -> None:
    services.notification_deliver(notification_id)


@shared_task(ignore_result=True)
def sweep_notifications() -> None:
    result = services.notifications_sweep()
    if result.requeued or result.sent or result.retried or result.failed:
        logger.info("notification sweep: %s", result)
