"""Every read of appeals for a page: lists, one appeal's page, the cabinet's section, the work page.

Each starts from `appeals.access` (what the user may reach), so another customer's
appeal is simply not there: a 404, never a 403 that would confirm the number exists.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import organisation_ids_of, staff_with_permission
from appeals import access
from appeals.models import Appeal, AppealEvent, AppealMessage, Attachment
from appeals.workflow import REOPEN_WINDOW
from core.prepared import Shape, prepared
from deadlines import services as deadline_services
from deadlines.display import due_display, explanation_lines

S = Appeal.Status

# The list page reads these columns only; the text and answer can be long.
_LIST_COLUMNS = ("number", "subject", "contact_name", "kind", "topic", "status", "due_at", "last_activity_at",
                 "organisation__name", "answered_at", "rated_at", "deadline_rule__unit")


@prepared
def _customer_list(*, author_id, organisation_ids, status, window):
    queryset = (Appeal.objects.filter(access.customer_scope_of(author_id, organisation_ids))
                .select_related("organisation", "deadline_rule").only(*_LIST_COLUMNS))
    if status is not None:
        queryset = queryset.filter(status=status)
    start, stop = window
    return queryset.order_by("-last_activity_at", "-id")[start:stop]


class CustomerAppealList:
    """The customer's appeals, newest activity first, for a paginator: `[a:b]` reads those rows, `count()` counts.

    The rows come from a query compiled once per process (`core.prepared`): on the list page building and
    compiling it cost more CPU than everything else the page asks the database.
    """

    ordered = True

    def __init__(self, user, *, status: str | None = None):
        self._arguments = None  # nobody's: an anonymous visitor has no appeals
        if user is not None and user.is_authenticated:
            self._arguments = {"author_id": user.pk, "organisation_ids": organisation_ids_of(user),
                               "status": status or None}

    def __getitem__(self, window) -> list[Appeal]:
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("the appeal list is read in slices")
        if self._arguments is None:
            return []
        return _customer_list(**self._arguments, window=Shape((window.start, window.stop)))

    def count(self) -> int:
        if self._arguments is None:
            return 0
        return _customer_list.queryset(**self._arguments, window=Shape((None, None))).count()


def appeal_list_for_customer(user, *, status: str | None = None) -> CustomerAppealList:
    return CustomerAppealList(user, status=status)


@dataclass
class AppealPage:
    appeal: Appeal
    events: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    attachments: list = field(default_factory=list)  # filed with the appeal
    answer_letters: list = field(default_factory=list)
    decisions: list = field(default_factory=list)  # what was decided on the appeal, and when it was done

    @property
    def info_request(self):
        """The operator's latest request for information (its text is the question the customer answers)."""
        requests = [e for e in self.events if e.kind == AppealEvent.Kind.TRANSITION
                    and e.to_status == S.WAITING_FOR_CUSTOMER]
        return requests[-1] if requests else None


# The two queries every appeal page makes, compiled once per process (`core.prepared`).
@prepared
def _public_events(*, appeal_id):
    events = AppealEvent.objects.filter(appeal_id=appeal_id, kind__in=AppealEvent.PUBLIC_KINDS)
    return events.order_by("created_at", "id")


@prepared
def _attachments(*, appeal_id):
    return Attachment.objects.filter(appeal_id=appeal_id).order_by("created_at", "id")


def appeal_page_for_customer(user, number: str) -> AppealPage:
    """One appeal as the customer sees it: no internal notes, no staff-only events.

    The services write an event for every public message (MESSAGE) and every decision (DECISION), so
    the messages and the decisions are read only when the history says there are some: most appeals
    have neither, and each query saved is a tenth of the page's time.
    """
    appeal = access.access_appeal_for_customer(user, number)
    events = _public_events(appeal_id=appeal.pk)
    kinds = {event.kind for event in events}
    messages = []
    if AppealEvent.Kind.MESSAGE in kinds:
        messages = list(access.messages_visible_to_customer(appeal).order_by("created_at", "id"))
    # Files sent with the appeal, with its public messages and as answer letters; never an internal note's.
    by_message = {message.pk: [] for message in messages}
    files = []
    for attachment in _attachments(appeal_id=appeal.pk):
        if attachment.message_id is None:
            files.append(attachment)
        elif attachment.message_id in by_message:
            by_message[attachment.message_id].append(attachment)
    for message in messages:
        message.public_attachments = by_message[message.pk]
    decisions = list(appeal.decisions.order_by("created_at", "id")) if AppealEvent.Kind.DECISION in kinds else []
    return AppealPage(
        appeal=appeal,
        # The page shows the messages themselves, not their events.
        events=[event for event in events if event.kind != AppealEvent.Kind.MESSAGE],
        messages=messages,
        attachments=[a for a in files if a.purpose == Attachment.Purpose.APPEAL],
        answer_letters=[a for a in files if a.purpose == Attachment.Purpose.ANSWER_LETTER],
        decisions=decisions,
    )


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
    scoped = access.appeals_for_customer(user)
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


# --- the staff queue and work page (the Django admin) ----------------------------------------

# The queue reads the columns its rows show and nothing else: 50 rows of every column of the appeal and of
# its four related rows were a quarter of the page's time at 1,000,000 appeals (issue 11).
QUEUE_COLUMNS = (
    "number", "subject", "status", "kind", "topic", "channel", "due_at", "contact_name",
    "organisation__name", "organisation__inn", "contract__number", "deadline_rule",
    "assignee__last_name", "assignee__first_name", "assignee__patronymic", "assignee__email",
)
# The people the work page names: read together in one query after the appeal. Joined into the appeal's own
# query (nine tables with the rule and the consent), they cost PostgreSQL 28 ms of planning per page (issue 11).
_WORK_PAGE_PEOPLE = ("assignee", "author", "answered_by", "answer_draft_by", "extended_by")


