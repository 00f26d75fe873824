"""Registration numbers: one gap-free sequence per year, under a row lock on the year's counter.

Each domain keeps its own counter model (fields `year`, `last_value`) and its own number format.
"""

from django.db import IntegrityError, transaction


def next_in_year(counter_model, year: int) -> int:
    """The next value of the year's sequence; call inside the transaction that uses it."""
    counter = counter_model.objects.select_for_update().filter(year=year).first()
    if counter is None:
        try:
            # A savepoint: if another transaction creates the row first, fall back to locking it.
            with transaction.atomic():
                counter = counter_model.objects.create(year=year, last_value=0)
        except IntegrityError:
            counter = counter_model.objects.select_for_update().get(year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return counter.last_value
