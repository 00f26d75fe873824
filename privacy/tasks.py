from celery import shared_task

from .reminders import request_reminders_scan


@shared_task(ignore_result=True)
def scan_subject_request_reminders() -> None:
    request_reminders_scan()


@shared_task(ignore_result=True)
def apply_retention_rules() -> None:
    from .retention import retention_apply

    retention_apply()