def appeal_for_work_page(user, object_id) -> Appeal:
    """One appeal for the staff's work page (`access.access_appeal_for_staff`), with what the page shows of it:
    its organisation and contract in the same query, its people in a second, its rule from the process's copy.
    The visitor's consent (visitors' appeals only) is read when the page asks for it."""
    appeal = access.access_appeal_for_staff(user, object_id, related=("organisation", "contract"))
    ids = {getattr(appeal, f"{name}_id") for name in _WORK_PAGE_PEOPLE} - {None}
    people = User.objects.in_bulk(ids) if ids else {}
    for name in _WORK_PAGE_PEOPLE:
        person_id = getattr(appeal, f"{name}_id")
        if person_id is not None:
            setattr(appeal, name, people[person_id])
    deadline_services.with_rules([appeal])
    return appeal


def staff_queue(user) -> QuerySet:
    return (
        access.appeals_for_staff(user)
        # The rules come from the process's copy (`deadline_services.with_rules`): one join fewer to plan on every page.
        .select_related("organisation", "assignee", "contract")
        .only(*QUEUE_COLUMNS)
    )


def queue_by_status(queryset, status: str | None, *, everything: str) -> QuerySet:
    """The queue is work to do: open appeals unless a status (or `everything`) is asked for."""
    if status is None:
        return queryset.filter(status__in=Appeal.OPEN_STATUSES)
    if status == everything:
        return queryset
    if status in S.values:
        return queryset.filter(status=status)
    return queryset.none()


def queue_by_assignee(queryset, choice: str | None, user) -> QuerySet:
    if choice == "mine":
        return queryset.filter(assignee=user)
    if choice == "none":
        return queryset.filter(assignee__isnull=True)
    return queryset


def queue_by_deadline(queryset, choice: str | None, *, now: datetime, soon_working_days: int) -> QuerySet:
    """Overdue open appeals, or those due by the end of the N-th working day from today."""
    if choice == "overdue":
        return queryset.filter(status__in=Appeal.OPEN_STATUSES, due_at__lt=now)
    if choice == "soon":
        cutoff = deadline_services.working_days_cutoff(now=now, days=soon_working_days)
        return queryset.filter(status__in=Appeal.OPEN_STATUSES, due_at__gte=now, due_at__lte=cutoff)
    return queryset


@dataclass
class WorkPage:
    events: list
    conversation: list  # every message and note, each with its `files`
    appeal_files: list  # filed with the appeal
    decisions: list = field(default_factory=list)  # decisions taken on it, each with its responsible


def work_page_for_staff(appeal) -> WorkPage:
    """Everything staff see on one appeal (fetched through `access.access_appeal_for_staff`): four queries."""
    events = list(AppealEvent.objects.filter(appeal=appeal).select_related("actor").order_by("created_at", "id"))
    conversation = list(
        AppealMessage.objects.filter(appeal=appeal).select_related("author").order_by("created_at", "id")
    )
    files = list(Attachment.objects.filter(appeal=appeal).order_by("created_at", "id"))
    for message in conversation:
        message.files = [a for a in files if a.message_id == message.pk]
    return WorkPage(events=events, conversation=conversation, appeal_files=[a for a in files if a.message_id is None],
                    decisions=list(appeal.decisions.select_related("responsible").order_by("due_on", "id")))


def assignees_for(actor):
    """Whom `actor` may give an appeal to: supervisors to anyone working appeals, operators to themselves."""
    if not actor.has_perm("appeals.view_all_appeals"):
        return User.objects.filter(pk=actor.pk)
    return staff_with_permission("appeals.change_appeal", include_superusers=True).order_by(
        "last_name", "first_name", "email"
    )


def due_explanation(page: AppealPage) -> list[str] | None:
    """Why the appeal's due date is what it is, in sentences (next to the date on its page).

    Counted again from the event its term runs from (receipt, registration or the last
    reopening); None if the rule was edited since and no longer gives that date.
    """
    appeal = page.appeal
    rule = appeal.deadline_rule
    if rule is None:
        return None
    reopenings = [e for e in page.events if e.kind == AppealEvent.Kind.TRANSITION and e.to_status == S.REOPENED]
    if reopenings:
        event_at, counted_from = reopenings[-1].created_at, _("со дня возобновления обращения")
    elif rule.start_event == rule.StartEvent.RECEIPT:
        event_at, counted_from = appeal.received_at, _("с момента поступления обращения")
    else:
        event_at, counted_from = appeal.registered_at, _("со дня регистрации обращения")
    try:
        explanation = deadline_services.explain_deadline(rule, event_at=event_at)
    except ValueError:
        return None
    base_due = appeal.due_at_before_extension or appeal.due_at
    tz = deadline_services.company_timezone()
    if explanation.last_day != timezone.localtime(base_due, tz).date():
        return None
    lines = explanation_lines(explanation, counted_from=counted_from)
    if appeal.extended_at and appeal.due_at_before_extension:
        lines.append(
            _("Затем срок продлён до %(due)s; причина — в истории обращения.")
            % {"due": due_display(appeal.due_at, rule.unit)}
        )
    return lines
