"""Celery entry points: thin, they call monitoring/rollups.py."""

from celery import shared_task
from django.conf import settings

from monitoring import rollups


@shared_task(ignore_result=True)
def refresh_recent_rollups() -> None:
    rollups.refresh_recent(days=2)


@shared_task(ignore_result=True)
def refresh_rollup_window() -> None:
    rollups.refresh_recent(days=settings.MONITORING_ROLLUP_WINDOW_DAYS)
