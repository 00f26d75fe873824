"""Writing the journals. Every row is appended, never changed; a view or admin calls one of these."""

from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.security import client_ip

from .models import BulkChange, PersonalDataRead, SecurityEvent


def current_request():
    """The request being served (simple-history's middleware keeps it), None in tasks and commands."""
    return getattr(HistoricalRecords.context, "request", None)


def _user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def read_record(request, *, kind: str, subject_id=None, organisation_id=None, reference: str = "", now=None):
    """A staff member opened a customer's personal data: appended, whoever it was."""
    return PersonalDataRead.objects.create(
        at=now or timezone.now(),
        staff=_user_or_none(getattr(request, "user", None)),
        ip_address=client_ip(request),
        kind=kind,
        subject_id=subject_id,
        organisation_id=organisation_id,
        reference=str(reference)[:200],
        path=request.get_full_path()[:500] if request is not None else "",
    )


def security_event_record(
    kind: str, *, user=None, username: str = "", actor=None, request=None, detail: str = "", now=None
) -> SecurityEvent:
    if actor is None and request is not None:
        actor = _user_or_none(getattr(request, "user", None))
    return SecurityEvent.objects.create(
        at=now or timezone.now(),
        kind=kind,
        user=user,
        username=(username or getattr(user, "email", "") or "")[:254],
        actor=actor,
        ip_address=client_ip(request),
        detail=detail[:500],
    )


def bulk_change_record(*, what: str, summary: dict, actor=None, request=None, now=None) -> BulkChange:
    """A bulk write (bulk_create, UPDATE … FROM) records itself once, with its totals, not per row."""
    request = request or current_request()
    if actor is None and request is not None:
        actor = _user_or_none(getattr(request, "user", None))
    return BulkChange.objects.create(
        at=now or timezone.now(), actor=actor, ip_address=client_ip(request), what=what[:200], summary=summary,
    )
