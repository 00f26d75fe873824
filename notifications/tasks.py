"""Celery entry points: thin, they take ids and call services."""

from celery import shared_task

from notifications import services


@shared_task(ignore_result=True)
def deliver_notification(notification_id: int) -> None:
    services.notification_deliver(notification_id)


@shared_task(ignore_result=True)
def sweep_notifications() -> None:
    services.notifications_sweep()
