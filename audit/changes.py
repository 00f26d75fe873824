"""Every change made to one customer's records over a period, from the audit trail's historical tables.

A customer is a person (their account, consents, memberships, requests, the appeals and applications they
filed) or an organisation (its card, members, appeals and applications); either way also the contracts bound
to them, with those contracts' supply points, meters and readings, for the time they were bound (before and
after, they are another customer's). The scopes are subqueries over the historical tables themselves, so a
record since deleted still brings its changes. Each audited model costs at most two queries (its rows in the
period, then the versions just before them, for before → after), whatever the volume.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ClosureRequest, Consent, Membership, Organisation, User
from appeals.models import Appeal, AppealDecision, AppealMessage
from contracts.models import Contract, ContractBinding, Meter, Reading, SupplyPoint
from contracts.models_applications import ApplicationSupplyPoint, ContractApplication
from privacy.models import SubjectRequest

KINDS = {"+": _("создано"), "~": _("изменено"), "-": _("удалено")}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    at: datetime
    model: Any  # the audited model (its verbose name and admin URLs)
    object_id: int
    label: str
    kind: str  # "+", "~" or "-"
    who: Any  # the user who made it, or None (a task, a command, the billing import)
    ip_address: str | None
    changes: tuple[FieldChange, ...] = field(default=())
    reason: str = ""

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))

    @property
    def model_label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def history_url(self) -> str | None:
        """The record's own history page in the admin, where it has one."""
        opts = self.model._meta
        try:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[self.object_id])
        except NoReverseMatch:
            return None


def _history(model) -> QuerySet:
    return model.history.model.objects


def _ids(model, **lookups) -> QuerySet:
    """The ids of `model`'s records that ever matched `lookups` (any version in its history)."""
    return _history(model).filter(**lookups).values("id")


def _holdings(holder: dict) -> list[tuple[int, datetime, datetime | None]]:
    """(contract, bound at, unbound at or None) of every binding the holder ever had.

    The bindings table says when a binding ended (an unbinding before the audit trail wrote no history
    row); the history adds bindings since deleted, as their last version had them.
    """
    current = {pk: (contract, bound, unbound) for pk, contract, bound, unbound in
               ContractBinding.objects.filter(**holder).values_list("pk", "contract_id", "bound_at", "unbound_at")}
    for pk, contract, bound, unbound in (_history(ContractBinding).filter(**holder).exclude(id__in=list(current))
                                         .order_by("id", "history_id")
                                         .values_list("id", "contract_id", "bound_at", "unbound_at")):
        current[pk] = (contract, bound, unbound)  # the last version wins
    return list(current.values())


def _held(holdings, *, start: datetime, end: datetime, scope: Callable[[list[int]], Q]) -> Q:
    """Changes to a contract's records count as the holder's only while they held it: before or after, the
    contract, its meters and readings are another customer's. Bindings covering the whole period share one
    term; the others get theirs, limited to their time."""
    whole, windows = set(), {}
    for contract, bound, unbound in holdings:
        if bound <= start and (unbound is None or unbound >= end):
            whole.add(contract)
        elif bound < end and (unbound is None or unbound > start):
            windows.setdefault((max(bound, start), min(unbound or end, end)), set()).add(contract)
    terms = Q(pk__in=[])
    if whole:
        terms |= scope(sorted(whole))
    for (since, until), contracts in windows.items():
        terms |= scope(sorted(contracts)) & Q(history_date__gte=since, history_date__lt=until)
    return terms


def _supply_points(contracts):
    return _ids(SupplyPoint, contract_id__in=contracts)


def _meters(contracts):
    return _ids(Meter, supply_point_id__in=_supply_points(contracts))


