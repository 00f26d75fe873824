from celery import shared_task

from .reminders import request_reminders_scan


@shared_task(ignore_result=True)
def scan_subject_request_reminders() -> None:
    request_reminders_scan()
