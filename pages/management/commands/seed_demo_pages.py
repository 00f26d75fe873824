"""Demo tariffs for a development machine: `make run` loads them after seed_demo. Safe to run again.

The data migration seeds pages, FAQ and an office, but no tariffs: real prices must come from the
regulator's decision. Without any, the tariffs page of a fresh demo is empty, so this adds two
periods (the current one and the archive) whose titles say plainly that the prices are made up.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from pages.models import CustomerGroup, TariffPeriod, TariffRate, TariffZone

DEMO_BASIS = "Демонстрационные данные, не решение регулятора"

# (group, zone, price in the previous half-year, price now)
DEMO_RATES = [
    (CustomerGroup.URBAN, TariffZone.SINGLE, "7.20", "8.10"),
    (CustomerGroup.URBAN, TariffZone.DAY, "8.05", "9.05"),
    (CustomerGroup.URBAN, TariffZone.NIGHT, "4.10", "4.60"),
    (CustomerGroup.URBAN_ELECTRIC, TariffZone.SINGLE, "5.04", "5.67"),
    (CustomerGroup.URBAN_ELECTRIC, TariffZone.DAY, "5.63", "6.34"),
    (CustomerGroup.URBAN_ELECTRIC, TariffZone.NIGHT, "2.87", "3.22"),
    (CustomerGroup.RURAL, TariffZone.SINGLE, "5.04", "5.67"),
]


class Command(BaseCommand):
    help = "Creates demo tariffs for development (refuses to run with DEBUG off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo_pages publishes made-up prices: it runs only with DEBUG=true.")
        today = timezone.localdate()
        # Tariffs change on 1 January and 1 July (or 1 October in some years).
        current_start = datetime.date(today.year, 7 if today.month >= 7 else 1, 1)
        if current_start.month == 7:
            previous_start = datetime.date(today.year, 1, 1)
        else:
            previous_start = datetime.date(today.year - 1, 7, 1)
        with transaction.atomic():
            previous = self._period(previous_start, current_start - datetime.timedelta(days=1))
            current = self._period(current_start, None)
            for group, zone, old_price, new_price in DEMO_RATES:
                TariffRate.objects.update_or_create(
                    period=previous, group=group, zone=zone, defaults={"price": Decimal(old_price)}
                )
                TariffRate.objects.update_or_create(
                    period=current, group=group, zone=zone, defaults={"price": Decimal(new_price)}
                )
        self.stdout.write(
            f"Демо-тарифы (не настоящие цены): с {current_start:%d.%m.%Y} и архив с {previous_start:%d.%m.%Y}."
        )

    def _period(self, valid_from, valid_to):
        period, _created = TariffPeriod.objects.update_or_create(
            basis=DEMO_BASIS,
            valid_from=valid_from,
            defaults={
                "title": f"Демонстрационные тарифы с {valid_from:%d.%m.%Y} (не настоящие цены)",
                "valid_to": valid_to,
                "is_published": True,
            },
        )
        return period
