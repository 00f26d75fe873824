"""Registration numbers: YYYY-NNNNNN, one gap-free sequence per year."""

from django.db import IntegrityError, transaction

from appeals.models import AppealNumberCounter


def next_number(year: int) -> str:
    """The next registration number of the year, under a row lock on the year's counter."""
    counter = AppealNumberCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        try:
            # A savepoint: if another transaction creates the row first, fall back to locking it.
            with transaction.atomic():
                counter = AppealNumberCounter.objects.create(year=year, last_value=0)
        except IntegrityError:
            counter = AppealNumberCounter.objects.select_for_update().get(year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return f"{year:04d}-{counter.last_value:06d}"
