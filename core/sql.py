"""SQL the ORM lacks, for figures computed in the database: percentiles.

`PercentileCont(expression, fraction)` is PostgreSQL's ordered-set aggregate
`percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`, with the continuous
(interpolated) definition. SQLite, the zero-setup development database, has no
percentiles: `register_sqlite_functions` (connected in portal.apps) gives each SQLite
connection an aggregate `portal_percentile_cont(value, fraction)` with the same
definition, so the queries keep their shape and their count. It is evaluated by
SQLite calling back into Python row by row — fine for development and tests, and the
reason production runs on PostgreSQL.
"""

import math

from django.db.models import Aggregate, FloatField, Func


class PercentileCont(Aggregate):
    function = "percentile_cont"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False

    def __init__(self, expression, fraction: float, **extra):
        fraction = float(fraction)
        if not 0.0 <= fraction <= 1.0:
            raise ValueError("a percentile's fraction is between 0 and 1")
        super().__init__(expression, fraction=repr(fraction), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, function="portal_percentile_cont",
            template="%(function)s(%(expressions)s, %(fraction)s)", **extra_context,
        )


def percentile_cont(values, fraction: float):
    """The continuous percentile of `values` (PostgreSQL's definition); None for no values."""
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class _SqlitePercentile:
    def __init__(self):
        self.values, self.fraction = [], 0.5

    def step(self, value, fraction):
        self.fraction = fraction
        if value is not None:
            self.values.append(float(value))

    def finalize(self):
        return percentile_cont(self.values, self.fraction)


def register_sqlite_functions(sender, connection, **kwargs):
    """connection_created receiver: SQLite connections get the percentile aggregate."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("portal_percentile_cont", 2, _SqlitePercentile)


class SecondsBetween(Func):
    """`end - start` in seconds, as a float (NULL when either is NULL)."""

    output_field = FloatField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM (%(expressions)s))",
                           arg_joiner=" - ", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="((julianday(%(expressions)s)) * 86400.0)",
                           arg_joiner=") - julianday(", **extra_context)
