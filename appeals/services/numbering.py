"""Registration numbers: YYYY-NNNNNN, one gap-free sequence per year."""

from django.db import IntegrityError, connection, transaction

from appeals.models import AppealNumberCounter

_TAKE = 'UPDATE "appeals_appealnumbercounter" SET last_value = last_value + 1 WHERE year = %s RETURNING last_value'


def _take(year: int) -> int | None:
    """One statement takes the year's next value and holds the row lock until the filing commits
    (PostgreSQL and SQLite 3.35+ both return the updated row), instead of a locking SELECT and an UPDATE."""
    with connection.cursor() as cursor:
        cursor.execute(_TAKE, [year])
        row = cursor.fetchone()
    return row[0] if row else None


def next_number(year: int) -> str:
    """The next registration number of the year, under a row lock on the year's counter.

    Called inside the filing's transaction: a filing that fails later rolls its number back with it.
    """
    value = _take(year)
    if value is None:
        # The year's first number: create the counter. A savepoint, so that if another transaction
        # creates the row first we wait for its lock and take the next value after it.
        try:
            with transaction.atomic():
                AppealNumberCounter.objects.create(year=year, last_value=1)
            value = 1
        except IntegrityError:
            value = _take(year)
    return f"{year:04d}-{value:06d}"