def scopes(*, start: datetime, end: datetime, user_id: int | None = None,
           organisation_id: int | None = None) -> list[tuple[Any, Q]]:
    """(model, the filter of its historical rows) for one person or one organisation."""
    if (user_id is None) == (organisation_id is None):
        raise ValueError("a person or an organisation, one of them")
    if user_id is not None:
        own = [
            (User, Q(id=user_id)),
            (Membership, Q(user_id=user_id)),
            (Consent, Q(user_id=user_id)),
            (ClosureRequest, Q(user_id=user_id)),
            (SubjectRequest, Q(user_id=user_id)),
        ]
        holder = {"user_id": user_id}
        appeals = _ids(Appeal, author_id=user_id)
        applications = _ids(ContractApplication, author_id=user_id)
    else:
        own = [
            (Organisation, Q(id=organisation_id)),
            (Membership, Q(organisation_id=organisation_id)),
        ]
        holder = {"organisation_id": organisation_id}
        appeals = _ids(Appeal, organisation_id=organisation_id)
        applications = _ids(ContractApplication, organisation_id=organisation_id)
    holdings = _holdings(holder)

    def held(scope):
        return _held(holdings, start=start, end=end, scope=scope)

    return [
        *own,
        (Appeal, Q(id__in=appeals)),
        (AppealMessage, Q(appeal_id__in=appeals)),
        (AppealDecision, Q(appeal_id__in=appeals)),
        (ContractApplication, Q(id__in=applications)),
        (ApplicationSupplyPoint, Q(application_id__in=applications)),
        (ContractBinding, Q(**holder)),
        (Contract, held(lambda ids: Q(id__in=ids))),
        (SupplyPoint, held(lambda ids: Q(contract_id__in=ids))),
        (Meter, held(lambda ids: Q(supply_point_id__in=_supply_points(ids)))),
        (Reading, held(lambda ids: Q(meter_id__in=_meters(ids)))),
    ]


# A short name for a record from its own columns (never a related row: that would be a query per change).
LABELS: dict[Any, Callable[[Any], str]] = {
    User: lambda row: row.email,
    Organisation: lambda row: _("%(name)s (ИНН %(inn)s)") % {"name": row.name, "inn": row.inn},
    Appeal: lambda row: f"№ {row.number}",
    ContractApplication: lambda row: f"№ {row.number}" if row.number else f"#{row.id}",
    Contract: lambda row: f"№ {row.number}",
    SupplyPoint: lambda row: row.address,
    ApplicationSupplyPoint: lambda row: row.address,
    Meter: lambda row: f"№ {row.serial_number}",
    Reading: lambda row: f"{row.period:%m.%Y}, #{row.meter_id}",
}


def _label(model, row) -> str:
    make = LABELS.get(model)
    return (make(row) if make else "") or f"#{row.id}"


def _display(model_field, value) -> str:
    if value is None or value == "":
        return "—"
    choices = getattr(model_field, "flatchoices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, bool):
        return str(_("да") if value else _("нет"))
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _field_changes(model, row, previous) -> tuple[FieldChange, ...]:
    """Before → after for each field that differs (a creation lists what was set, a deletion nothing)."""
    if row.history_type == "-":
        return ()
    changes = []
    for history_field in model.history.model.tracked_fields:  # the model's own fields, as registered
        name = history_field.attname
        new = getattr(row, name)
        old = getattr(previous, name) if previous is not None else None
        if previous is None and new in (None, ""):
            continue
        if previous is not None and old == new:
            continue
        changes.append(FieldChange(
            field=str(history_field.verbose_name),
            old=_display(history_field, old) if previous is not None else "",
            new=_display(history_field, new),
        ))
    return tuple(changes)


class TooManyChanges(Exception):
    """More than MAX_CHANGES in the period: the page asks for a shorter one rather than load them all."""


MAX_CHANGES = 20_000


def customer_changes(*, start: datetime, end: datetime, user_id: int | None = None,
                     organisation_id: int | None = None) -> list[Change]:
    """The changes in [start, end), newest first; TooManyChanges above MAX_CHANGES rows."""
    result, fetched = [], 0
    for model, scope in scopes(start=start, end=end, user_id=user_id, organisation_id=organisation_id):
        history = _history(model)
        earlier = history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by("-history_id")
        rows = list(
            history.filter(scope, history_date__gte=start, history_date__lt=end)
            .select_related("history_user")
            .annotate(previous_id=Subquery(earlier.values("history_id")[:1]))
            .order_by("-history_id")[: MAX_CHANGES + 1 - fetched]
        )
        fetched += len(rows)
        if fetched > MAX_CHANGES:
            raise TooManyChanges
        if not rows:
            continue
        wanted = {row.previous_id for row in rows if row.previous_id is not None}
        previous = {row.history_id: row for row in history.filter(history_id__in=wanted)} if wanted else {}
        for row in rows:
            changes = _field_changes(model, row, previous.get(row.previous_id))
            if row.history_type == "~" and not changes:
                continue  # a save that changed only what the trail leaves out (last login, the password hash)
            result.append(Change(
                at=row.history_date, model=model, object_id=row.id, label=_label(model, row),
                kind=row.history_type, who=row.history_user, ip_address=row.ip_address,
                changes=changes, reason=row.history_change_reason or "",
            ))
    result.sort(key=lambda change: change.at, reverse=True)
    return result
