"""Who may reach an appeal, and in which role they act on it.

The only way to fetch an appeal, its attachments or its messages for a person, in
the shape of Zulip's `access_*` functions: `access_appeal_for_customer` and
`access_appeal_for_staff` return the object or raise Http404 — another customer's
appeal is never a 403 that would confirm its number exists.

A person can be on both sides of one appeal (a staff member filing about their own
flat), so the role is never guessed where it matters: the cabinet acts as
`CUSTOMER`, the admin as `STAFF`, and `acting_role` checks that the person may act
in the role the interface names. What each role may *do* is `appeals.workflow`'s
business; this module only says who is who.

Contracts, applications and billing follow the same shape: `<objects>_for_<role>`
querysets, `<role>_may_access` predicates, `access_<object>_for_<role>` fetches.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Membership
from accounts.selectors import organisation_ids_of
from appeals.models import Appeal, AppealMessage, Attachment
from appeals.workflow import CUSTOMER, STAFF
from core.prepared import prepared
from deadlines import services as deadline_services

__all__ = [
    "CUSTOMER",
    "STAFF",
    "AmbiguousRole",
    "access_appeal_for_customer",
    "access_appeal_for_staff",
    "access_attachment_for_customer",
    "access_attachment_for_staff",
    "acting_role",
    "appeals_for_customer",
    "appeals_for_staff",
    "customer_may_access",
    "files_sent_by_customer",
    "messages_visible_to_customer",
    "staff_may_access",
    "staff_scope_parts",
]


class AmbiguousRole(ValueError):
    """A programming error: the actor may act on the appeal in both roles and nobody said which."""


# --- the customer side ---------------------------------------------------------------------


def customer_scope(user) -> Q:
    """Own appeals filed as a person, and every appeal of the user's organisations.

    The organisation ids are read first (one small query) and passed as a list:
    with a subquery inside the OR, PostgreSQL cannot combine the two indexes and
    scans the whole table; with literal ids it does a BitmapOr of two index scans.
    """
    return customer_scope_of(user.pk, organisation_ids_of(user))


def customer_scope_of(author_id: int, organisation_ids) -> Q:
    """`customer_scope` from the person's id and their organisations' ids."""
    own = Q(organisation__isnull=True, author_id=author_id)
    return own | Q(organisation_id__in=organisation_ids) if organisation_ids else own


def appeals_for_customer(user) -> QuerySet:
    if user is None or not user.is_authenticated:
        return Appeal.objects.none()
    return Appeal.objects.filter(customer_scope(user))


@prepared
def _membership(*, user_id, organisation_id):
    return Membership.objects.filter(user_id=user_id, organisation_id=organisation_id).values_list("id", flat=True)


def customer_may_access(appeal, user) -> bool:
    """The customer-side rule for one appeal: your own, and your organisations'."""
    if user is None or not user.is_authenticated:
        return False
    if appeal.organisation_id is not None:
        return bool(_membership(user_id=user.pk, organisation_id=appeal.organisation_id))
    return appeal.author_id == user.pk


@prepared
def _appeal_by_number(*, number):
    # The number is unique: one row at most.
    return Appeal.objects.select_related("organisation").filter(number=number)


def access_appeal_for_customer(user, number: str) -> Appeal:
    if user is None or not user.is_authenticated:
        raise Http404
    # The number's unique index finds the row, then `customer_may_access` decides: an own appeal needs no
    # second query. (A scope with the memberships as a subquery cost as much CPU to build as the rest of the
    # appeal's page put together.) Compiled once per process (`core.prepared`): the query's CPU was 0.5 ms.
    found = _appeal_by_number(number=str(number))
    if not found or not customer_may_access(found[0], user):
        raise Http404
    appeal = found[0]
    # Its deadline rule from the process's copy of the rules, not joined into the query.
    deadline_services.with_rules([appeal])
    return appeal


def _visible_to_customer() -> Q:
    # Files sent with the appeal, and with public messages; never those of internal notes.
    return Q(message__isnull=True) | Q(message__is_internal=False)


def messages_visible_to_customer(appeal) -> QuerySet:
    return AppealMessage.objects.filter(appeal=appeal, is_internal=False)


def files_sent_by_customer(appeal) -> QuerySet:
    """The files the customer sent (with the appeal and in replies): the 5-file limit counts these."""
    return Attachment.objects.filter(appeal=appeal).filter(
        Q(message__isnull=True, purpose=Attachment.Purpose.APPEAL) | Q(message__from_staff=False)
    )


