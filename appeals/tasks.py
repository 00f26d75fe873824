"""Celery entry points for appeals: thin, they call services."""

from celery import shared_task

from appeals.reminders import appeal_reminders_scan


@shared_task(ignore_result=True)
def scan_appeal_reminders() -> None:
    appeal_reminders_scan()
