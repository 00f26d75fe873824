"""Recount the dashboard's daily rollups: every day since the first appeal, or the last --days days."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from monitoring import rollups


class Command(BaseCommand):
    help = "Recount the supervisors' dashboard daily rollups (all days since the first appeal by default)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="only the last N days, today included")

    def handle(self, *args, days=None, **options):
        today = timezone.localdate()
        first = today - timedelta(days=days - 1) if days else rollups.first_day()
        if first is None:
            self.stdout.write("no appeals")
            return
        done = rollups.refresh_days(first, today)
        self.stdout.write(f"{done} days recounted ({first} – {today})")
