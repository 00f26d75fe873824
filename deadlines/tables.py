"""The deadline rules and the production calendar, kept by each process between requests.

Both tables are small (tens of rules, a few dozen days a year) and change a few times a year, yet a
filing read a rule and the calendar and an appeal's page the calendar on every request (issue 11).
Each process keeps a copy of both, tagged with a generation token held in the shared cache (Redis):
a copy whose token is not the current one is read again on its next use. Requests ask for the token
at most once every `REQUEST_CHECK_EVERY` seconds per process, not once per request (a cache round
trip on every page that shows a deadline); tasks and the shell ask on every use. A change made in
this process is seen by its very next use; one made in another process reaches this process's
requests within that second.

The token changes
- on every save or delete of a rule, a calendar day or a calendar year (signals: the admin, the
  services, the shell alike), at once and again when the transaction commits;
- on the bulk changes of their querysets (`update`, `bulk_create`, `bulk_update`: `TableQuerySet`);
- after `migrate` and `flush` (post_migrate), and when the cache has lost the token.
A change made by SQL outside Django reaches the processes when any of these next happens, or after
`MAX_AGE` at the latest.

A transaction that changed either table neither uses nor fills the copy: it reads its own uncommitted
rows from the database, and nothing uncommitted is ever kept.
"""

import threading
import time
import uuid
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, models, transaction

from core.after_response import in_request

GENERATION_KEY = "deadlines:tables-generation"
MAX_AGE = 300  # seconds: a copy is read again after this even if nobody said the tables changed
REQUEST_CHECK_EVERY = 1.0  # seconds: how often this process's requests ask for the token

_lock = threading.Lock()
_copy = None  # the _Tables of this process
_checked_at = float("-inf")  # when this process's requests last asked for the token (time.monotonic)


@dataclass(frozen=True)
class _Tables:
    generation: str
    loaded_at: float
    rules: tuple  # every DeadlineRule, active or not
    days: tuple  # (day, kind) of every CalendarDay, by day
    day_keys: tuple  # the days alone, for bisect
    years: frozenset  # the covered years


class TableQuerySet(models.QuerySet):
    """The rules' and the calendar's querysets: a bulk change makes every process read the tables again."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        changed()
        return rows

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        changed()
        return created

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        changed()
        return rows

    def delete(self):
        result = super().delete()
        changed()
        return result


def _now() -> float:
    return time.monotonic()


def _new_generation() -> str:
    token = uuid.uuid4().hex
    cache.set(GENERATION_KEY, token, timeout=None)
    return token


def _generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


def changed(**kwargs) -> None:
    """The rules or the calendar changed (a signal receiver, or called directly): every copy is stale.

    Inside a transaction the change is not committed yet: this connection's transaction reads the
    database from now on, and the token changes again on commit (a process that re-read the tables
    in between read the committed ones, and reads them once more).
    """
    global _checked_at
    connection = transaction.get_connection(kwargs.get("using") or DEFAULT_DB_ALIAS)
    if connection.in_atomic_block:
        connection.deadlines_changed_in = connection.atomic_blocks[0]
        transaction.on_commit(_new_generation, using=connection.alias)
    _new_generation()
    _checked_at = float("-inf")  # this process's next use asks for the new token


def _changed_here() -> bool:
    """Whether the transaction this connection is in changed the tables (then its reads go to the database)."""
    connection = transaction.get_connection()
    marked = getattr(connection, "deadlines_changed_in", None)
    if marked is None:
        return False
    if connection.in_atomic_block and connection.atomic_blocks and connection.atomic_blocks[0] is marked:
        return True
    connection.deadlines_changed_in = None
    return False


def _load(generation: str) -> _Tables:
    from deadlines.models import CalendarDay, CalendarYear, DeadlineRule

    days = tuple(CalendarDay.objects.order_by("day").values_list("day", "kind"))
    return _Tables(
        generation=generation,
        loaded_at=_now(),
        rules=tuple(DeadlineRule.objects.order_by("pk")),
        days=days,
        day_keys=tuple(day for day, _kind in days),
        years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
    )


def tables() -> _Tables:
    """The current rules and calendar: this process's copy when it is current, else read again."""
    global _copy, _checked_at
    if _changed_here():
        return _load("")
    current = _copy
    now = _now()
    fresh = current is not None and now - current.loaded_at < MAX_AGE
    serving = in_request()
    if fresh and serving and now - _checked_at < REQUEST_CHECK_EVERY:
        return current  # a request of this process asked for the token less than a second ago
    generation = _generation()
    if serving:
        _checked_at = now
    if fresh and current.generation == generation:
        return current
    loaded = _load(generation)
    with _lock:
        _copy = loaded
    return loaded


def rules() -> tuple:
    """Every rule (the instances are shared: copy one before changing it)."""
    return tables().rules


def calendar_rows(start, end) -> tuple[list, list]:
    """The overrides [(day, kind)] from `start` to `end` inclusive, and the covered years between their years."""
    t = tables()
    days = list(t.days[bisect_left(t.day_keys, start):bisect_right(t.day_keys, end)])
    return days, [year for year in t.years if start.year <= year <= end.year]


def forget() -> None:
    """Drop this process's copy (tests that change the tables behind Django's back)."""
    global _copy, _checked_at
    with _lock:
        _copy = None
        _checked_at = float("-inf")
