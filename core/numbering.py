"""Registration numbers: one gap-free sequence per year, under a row lock on the year's counter.

Each domain keeps its own counter model (fields `year`, `last_value`) and its own number format.
"""

from django.db import IntegrityError, connection, transaction


def _take(counter_model, year: int) -> int | None:
    """One statement takes the year's next value and holds the row lock until the caller's transaction
    commits (PostgreSQL and SQLite 3.35+ both return the updated row), instead of a locking SELECT and an UPDATE."""
    table = connection.ops.quote_name(counter_model._meta.db_table)  # the model's own name, never input
    sql = f"UPDATE {table} SET last_value = last_value + 1 WHERE year = %s RETURNING last_value"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [year])
        row = cursor.fetchone()
    return row[0] if row else None


def next_in_year(counter_model, year: int) -> int:
    """The next value of the year's sequence; call inside the transaction that uses it, so that a
    registration that fails later rolls its number back with it."""
    value = _take(counter_model, year)
    if value is None:
        # The year's first number: create the counter. A savepoint, so that if another transaction
        # creates the row first we wait for its lock and take the next value after it.
        try:
            with transaction.atomic():
                counter_model.objects.create(year=year, last_value=1)
            value = 1
        except IntegrityError:
            value = _take(counter_model, year)
    return value
