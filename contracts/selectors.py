"""Reads for the cabinet's contract pages, always through `contracts.access` (scoped to the user).

Every page runs a constant number of queries whatever the number of contracts, points and meters:
the contracts of a page, then their supply points, their meters, the meters' last readings (one
window query for all of them) and the set of meters the user may submit readings for (one query).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, IntegerField, OuterRef, Prefetch, Subquery, Value, Window
from django.db.models.functions import Coalesce, Lag, RowNumber
from django.utils import timezone

from accounts.models import Membership
from contracts import access
from contracts.models import ContractBinding, Meter, Reading, SupplyPoint

# A meter's next verification within this many days is a warning on its pages.
VERIFICATION_WARNING_DAYS = 60
# The chart shows this many latest months; the table below it shows the whole history.
CHART_MONTHS = 24


def _bound_organisation():
    return Subquery(
        ContractBinding.objects.filter(contract=OuterRef("pk"), unbound_at__isnull=True).values("organisation_id")[:1]
    )


def contracts_for_list(user):
    """The user's contracts, their own accounts first, then each organisation's; a queryset for pagination.

    `bound_organisation_id` says to which of the user's organisations a contract is bound (None: to the user).
    """
    return (
        access.contracts_for_customer(user)
        .annotate(bound_organisation_id=_bound_organisation())
        .order_by(F("bound_organisation_id").asc(nulls_first=True), "number")
    )


def attach_last_readings(meters) -> None:
    """Set `meter.last_reading` (the latest period's reading or None) on each meter: one window query."""
    meters = list(meters)
    if not meters:
        return
    latest = (
        Reading.objects.filter(meter_id__in=[m.pk for m in meters])
        .annotate(rank=Window(RowNumber(), partition_by=[F("meter_id")], order_by=F("period").desc()))
        .filter(rank=1)
    )
    by_meter = {r.meter_id: r for r in latest}
    for meter in meters:
        meter.last_reading = by_meter.get(meter.pk)


def submittable_meter_ids(user, meter_ids) -> set[int]:
    """Which of these meters the user may submit readings for (access.may_submit_readings, in bulk)."""
    if not meter_ids:
        return set()
    return set(access.meters_submittable_by(user).filter(pk__in=meter_ids).values_list("pk", flat=True))


def verification_state(meter, today: datetime.date) -> str:
    """ "overdue", "soon" (within VERIFICATION_WARNING_DAYS) or "" for a meter's next verification date."""
    due = meter.next_verification_on
    if due is None or not meter.in_service:
        return ""
    if due < today:
        return "overdue"
    if due <= today + datetime.timedelta(days=VERIFICATION_WARNING_DAYS):
        return "soon"
    return ""


def _points_prefetch():
    return Prefetch(
        "supply_points",
        queryset=SupplyPoint.objects.order_by("address", "pk").prefetch_related(
            Prefetch("meters", queryset=Meter.objects.order_by(F("removed_on").asc(nulls_first=True), "serial_number"))
        ),
    )


def with_meters(user, contracts, *, today=None) -> list:
    """Load the contracts' supply points and meters, each meter's last reading, whether the user may submit
    readings for it and its verification state: four queries for any number of contracts."""
    today = today or timezone.localdate()
    contracts = list(contracts)
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(contracts, _points_prefetch())
    meters = [m for c in contracts for p in c.supply_points.all() for m in p.meters.all()]
    attach_last_readings(meters)
    allowed = submittable_meter_ids(user, [m.pk for m in meters])
    for meter in meters:
        meter.may_submit = meter.pk in allowed
        meter.verification = verification_state(meter, today)
    return contracts


@dataclass
class Group:
    """A heading of the contracts list: the user's own accounts, or one organisation's contracts."""

    organisation: object = None
    contracts: list = field(default_factory=list)


def admin_organisations(user) -> list:
    """Organisations whose contracts the user may bind and unbind (their administrator)."""
    admins = [m.organisation for m in access.memberships(user) if m.role == Membership.Role.ADMIN]
    return sorted(admins, key=lambda organisation: organisation.name)


def group_contracts(user, contracts) -> list[Group]:
    """Split a page of contracts (ordered by contracts_for_list) under their headings."""
    organisations = {m.organisation_id: m.organisation for m in access.memberships(user)}
    groups: list[Group] = []
    for contract in contracts:
        key = getattr(contract, "bound_organisation_id", None)
        if not groups or getattr(groups[-1].organisation, "pk", None) != key:
            groups.append(Group(organisation=organisations.get(key) if key else None))
        groups[-1].contracts.append(contract)
    return groups


# --- one meter's history -------------------------------------------------------------------


def meter_history(meter) -> list:
    """The meter's readings, oldest first, each with the consumption since the previous one per zone and in
    total (`d1`, `d2`, `d3`, `consumption`; None for the first): one query, LAG computed in SQL."""

    def lag(column):
        return Window(Lag(column), order_by=F("period").asc())

    def delta(column):
        return F(column) - lag(column)

    zero = Value(0, output_field=IntegerField())
    return list(
        Reading.objects.filter(meter=meter)
        .annotate(
            d1=delta("t1"),
            d2=delta("t2"),
            d3=delta("t3"),
            consumption=delta("t1") + Coalesce(delta("t2"), zero) + Coalesce(delta("t3"), zero),
        )
        .order_by("period")
    )


def chart_data(history) -> dict:
    """The monthly consumption chart's figures, from the rows `meter_history` returned."""
    rows = [r for r in history if r.consumption is not None][-CHART_MONTHS:]
    return {
        "labels": [f"{r.period:%m.%Y}" for r in rows],
        "values": [int(r.consumption) for r in rows],
    }


# --- the cabinet's home section --------------------------------------------------------------

# The home page shows this many contracts; the rest are on /contracts/.
CABINET_CONTRACTS = 10


def cabinet_section(user) -> dict:
    """The cabinet home's contracts section (cabinet.sections calls this): a constant number of queries."""
    contracts = list(contracts_for_list(user)[: CABINET_CONTRACTS + 1])
    more = len(contracts) > CABINET_CONTRACTS
    contracts = with_meters(user, contracts[:CABINET_CONTRACTS])
    return {"groups": group_contracts(user, contracts) if contracts else [], "more": more}
