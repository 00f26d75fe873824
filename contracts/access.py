"""Who may reach a contract, its supply points, meters and readings.

The only way to fetch these objects for a customer (the shape of `appeals.access`):
`<objects>_for_customer` querysets, `access_<object>_for_customer` fetches that
return the object or raise Http404 — another customer's contract or meter is
never a 403 that would confirm it exists.

A contract is visible through its one active binding: to the person it is bound
to, or to every member of the organisation it is bound to. Submitting readings
is narrower: the resident owner, an organisation's administrators, and the
members their administrator allowed (`Membership.may_submit_readings`).
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Membership
from contracts.models import Contract, ContractBinding, Meter, Reading
from core.prepared import prepared


def memberships(user) -> list[Membership]:
    """The user's memberships with their organisations, read once per user object.

    A request's `request.user` is loaded anew for every request, so the memo lives one request;
    a page asks several questions of it (which contracts, which meters to submit, the headings).
    """
    cached = user.__dict__.get("_contracts_memberships")
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation"))
        user.__dict__["_contracts_memberships"] = cached
    return cached


def _organisation_ids(user, *, submitting: bool = False, fresh: bool = False) -> list[int]:
    """`fresh`: read the database, not the memo — for a permission a service checks under its lock."""
    rows = Membership.objects.filter(user=user) if fresh else memberships(user)
    return [
        m.organisation_id
        for m in rows
        if not submitting or m.role == Membership.Role.ADMIN or m.may_submit_readings
    ]


def _binding_scope(user, prefix: str, *, submitting: bool = False, fresh: bool = False) -> Q:
    """Contracts bound to the user, or to one of their organisations, as a Q over `prefix` (a path to Contract)."""
    active = {f"{prefix}bindings__unbound_at__isnull": True}
    own = Q(**active, **{f"{prefix}bindings__user": user})
    organisations = _organisation_ids(user, submitting=submitting, fresh=fresh)
    if organisations:
        return own | Q(**active, **{f"{prefix}bindings__organisation_id__in": organisations})
    return own


def _anonymous(user) -> bool:
    return user is None or not user.is_authenticated


# --- contracts -----------------------------------------------------------------------------


def contracts_for_customer(user) -> QuerySet:
    if _anonymous(user):
        return Contract.objects.none()
    # One active binding per contract (a unique constraint), so the join never duplicates a row.
    return Contract.objects.filter(_binding_scope(user, ""))


def access_contract_for_customer(user, number: str) -> Contract:
    contract = contracts_for_customer(user).filter(number=number).first()
    if contract is None:
        raise Http404
    return contract


def bindings_for_customer(user, *, organisation_ids=None) -> QuerySet:
    """The user's active bindings, personal and their organisations', each with its contract.

    `organisation_ids`: the user's organisations when the caller has already read them.
    """
    if _anonymous(user):
        return ContractBinding.objects.none()
    organisations = _organisation_ids(user) if organisation_ids is None else tuple(organisation_ids)
    return _bindings(user_id=user.pk, organisation_ids=organisations)


def _bindings(*, user_id, organisation_ids):
    scope = Q(user_id=user_id)
    if organisation_ids:
        scope |= Q(organisation_id__in=organisation_ids)
    return ContractBinding.objects.filter(scope, unbound_at__isnull=True).select_related("contract")


_bindings_list = prepared(_bindings)


def binding_list_for_customer(user, *, organisation_ids) -> list[ContractBinding]:
    """`bindings_for_customer`'s rows, from a query compiled once per process (`core.prepared`): the filing form's."""
    if _anonymous(user):
        return []
    return _bindings_list(user_id=user.pk, organisation_ids=tuple(organisation_ids))


def contract_for_filing(user, number: str, organisation=None) -> Contract | None:
    """The contract an appeal filed by `user` — personally, or for `organisation` — may be about, or None.

    Personally: a contract bound to the user; for an organisation: one bound to that organisation.
    """
    if _anonymous(user) or not number:
        return None
    owner = Q(organisation=organisation) if organisation is not None else Q(user=user)
    binding = bindings_for_customer(user).filter(owner, contract__number=number).first()
    return binding.contract if binding else None


# --- meters and readings -------------------------------------------------------------------


def meters_for_customer(user) -> QuerySet:
    if _anonymous(user):
        return Meter.objects.none()
    return Meter.objects.filter(_binding_scope(user, "supply_point__contract__"))


def meters_submittable_by(user, *, fresh: bool = False) -> QuerySet:
    """Meters whose readings this user may submit by hand: in service, read by hand, and allowed to them."""
    if _anonymous(user):
        return Meter.objects.none()
    return Meter.objects.filter(
        _binding_scope(user, "supply_point__contract__", submitting=True, fresh=fresh),
        removed_on__isnull=True,
        remote=False,
    )


def access_meter_for_customer(user, meter_id) -> Meter:
    try:
        pk = int(str(meter_id), 10)
    except ValueError:
        raise Http404 from None
    meter = meters_for_customer(user).select_related("supply_point__contract").filter(pk=pk).first()
    if meter is None:
        raise Http404
    return meter


def may_upload_readings(user) -> bool:
    """An organisation's administrator, or a member they allowed, with a meter to submit for: the file upload.

    A person in no organisation that lets them submit (most residents) is answered without a query.
    """
    if _anonymous(user) or not _organisation_ids(user, submitting=True):
        return False
    return (
        meters_submittable_by(user)
        .filter(supply_point__contract__customer_kind=Contract.CustomerKind.ORGANISATION)
        .exists()
    )


def may_submit_readings(user, meter) -> bool:
    """The readings service's own check, so it reads the memberships as they are now."""
    return meters_submittable_by(user, fresh=True).filter(pk=meter.pk).exists()


