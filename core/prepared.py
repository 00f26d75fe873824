"""ORM queries compiled to SQL once per process, then run again with new values.

Building a queryset and compiling it costs 0.2–0.6 ms of CPU per query (bench/README.md, «Fourth
round: queries compiled once»), several times what PostgreSQL needs for the index lookups a customer's page makes. A
page that asks the same few questions on every request pays it for nothing: only the values differ.

`@prepared` turns a function that *builds* a queryset into one that runs it:

    @prepared
    def appeal_by_number(*, number):
        return Appeal.objects.select_related("organisation").filter(number=number)[:2]

    appeal_by_number(number="2026-000001")     # → a list of Appeal objects, organisation attached

The first call in a thread builds the queryset with stand-in values (markers), compiles it, and
remembers where each marker landed among the SQL's parameters. Each call then runs that SQL with the
real values and builds the rows as the ORM would: the same converters, the same `select_related`
objects, `values_list` tuples (or flat values). The queryset stays the single statement of what is
read and who may read it; only its compilation is done once.

What a parameter may be:
- an `int` or a `str` compared as it is (`=`, `IN`), or an aware `datetime` compared as it is (`<`, `>`):
  it becomes a marker;
- a tuple or list of those: one marker each, and its *length* is part of the SQL (`IN (%s, %s)`);
- `None`, a bool, or a `Shape(value)`: passed to the builder as it is, part of the SQL (a filter that is
  there or not, a slice's bounds), so each distinct value compiles once.
A marker the SQL does not carry as a parameter of its own (transformed by `LIKE`, written into the
SQL's text) is a programming error: the first call raises `ImproperlyConfigured`. The builder must
only compose querysets, never run one: it is called with markers, not with real values. It may lock
rows (`select_for_update`): every call outside a transaction is then refused, as the ORM refuses it.

The rows are built with the compiler's internals the way Django's own `ModelIterable` uses them (its
`select`, `klass_info`, converters and related populators): Django is pinned in requirements.txt, and
`core/tests/test_prepared.py` compares the rows with the ORM's, so an upgrade that changes them fails there.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import update_wrapper
from typing import Any

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections
from django.db.models.query import FlatValuesListIterable, ModelIterable, ValuesListIterable, get_related_populators
from django.db.transaction import TransactionManagementError

# The builders' stand-ins: no real id or number takes these values.
_INT_MARKER = -(2**62)
_STR_MARKER = "\x1fprepared-{}\x1f"
_DATETIME_MARKER = datetime(2, 1, 1, tzinfo=UTC)  # plus one microsecond per marker
# Compiled shapes kept per builder and thread; past this (a slice per page number…) the oldest go.
MAX_SHAPES = 64


@dataclass(frozen=True)
class Shape:
    """A value that changes the SQL itself (a slice's bounds, an optional filter): compiled per value."""

    value: Any


@dataclass
class _Compiled:
    using: str
    sql: str
    params: list  # the compiled parameters, markers included
    slots: list  # (position in params, argument name, index in a tuple argument or None, is a datetime)
    compiler: Any
    converters: dict
    kind: str  # "model", "values", "flat", or "empty" (the SQL would be `IN ()`: no rows)
    for_update: bool = False
    init_list: list | None = None
    model_slice: tuple[int, int] | None = None
    populators: list | None = None
    annotations: dict | None = None


def _markers(kwargs: dict) -> tuple[tuple, dict, dict]:
    """The key of the SQL's shape, the builder's arguments, and which marker stands for which value."""
    key, build_kwargs, stand_ins = [], {}, {}
    counter = 0

    def marker(value, name, index):
        nonlocal counter
        counter += 1
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise TypeError(f"{name}: a datetime parameter must be aware")
            stand_in = _DATETIME_MARKER + timedelta(microseconds=counter)
        elif isinstance(value, bool) or not isinstance(value, int | str):
            raise TypeError(f"{name}: only int, str and datetime values can be parameters, not {type(value).__name__}")
        else:
            stand_in = _INT_MARKER - counter if isinstance(value, int) else _STR_MARKER.format(counter)
        stand_ins[stand_in] = (name, index)
        return stand_in

    for name in sorted(kwargs):
        value = kwargs[name]
        if value is None or isinstance(value, bool):
            key.append((name, "fixed", value))
            build_kwargs[name] = value
        elif isinstance(value, Shape):
            key.append((name, "shape", value.value))
            build_kwargs[name] = value.value
        elif isinstance(value, tuple | list):
            key.append((name, "list", len(value), tuple(type(v).__name__ for v in value)))
            build_kwargs[name] = tuple(marker(v, name, i) for i, v in enumerate(value))
        else:
            key.append((name, "value", type(value).__name__))
            build_kwargs[name] = marker(value, name, None)
    return tuple(key), build_kwargs, stand_ins


def _compile(build: Callable, build_kwargs: dict, stand_ins: dict, name: str) -> _Compiled:
    queryset = build(**build_kwargs)
    if queryset._prefetch_related_lookups or queryset._known_related_objects:
        raise ImproperlyConfigured(f"{name}: prefetch_related and related managers' querysets are not prepared")
    iterable = queryset._iterable_class
    kinds = {ModelIterable: "model", ValuesListIterable: "values", FlatValuesListIterable: "flat"}
    if iterable not in kinds:
        raise ImproperlyConfigured(f"{name}: only model rows and values_list() are prepared")
    using = queryset.db
    compiler = queryset.query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # `IN ()` of an empty tuple: no rows, nothing to ask
        sql, params = "", ()
    if not sql:
        return _Compiled(using=using, sql="", params=[], slots=[], compiler=compiler, converters={}, kind="empty")
    params = list(params)
    # A datetime reaches the SQL's parameters adapted for the database (a string on SQLite): look for its
    # marker adapted the same way, and adapt the real value so at each call.
    adapt = connections[using].ops.adapt_datetimefield_value
    lookup = {}
    for stand_in, source in stand_ins.items():
        is_datetime = isinstance(stand_in, datetime)
        adapted = adapt(stand_in) if is_datetime else stand_in
        lookup[(type(adapted), adapted)] = (*source, is_datetime)
    slots, found = [], set()
    for position, param in enumerate(params):
        source = lookup.get((type(param), param))
        if source is not None:
            slots.append((position, *source))
            found.add(source[:2])
    missing = [source for source in stand_ins.values() if source not in found]
    if missing:
        raise ImproperlyConfigured(f"{name}: the SQL does not carry {missing} as parameters of their own")
    fields = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
    if compiler.has_composite_fields(fields):
        raise ImproperlyConfigured(f"{name}: composite fields are not prepared")
    compiled = _Compiled(
        using=using, sql=sql, params=params, slots=slots, compiler=compiler,
        converters=compiler.get_converters(fields), kind=kinds[iterable],
        for_update=bool(queryset.query.select_for_update),
    )
    if compiled.kind == "model":
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        compiled.init_list = [column[0].target.attname for column in select[start:end]]
        compiled.model_slice = (start, end)
        compiled.populators = get_related_populators(klass_info, select, using)
        compiled.annotations = compiler.annotation_col_map
    return compiled


def _run(compiled: _Compiled, kwargs: dict) -> list:
    if compiled.kind == "empty":
        return []
    connection = connections[compiled.using]
    if compiled.for_update and connection.get_autocommit():
        # What the ORM checks when it compiles: a lock taken outside a transaction is released at once.
        raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
    params = list(compiled.params)
    for position, name, index, is_datetime in compiled.slots:
        value = kwargs[name] if index is None else kwargs[name][index]
        if is_datetime:  # aware: _markers checked it
            value = connection.ops.adapt_datetimefield_value(value)
        params[position] = value
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    compiler = compiled.compiler
    if compiler.has_extra_select:
        rows = [row[: compiler.col_count] for row in rows]
    if compiled.converters:
        rows = [tuple(row) for row in compiler.apply_converters(rows, compiled.converters)]
    if compiled.kind == "flat":
        return [row[0] for row in rows]
    if compiled.kind == "values":
        return rows
    model = compiler.klass_info["model"]
    start, end = compiled.model_slice
    objects = []
    for row in rows:
        obj = model.from_db(compiled.using, compiled.init_list, row[start:end])
        for populator in compiled.populators:
            populator.populate(row, obj)
        for attname, column in (compiled.annotations or {}).items():
            setattr(obj, attname, row[column])
        objects.append(obj)
    return objects


class _Prepared:
    def __init__(self, build: Callable):
        self._build = build
        self._name = f"{build.__module__}.{build.__qualname__}"
        # Per thread: a compiler belongs to its thread's database connection.
        self._local = threading.local()
        update_wrapper(self, build)

    def __call__(self, **kwargs) -> list:
        key, build_kwargs, stand_ins = _markers(kwargs)
        cache = self._local.__dict__.setdefault("compiled", {})
        compiled = cache.get(key)
        if compiled is None:
            while len(cache) >= MAX_SHAPES:
                del cache[next(iter(cache))]
            compiled = cache[key] = _compile(self._build, build_kwargs, stand_ins, self._name)
        return _run(compiled, kwargs)

    def queryset(self, **kwargs):
        """The queryset itself, with the real values (for a count, or anything beyond the rows)."""
        return self._build(**{name: value.value if isinstance(value, Shape) else value
                              for name, value in kwargs.items()})


def prepared(build: Callable) -> _Prepared:
    """Decorate a builder of one queryset (keyword arguments only); see the module's docstring."""
    return _Prepared(build)
