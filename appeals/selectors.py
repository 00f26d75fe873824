"""Every read of appeals for a user, scoped to what that user may see.

Another customer's appeal is simply not in the queryset: views turn that into
a 404, never a 403 that would confirm the number exists.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership, User
from accounts.selectors import staff_with_permission
from appeals.models import Appeal, AppealEvent, AppealMessage, Attachment
from appeals.workflow import REOPEN_WINDOW

S = Appeal.Status

# The list page reads these columns only; the text and answer can be long.
_LIST_COLUMNS = ("number", "subject", "kind", "topic", "status", "due_at", "last_activity_at", "organisation__name",
                 "answered_at", "rated_at", "deadline_rule__unit")


def customer_scope(user) -> Q:
    """Own appeals filed as a person, and every appeal of the user's organisations.

    The organisation ids are read first (one small query) and passed as a list:
    with a subquery inside the OR, PostgreSQL cannot combine the two indexes and
    scans the whole table; with literal ids it does a BitmapOr of two index scans.
    """
    organisations = list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    own = Q(organisation__isnull=True, author=user)
    return own | Q(organisation_id__in=organisations) if organisations else own


def appeals_for_customer(user) -> QuerySet:
    if not user.is_authenticated:
        return Appeal.objects.none()
    return Appeal.objects.filter(customer_scope(user))


def appeal_list_for_customer(user, *, status: str | None = None) -> QuerySet:
    queryset = appeals_for_customer(user).select_related("organisation", "deadline_rule").only(*_LIST_COLUMNS)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-last_activity_at", "-id")


def appeal_for_customer(user, number: str) -> Appeal:
    appeal = appeals_for_customer(user).select_related("organisation", "deadline_rule").filter(number=number).first()
    if appeal is None:
        raise Http404
    return appeal


@dataclass
class AppealPage:
    appeal: Appeal
    events: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    attachments: list = field(default_factory=list)  # filed with the appeal
    answer_letters: list = field(default_factory=list)


def appeal_page_for_customer(user, number: str) -> AppealPage:
    """One appeal as the customer sees it: no internal notes, no staff-only events."""
    appeal = appeal_for_customer(user, number)
    events = list(
        AppealEvent.objects.filter(appeal=appeal, kind__in=AppealEvent.PUBLIC_KINDS)
        .exclude(kind=AppealEvent.Kind.MESSAGE)
        .order_by("created_at", "id")
    )
    messages = list(
        AppealMessage.objects.filter(appeal=appeal, is_internal=False)
        .select_related("author")
        .order_by("created_at", "id")
    )
    files = list(customer_attachments(appeal))
    by_message = {}
    for attachment in files:
        if attachment.message_id:
            by_message.setdefault(attachment.message_id, []).append(attachment)
    for message in messages:
        message.public_attachments = by_message.get(message.pk, [])
    return AppealPage(
        appeal=appeal,
        events=events,
        messages=messages,
        attachments=[a for a in files if a.purpose == Attachment.Purpose.APPEAL],
        answer_letters=[a for a in files if a.purpose == Attachment.Purpose.ANSWER_LETTER],
    )


def customer_attachments(appeal) -> QuerySet:
    return Attachment.objects.filter(appeal=appeal).filter(
        Q(message__isnull=True) | Q(message__is_internal=False)
    ).order_by("created_at", "id")


def customer_uploaded_files(appeal) -> QuerySet:
    """The files the customer sent (with the appeal and in replies): the 5-file limit counts these."""
    return Attachment.objects.filter(appeal=appeal).filter(
        Q(message__isnull=True, purpose=Attachment.Purpose.APPEAL) | Q(message__from_staff=False)
    )


def attachment_for_customer(user, number: str, attachment_id: int) -> Attachment:
    attachment = (
        Attachment.objects.filter(pk=attachment_id, appeal__number=number)
        .filter(Q(message__isnull=True) | Q(message__is_internal=False))
        .filter(appeal__in=appeals_for_customer(user))
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def appeal_for_visitor(*, number: str, email: str) -> Appeal | None:
    """A visitor's status check: the number and the email it was filed with, nothing else.

    Only appeals without an account behind them: a customer's (or an organisation's) appeal
    is seen in the cabinet, and an email is too weak a secret to show it to anyone else.
    """
    email = (email or "").strip().lower()
    if not number or not email:
        return None
    return (
        Appeal.objects.filter(number=number.strip(), contact_email=email, author__isnull=True)
        .only("number", "status", "due_at", "subject", "topic", "kind", "channel", "registered_at", "answered_at")
        .first()
    )


@dataclass
class CabinetAppeals:
    open_appeals: list
    open_count: int
    waiting_count: int
    to_rate: list


def cabinet_appeals_for(user, *, now: datetime, limit: int = 5) -> CabinetAppeals:
    """The cabinet's section: open appeals with due dates and what waits for the customer."""
    scoped = appeals_for_customer(user)
    open_qs = scoped.filter(status__in=Appeal.OPEN_STATUSES)
    counts = open_qs.aggregate(
        total=Count("id"), waiting=Count("id", filter=Q(status=S.WAITING_FOR_CUSTOMER))
    )
    open_appeals = list(
        open_qs.select_related("deadline_rule")
        .only("number", "subject", "status", "due_at", "last_activity_at", "deadline_rule__unit")
        .order_by("due_at", "id")[:limit]
    )
    to_rate = list(
        # Only fresh answers: the same 30 days in which an unsatisfied customer may reopen.
        scoped.filter(status=S.ANSWERED, answered_at__gte=now - REOPEN_WINDOW)
        .filter(Q(rated_at__isnull=True) | Q(rated_at__lt=F("answered_at")))
        .only("number", "subject", "answered_at")
        .order_by("-answered_at")[:limit]
    )
    return CabinetAppeals(
        open_appeals=open_appeals, open_count=counts["total"], waiting_count=counts["waiting"], to_rate=to_rate
    )


def cabinet_section(user) -> dict:
    """The cabinet's appeals section context (the cabinet's section registry calls this)."""
    return {"summary": cabinet_appeals_for(user, now=timezone.now())}


def appeals_for_staff(user) -> QuerySet:
    """Supervisors see every appeal; operators their own and unassigned ones."""
    if not (user.is_active and user.is_staff):
        return Appeal.objects.none()
    if user.has_perm("appeals.view_all_appeals"):
        return Appeal.objects.all()
    if not user.has_perm("appeals.view_appeal") and not user.has_perm("appeals.change_appeal"):
        return Appeal.objects.none()
    return Appeal.objects.filter(Q(assignee__isnull=True) | Q(assignee=user))


def assignees_for(actor):
    """Whom `actor` may give an appeal to: supervisors to anyone working appeals, operators to themselves."""
    if not actor.has_perm("appeals.view_all_appeals"):
        return User.objects.filter(pk=actor.pk)
    return staff_with_permission("appeals.change_appeal", include_superusers=True).order_by(
        "last_name", "first_name", "email"
    )