def readings_for_customer(user) -> QuerySet:
    if _anonymous(user):
        return Reading.objects.none()
    return Reading.objects.filter(_binding_scope(user, "meter__supply_point__contract__"))


# --- contract applications -----------------------------------------------------------------
#
# Who may apply: a resident for themselves; for an organisation, only its administrator
# (`Membership.Role.ADMIN`, APPLY_ROLE) — an application concludes, changes or ends a contract in the
# organisation's name, which is the administrator's authority. Other members see the organisation's
# applications (as they see its contracts) but may not file, complete, withdraw or sign them off.

APPLY_ROLE = Membership.Role.ADMIN


def organisations_user_may_apply_for(user) -> QuerySet:
    from accounts.models import Organisation

    if _anonymous(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__role=APPLY_ROLE).order_by("name", "pk")


def member_without_apply_right(user) -> bool:
    """A member of some organisation who administers none: told plainly why they cannot apply for it."""
    if _anonymous(user):
        return False
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return bool(roles) and APPLY_ROLE not in roles


def bindings_user_may_apply_on(user) -> QuerySet:
    """The active bindings of the contracts the user may re-register, amend or terminate: those bound to them, and
    those bound to an organisation they administer."""
    if _anonymous(user):
        return ContractBinding.objects.none()
    administered = Membership.objects.filter(user=user, role=APPLY_ROLE).values("organisation_id")
    return ContractBinding.objects.filter(Q(user=user) | Q(organisation_id__in=administered), unbound_at__isnull=True)


def contracts_user_may_apply_on(user, organisation=None) -> QuerySet:
    """Contracts the user may re-register, amend or terminate: their own, or (for `organisation`) its own
    when they administer it."""
    if _anonymous(user):
        return Contract.objects.none()
    owner = Q(user=user) if organisation is None else Q(organisation=organisation)
    return Contract.objects.filter(bindings__in=bindings_user_may_apply_on(user).filter(owner))


def applications_for_customer(user) -> QuerySet:
    from contracts.models import ContractApplication

    if _anonymous(user):
        return ContractApplication.objects.none()
    organisations = _organisation_ids(user)
    scope = Q(author=user, organisation__isnull=True)
    if organisations:
        scope |= Q(organisation_id__in=organisations)
    return ContractApplication.objects.filter(scope)


def _pk(value) -> int:
    try:
        return int(str(value), 10)
    except ValueError:
        raise Http404 from None


def access_application_for_customer(user, application_id, *, related=()):
    application = applications_for_customer(user).select_related(*related).filter(pk=_pk(application_id)).first()
    if application is None:
        raise Http404
    return application


def may_act_on_application(user, application) -> bool:
    """Complete, submit, upload to or withdraw: the resident author; for an organisation, its administrators."""
    if _anonymous(user):
        return False
    if application.organisation_id is None:
        return application.author_id == user.pk
    return Membership.objects.filter(
        user=user, organisation_id=application.organisation_id, role=APPLY_ROLE
    ).exists()


def access_application_document_for_customer(user, application_id, document_id):
    from contracts.models import ApplicationDocument

    application = access_application_for_customer(user, application_id)
    document = ApplicationDocument.objects.filter(application=application, pk=_pk(document_id)).first()
    if document is None:
        raise Http404
    return document
