"""What every appeal service shares: the clock, the row lock, the version check and the audit row."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from appeals import access, notifying
from appeals.models import Appeal, AppealEvent
from deadlines import services as deadline_services

S = Appeal.Status
Event = AppealEvent.Kind


def now_or(now):
    return now or timezone.now()


def company_tz():
    return deadline_services.company_timezone()


def record_event(appeal, *, kind, actor, role, now, from_status="", to_status="", comment=""):
    """Write the audit row for anything that happened to an appeal, and the notices it causes.

    Every service calls this and only this, inside its transaction: notices are outbox rows
    written in the same transaction, so they go out exactly when the change is committed.
    `role` is the role the actor acted in (the access module checked it).
    """
    event = AppealEvent.objects.create(
        appeal=appeal,
        kind=kind,
        actor=actor,
        created_at=now,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    if kind in AppealEvent.PUBLIC_KINDS:
        appeal.last_activity_at = now
    if appeal.first_response_at is None and role == access.STAFF and is_response(kind, to_status):
        # Written at once (not left to the caller's save): every service that responds gets it.
        appeal.first_response_at = now
        Appeal.objects.filter(pk=appeal.pk).update(first_response_at=now)
    notifying.appeal_event_recorded(event, role=role)
    return event


def is_response(kind, to_status="") -> bool:
    """The company's public word to the customer: what the dashboard's time to first response measures."""
    return kind in AppealEvent.RESPONSE_KINDS or (kind == Event.TRANSITION and to_status == S.WAITING_FOR_CUSTOMER)


def lock(appeal_id) -> Appeal:
    try:
        return Appeal.objects.select_for_update().get(pk=appeal_id)
    except Appeal.DoesNotExist:
        raise ValidationError(_("Обращение не найдено.")) from None


def lock_as(appeal_id, actor, as_role=None) -> tuple[Appeal, str]:
    """Lock the appeal and check the role the actor acts in (see `access.acting_role`)."""
    appeal = lock(appeal_id)
    return appeal, access.acting_role(appeal, actor, as_role)


def save(appeal, fields):
    appeal.version += 1
    appeal.save(update_fields=[*fields, "version", "last_activity_at", "updated_at"])


def check_version(appeal, expected_version):
    if expected_version is not None and int(expected_version) != appeal.version:
        raise ValidationError(
            _(
                "Обращение № %(number)s уже изменил другой сотрудник, пока открыта эта страница. "
                "Ваши изменения не сохранены: обновите страницу и проверьте его текущее состояние."
            )
            % {"number": appeal.number},
            code="conflict",
        )


def check_status(appeal, expected_status):
    """Refuse an action taken on a page that showed another status (the appeal changed meanwhile)."""
    if expected_status and expected_status != appeal.status:
        raise status_changed_error(appeal, expected_status)


def status_changed_error(appeal, expected_status) -> ValidationError:
    before = dict(S.choices).get(expected_status, expected_status)
    return ValidationError(
        _(
            "Пока была открыта страница, статус обращения № %(number)s изменился: было «%(before)s», "
            "сейчас «%(now)s». Ничего не сохранено: посмотрите, что изменилось, и при необходимости "
            "повторите действие."
        )
        % {"number": appeal.number, "before": before, "now": appeal.get_status_display()},
        code="conflict",
    )
