"""Who may see a contract's money and papers, and pay: the only way to fetch billing's objects for a customer.

It leans on `contracts.access`: a contract bound to the person is theirs in full; a contract bound to an
organisation shows its finances to the organisation's administrators and to the members their administrator
allowed (`Membership.may_see_finances`) — a member who may see the contract may still not see its debts.
Anything else is a 404 (never a 403 that would confirm it exists).

A customer sees a contract's money and papers only from the first month of its present holder's binding (the
earliest `bound_at` of that person's or organisation's bindings of the contract, so an unbind and rebind loses
nothing): the months before belong to the previous holder, whose name, address and amounts the bills carry.
Staff views are not scoped so.
"""

import uuid

from django.db.models import Count, DateField, F, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, TruncMonth
from django.http import Http404

from accounts.models import Membership, Organisation
from billing.models import Document, OnlinePayment
from contracts import access as contracts_access
from contracts.models import Contract, ContractBinding

# Who of an organisation sees its finances: its administrators and the members they allowed. As a Q over
# Membership for a query over many users (the notices' scan); `sees_finances` for one user's memberships.
FINANCE_MEMBERSHIPS = Q(role=Membership.Role.ADMIN) | Q(may_see_finances=True)


def sees_finances(membership: Membership) -> bool:
    return membership.role == Membership.Role.ADMIN or membership.may_see_finances


def finance_organisation_ids(user) -> list[int]:
    """The organisations whose finances the user sees, from the memberships `contracts.access` reads once."""
    if contracts_access._anonymous(user):
        return []
    return [m.organisation_id for m in contracts_access.memberships(user) if sees_finances(m)]


def finance_organisations_for(user) -> QuerySet:
    """The organisations whose finances the user sees, each with `contracts_count` (its bound contracts)."""
    organisation_ids = finance_organisation_ids(user)
    if not organisation_ids:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=organisation_ids).annotate(
        contracts_count=Count("contract_bindings", filter=Q(contract_bindings__unbound_at__isnull=True), distinct=True)
    )


def _scope(user, prefix: str, organisation_ids=None) -> Q:
    active = {f"{prefix}bindings__unbound_at__isnull": True}
    scope = Q(**active, **{f"{prefix}bindings__user": user})
    organisations = finance_organisation_ids(user) if organisation_ids is None else organisation_ids
    if organisations:
        scope |= Q(**active, **{f"{prefix}bindings__organisation_id__in": organisations})
    return scope


def holder_since(contract_ref: str = "pk") -> Subquery:
    """The first month (a date) a customer sees of the contract at `contract_ref` (an OuterRef path): the month of
    the earliest binding of the contract by its present holder — the same person, or the same organisation. NULL
    for a contract bound to nobody. One correlated subquery over the contract's few bindings."""
    active = ContractBinding.objects.filter(contract=OuterRef(OuterRef(contract_ref)), unbound_at__isnull=True)
    holders = ContractBinding.objects.filter(contract=OuterRef(contract_ref)).filter(
        Q(user_id__in=active.filter(user__isnull=False).values("user_id"))
        | Q(organisation_id__in=active.filter(organisation__isnull=False).values("organisation_id"))
    )
    first = holders.values("contract").annotate(first=Min(Cast(TruncMonth("bound_at"), DateField())))
    return Subquery(first.values("first")[:1], output_field=DateField())


def contracts_with_finances_for(user) -> QuerySet:
    """Contracts whose balance, charges, payments and documents the user may see (and pay), each with
    `finances_since`: the first month of them the user sees (`holder_since`)."""
    if contracts_access._anonymous(user):
        return Contract.objects.none()
    # One active binding per contract (a unique constraint): the join never duplicates a row.
    return Contract.objects.filter(_scope(user, "")).annotate(finances_since=holder_since())


def personal_contracts_for(user) -> QuerySet:
    """The contracts bound to the person themselves (their own accounts), each with `finances_since`."""
    if contracts_access._anonymous(user):
        return Contract.objects.none()
    return Contract.objects.filter(bindings__user=user, bindings__unbound_at__isnull=True).annotate(
        finances_since=holder_since()
    )


def access_contract_finances(user, number: str) -> Contract:
    contract = contracts_with_finances_for(user).filter(number=number).first()
    if contract is None:
        raise Http404
    return contract


def access_document_for_customer(user, number: str, document_id) -> Document:
    document = (
        Document.objects.filter(_scope(user, "contract__"), contract__number=number, pk=document_id)
        .alias(finances_since=holder_since("contract"))
        .filter(period__gte=F("finances_since"))
        .select_related("contract")
        .first()
        if not contracts_access._anonymous(user)
        else None
    )
    if document is None:
        raise Http404
    return document


def access_online_payment_for_customer(user, payment_uuid) -> OnlinePayment:
    try:
        key = uuid.UUID(str(payment_uuid))
    except ValueError:
        raise Http404 from None
    if contracts_access._anonymous(user):
        raise Http404
    payment = (
        OnlinePayment.objects.filter(_scope(user, "contract__"), uuid=key)
        .alias(finances_since=holder_since("contract"))
        .filter(created_at__date__gte=F("finances_since"))
        .select_related("contract")
        .first()
    )
    if payment is None:
        raise Http404
    return payment


def access_organisation_finances(user, organisation_id) -> Organisation:
    """An organisation whose finances the user may see: its administrator or a member allowed to."""
    if int(organisation_id) not in finance_organisation_ids(user):
        raise Http404
    return Organisation.objects.get(pk=organisation_id)