def access_attachment_for_customer(user, number: str, attachment_id: int) -> Attachment:
    attachment = (
        Attachment.objects.filter(pk=attachment_id, appeal__number=number)
        .filter(_visible_to_customer())
        .filter(appeal__in=appeals_for_customer(user))
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


# --- the staff side ------------------------------------------------------------------------


def appeals_for_staff(user) -> QuerySet:
    """Supervisors see every appeal; operators their own and unassigned ones."""
    if not (user.is_active and user.is_staff):
        return Appeal.objects.none()
    if user.has_perm("appeals.view_all_appeals"):
        return Appeal.objects.all()
    if not user.has_perm("appeals.view_appeal") and not user.has_perm("appeals.change_appeal"):
        return Appeal.objects.none()
    return Appeal.objects.filter(Q(assignee__isnull=True) | Q(assignee=user))


def staff_scope_parts(user) -> tuple[Q, ...]:
    """`appeals_for_staff(user)` as disjoint conditions that together cover it, each one index range.

    For counting an operator's queue piece by piece (core.paginators); a supervisor's scope is one piece.
    """
    if user.has_perm("appeals.view_all_appeals"):
        return ()
    return (Q(assignee=user), Q(assignee__isnull=True))


def staff_may_access(appeal, user) -> bool:
    """Whether `user` may work on the appeal as staff: operators their own and unassigned ones, supervisors all."""
    if user is None or not (user.is_active and user.is_staff and user.has_perm("appeals.change_appeal")):
        return False
    if user.has_perm("appeals.view_all_appeals"):
        return True
    return appeal.assignee_id in (None, user.pk)


def appeal_pk(object_id) -> int:
    """An appeal id from a URL: anything but a whole number is simply not an appeal (404, not 500)."""
    try:
        return int(str(object_id), 10)
    except ValueError:
        raise Http404 from None


def access_appeal_for_staff(user, object_id, *, related: tuple = ()) -> Appeal:
    """One appeal the staff member may see, with the `related` rows loaded in the same query."""
    appeal = appeals_for_staff(user).select_related(*related).filter(pk=appeal_pk(object_id)).first()
    if appeal is None:
        raise Http404
    return appeal


def number_taken_by_a_colleague(user, object_id) -> str | None:
    """The number of an appeal this operator cannot see because a colleague took it meanwhile.

    Only for staff who work appeals: they are told of the conflict instead of getting a bare 404.
    """
    if not (user.is_active and user.is_staff and user.has_perm("appeals.change_appeal")):
        return None
    return Appeal.objects.filter(pk=appeal_pk(object_id)).values_list("number", flat=True).first()


def access_attachment_for_staff(user, object_id, attachment_id) -> Attachment:
    appeal = access_appeal_for_staff(user, object_id)
    attachment = Attachment.objects.filter(pk=attachment_id, appeal=appeal).first()
    if attachment is None:
        raise Http404
    attachment.appeal = appeal
    return attachment


# --- the role ------------------------------------------------------------------------------


def acting_role(appeal, actor, as_role: str | None = None) -> str:
    """The role `actor` acts in on `appeal`, checked: `as_role` when the interface names it.

    Without `as_role` the actor's only role on the appeal is taken; an actor who may act
    in both (staff with access to their own appeal) must be told which, so it is never
    guessed. Raises PermissionDenied when the actor may not act in that role.
    """
    if as_role not in (None, CUSTOMER, STAFF):
        raise ValueError(f"unknown role {as_role!r}")
    if as_role is None:
        as_staff = staff_may_access(appeal, actor)
        as_customer = customer_may_access(appeal, actor)
        if as_staff and as_customer:
            raise AmbiguousRole("the actor may act as staff and as customer on this appeal: pass as_role")
        if as_staff or as_customer:
            return STAFF if as_staff else CUSTOMER
    elif as_role == STAFF and staff_may_access(appeal, actor):
        return STAFF
    elif as_role == CUSTOMER and customer_may_access(appeal, actor):
        return CUSTOMER
    if actor is not None and actor.is_staff and as_role != CUSTOMER:
        raise PermissionDenied(_("Это обращение назначено другому сотруднику."))
    raise PermissionDenied(_("Нет доступа к обращению."))
