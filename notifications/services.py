"""Every change to notifications: writing them (notify), delivering them, the inbox, preferences.

notify() runs inside the caller's transaction, so a message exists exactly when
its event does (the transactional outbox). Delivery is at-least-once by
construction and at-most-once in practice: a row is claimed by a conditional
UPDATE before anything is sent, a finished send is recorded with the same
fence, and only rows whose worker died (stale "sending") go back to the queue.
"""

import logging
import smtplib
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.headerregistry import Address as MailAddress
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, CharField, F, Value
from django.db.models.constants import OnConflict
from django.utils import timezone

from core.after_response import after_response
from core.prepared import prepared
from notifications.errors import PermanentDeliveryError, ServerUnavailableError, TemporaryDeliveryError
from notifications.events import EventType, get_event_type, get_reminder_policy_spec, reminder_policy_specs
from notifications.models import (
    Channel,
    Notification,
    NotificationPreference,
    NotificationProfile,
    Reminder,
    ReminderPolicy,
)
from notifications.rendering import message_id_for, render_message
from notifications.sms import get_sms_backend

logger = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Address:
    """A recipient without an account: a visitor who gave an email and/or a phone."""

    email: str = ""
    phone: str = ""
    name: str = ""
    language: str = ""


# --- Writing ----------------------------------------------------------------


def notify(
    *,
    recipient,
    event: str,
    context: dict,
    dedup_key: str,
    channels=None,
    legally_required: bool = False,
    link: str = "",
    now=None,
) -> list[Notification]:
    """Write the messages for one event to one person, inside the caller's transaction.

    `recipient` is a User or an Address. `dedup_key` names this message for this
    person (e.g. "appeal:42:registered:user:7"): calling again with the same key
    writes nothing, so callers may retry freely. `channels` narrows the event's
    channels; the person's preferences then apply, except that the default
    channels of a legally required event are always used. Delivery is queued
    after commit; if the broker is down the rows wait for the sweeper.
    Returns the rows written by this call.
    """
    event_type = get_event_type(event)
    legally_required = legally_required or event_type.legally_required
    now = now or timezone.now()
    is_user = not isinstance(recipient, Address)
    if is_user and not recipient.is_active and not legally_required:
        return []
    preferences, language = _switches_and_language(recipient, event_type.key)
    chosen = _channels_for(recipient, event_type, channels, legally_required, preferences)
    if not chosen:
        return []
    # No lookup of the key first: a new key (nearly every call) is simply inserted, and a key written
    # before makes the insert fail on the unique constraint, after which _insert_new keeps the rest.
    name = recipient.get_short_name() if is_user else recipient.name
    message = render_message(
        event_type, context, language=language, recipient_name=name, link=link, recipient_has_account=is_user,
        channels=chosen
    )
    rows = []
    for channel in chosen:
        row = Notification(
            recipient=recipient if is_user else None,
            to_email=recipient.email if channel == Channel.EMAIL else "",
            to_phone=str(recipient.phone) if channel == Channel.SMS else "",
            channel=channel,
            event=event_type.key,
            dedup_key=dedup_key,
            legally_required=legally_required,
            language=language,
            subject=message.subject,
            link_url=link if channel == Channel.INAPP else message.link_url,
            created_at=now,
            next_attempt_at=now,
        )
        if channel == Channel.EMAIL:
            row.body_text, row.body_html = message.email_text, message.email_html
        elif channel == Channel.SMS:
            row.body_text = message.sms
        else:
            # The inbox needs no delivery: the row is the delivered message.
            row.body_text = message.body
            row.status, row.sent_at = Notification.Status.SENT, now
        row.uuid = uuid.uuid4()
        row.message_id = message_id_for(row.uuid)
        rows.append(row)
    created = _insert_new(rows)

    to_deliver = [row.pk for row in created if row.status == Notification.Status.PENDING]
    if to_deliver:
        _enqueue_after_commit(to_deliver)
    return created


def _insert_new(rows: list[Notification]) -> list[Notification]:
    """Insert the rows in one statement, skipping those whose (dedup_key, channel) is taken; return those written.

    `INSERT … ON CONFLICT DO NOTHING RETURNING id, channel`: a key written before (a retry, a concurrent
    writer) keeps its message, the other channels are written, and no savepoint is needed to survive the
    conflict. Django's bulk_create(ignore_conflicts=True) returns no ids, so this asks its insert query
    for them (QuerySet._insert, what bulk_create itself calls).
    """
    meta = Notification._meta
    fields = [f for f in meta.concrete_fields if not f.generated and f is not meta.pk]
    returned = Notification.objects._insert(
        rows, fields=fields, returning_fields=[meta.pk, meta.get_field("channel")], on_conflict=OnConflict.IGNORE
    )
    written = {channel: pk for pk, channel in filter(None, returned)}  # a single row's conflict returns None
    created = []
    for row in rows:
        if row.channel in written:
            row.pk = written.pop(row.channel)
            row._state.adding, row._state.db = False, Notification.objects.db
            created.append(row)
    return created


def _switches_and_language(recipient, event_key: str) -> tuple[dict, str]:
    """A person's switches for one event ({channel: enabled}) and the language of their notices, in one query."""
    if isinstance(recipient, Address):
        return {}, recipient.language or settings.LANGUAGE_CODE
    preferences, language = {}, ""
    for value, enabled, row in _switches_and_profile(user_id=recipient.pk, event_key=event_key):
        if row == "language":
            language = value
        else:
            preferences[value] = enabled
    return preferences, language or settings.LANGUAGE_CODE


@prepared  # every notice asks it: compiled once per process (`core.prepared`)
def _switches_and_profile(*, user_id, event_key):
    switches = NotificationPreference.objects.filter(user_id=user_id, event=event_key).values_list(
        "channel", "enabled", Value("switch", output_field=CharField())
    )
    profile = NotificationProfile.objects.filter(user_id=user_id).values_list(
        "language", Value(True, output_field=BooleanField()), Value("language", output_field=CharField())
    )
    return switches.union(profile, all=True)


def _channels_for(recipient, event_type: EventType, channels, legally_required: bool, preferences) -> list[str]:
    candidates = [c for c in (channels if channels is not None else event_type.channels) if c in event_type.channels]
    if isinstance(recipient, Address):
        # Visitors have no inbox and no preferences: the event's defaults reach them.
        wanted = [c for c in candidates if c in event_type.default_channels and c != Channel.INAPP]
        return [c for c in wanted if (c != Channel.EMAIL or recipient.email) and (c != Channel.SMS or recipient.phone)]

    result = []
    for channel in candidates:
        default = channel in event_type.default_channels
        enabled = (legally_required and default) or preferences.get(channel, default)
        if channel == Channel.SMS and not recipient.phone:
            enabled = False
        if enabled:
            result.append(channel)
    return result


def render_for(recipient, *, event: str, context: dict, link: str = ""):
    """The message `notify` would write for this person, rendered by the same templates, written nowhere.

    For previews: staff see what a customer will get before they send it.
    """
    event_type = get_event_type(event)
    is_user = recipient is not None and not isinstance(recipient, Address)
    name = (recipient.get_short_name() if is_user else recipient.name) if recipient is not None else ""
    language = _language_for(recipient) if recipient is not None else settings.LANGUAGE_CODE
    return render_message(
        event_type, context, language=language, recipient_name=name, link=link, recipient_has_account=is_user
    )


def _language_for(recipient) -> str:
    if isinstance(recipient, Address):
        return recipient.language or settings.LANGUAGE_CODE
    language = NotificationProfile.objects.filter(user=recipient).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


def _enqueue_after_commit(notification_ids) -> None:
    """Hand the rows to the broker once the caller's transaction commits, and in a request once its response
    is sent: the hand-off (1-2 ms) need not hold up the page, and a row that never reaches the queue waits
    for the sweeper."""
    transaction.on_commit(partial(after_response, partial(enqueue_delivery, notification_ids)))


def enqueue_delivery(notification_ids) -> None:
    """Hand rows to the broker after commit; never let a broker outage fail the caller's request."""
    from notifications.tasks import deliver_notification  # tasks import services

    for pk in notification_ids:
        try:
            # retry=False and the broker's connect timeout bound the wait;
            # the sweeper delivers whatever did not reach the queue.
            deliver_notification.apply_async(args=[pk], retry=False)
        except Exception:  # any broker failure leaves the row for the sweeper
            logger.warning("broker unavailable; notification %s waits for the sweeper", pk, exc_info=True)
            return


# --- Delivering ---------------------------------------------------------------


@dataclass
class SweepResult:
    requeued: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    # Rows this sweep had claimed but found taken over by another worker before sending: skipped.
    lost_claims: int = 0
    # Emails handed back untried because the mail server had just failed to answer.
    released: int = 0


def notification_deliver(notification_id: int, *, now=None) -> str | None:
    """Deliver one row if it is still pending and due (the after-commit task). Returns the new status."""
    clock = _clock(now)
    now = clock()
    token = uuid.uuid4()
    claimed = Notification.objects.filter(
        pk=notification_id, status=Notification.Status.PENDING, next_attempt_at__lte=now
    ).update(status=Notification.Status.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
    if not claimed:
        return None  # sent already, taken by another worker, or not due yet
    row = Notification.objects.get(pk=notification_id)
    return _send_claimed(row, now=now)


def notifications_sweep(*, now=None, batch_size=None, time_budget_seconds=45.0) -> SweepResult:
    """The periodic safety net: requeue rows of dead workers, then claim and send due rows in small batches.

    `now` fixes the clock (tests); without it each claim is renewed at the real time
    just before its message is handed over, so a slow but live sweep keeps its rows.
    """
    clock = _clock(now)
    batch_size = batch_size or settings.NOTIFICATIONS_SWEEP_BATCH
    result = SweepResult(requeued=requeue_stale(now=clock()))
    started = time.monotonic()
    connection = get_connection()
    try:
        while time.monotonic() - started < time_budget_seconds:
            rows = claim_due(now=clock(), limit=batch_size)
            smtp_down = False
            for row in rows:
                if smtp_down and row.channel == Channel.EMAIL:
                    # The mail server did not answer a moment ago: do not spend another
                    # EMAIL_TIMEOUT on each remaining email; they wait for the next sweep.
                    _release(row, now=clock())
                    result.released += 1
                    continue
                failures = []
                status = _send_claimed(row, now=clock(), email_connection=connection, failures=failures)
                smtp_down = smtp_down or any(isinstance(exc, ServerUnavailableError) for exc in failures)
                if status == Notification.Status.SENT:
                    result.sent += 1
                elif status == Notification.Status.PENDING:
                    result.retried += 1
                elif status == Notification.Status.FAILED:
                    result.failed += 1
                else:
                    result.lost_claims += 1
            if len(rows) < batch_size or smtp_down:
                break
    finally:
        connection.close()
    return result


def _clock(now):
    return (lambda: now) if now is not None else timezone.now


def claim_due(*, now, limit: int) -> list[Notification]:
    """Take up to `limit` due pending rows for this worker; concurrent claimers get disjoint rows."""
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        Notification.objects.filter(pk__in=ids, status=Notification.Status.PENDING).update(
            status=Notification.Status.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
        )
        return list(
            Notification.objects.filter(pk__in=ids, status=Notification.Status.SENDING, claim_token=token).order_by(
                "pk"
            )
        )


def requeue_stale(*, now) -> int:
    """Rows left "sending" by a worker that stopped: back to the queue, or failed if out of attempts.

    A claim is renewed right before each send, so a row is stale only when its worker
    has not touched it for NOTIFICATIONS_STALE_AFTER_SECONDS (far more than one send can
    take). Each requeue is counted on the row: if the worker died after the server
    accepted the message, the customer gets it twice — the one duplicate we cannot rule out.
    """
    cutoff = now - timedelta(seconds=settings.NOTIFICATIONS_STALE_AFTER_SECONDS)
    stale = Notification.objects.filter(status=Notification.Status.SENDING, claimed_at__lt=cutoff)
    note = "Отправка прервана (обработчик остановился); повтор."
    common = {"claimed_at": None, "claim_token": None, "last_error": note, "requeues": F("requeues") + 1}
    stale.filter(attempts__gte=settings.NOTIFICATIONS_MAX_ATTEMPTS).update(status=Notification.Status.FAILED, **common)
    requeued = stale.update(status=Notification.Status.PENDING, next_attempt_at=now, **common)
    if requeued:
        logger.warning("requeued %s notification(s) of a stopped worker; each may reach its recipient twice", requeued)
    return requeued


def retry_delay(attempts: int) -> timedelta:
    seconds = settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.NOTIFICATIONS_RETRY_MAX_SECONDS))


def _release(row: Notification, *, now) -> None:
    """Hand a claimed row back untried (its attempt is not counted); it is retried a little later."""
    Notification.objects.filter(pk=row.pk, status=Notification.Status.SENDING, claim_token=row.claim_token).update(
        status=Notification.Status.PENDING,
        claimed_at=None,
        claim_token=None,
        attempts=F("attempts") - 1,
        next_attempt_at=now + retry_delay(1),
    )


def _send_claimed(row: Notification, *, now, email_connection=None, failures=None) -> str | None:
    """Send a row this worker claimed, if it still holds the claim; record the result under the same claim."""
    fence = Notification.objects.filter(pk=row.pk, status=Notification.Status.SENDING, claim_token=row.claim_token)
    # Renew the claim right before handing the message over: a row another worker took
    # back (we were too slow) is not sent by us, and a live worker's row does not go stale.
    if not fence.update(claimed_at=now):
        logger.warning("notification %s was taken over by another worker before sending; skipped", row.pk)
        return None
    try:
        provider_id = _hand_over(row, email_connection=email_connection)
    except PermanentDeliveryError as exc:
        logger.warning("notification %s failed permanently: %s", row.pk, exc)
        status, changes = Notification.Status.FAILED, {"last_error": _error_text(exc)}
    except Exception as exc:  # noqa: BLE001 - SMTP 4xx, network, gateway: all retried with backoff
        if failures is not None:
            failures.append(exc)
        logger.warning("notification %s attempt %s failed: %s", row.pk, row.attempts, exc)
        if row.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            status, changes = Notification.Status.FAILED, {"last_error": _error_text(exc)}
        else:
            status = Notification.Status.PENDING
            changes = {"last_error": _error_text(exc), "next_attempt_at": now + retry_delay(row.attempts)}
    else:
        status = Notification.Status.SENT
        changes = {"sent_at": now, "last_error": "", "provider_message_id": provider_id}
    if not fence.update(status=status, claimed_at=None, claim_token=None, **changes):
        # Requeued as stale while we were sending (a send that outlasted the stale window).
        logger.warning("notification %s finished after its claim expired; it may reach its recipient twice", row.pk)
        return None
    return status


def _error_text(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH]


def _hand_over(row: Notification, *, email_connection=None) -> str:
    if row.channel == Channel.EMAIL:
        return _send_email(row, connection=email_connection)
    if row.channel == Channel.SMS:
        if not row.to_phone:
            raise PermanentDeliveryError("нет номера телефона")
        return get_sms_backend().send(phone=row.to_phone, text=row.body_text, message_id=row.message_id) or ""
    raise PermanentDeliveryError(f"channel {row.channel!r} is not delivered by workers")


def _send_email(row: Notification, *, connection=None) -> str:
    if not row.to_email:
        raise PermanentDeliveryError("нет адреса электронной почты")
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=str(MailAddress(display_name=settings.PORTAL_COMPANY_NAME, addr_spec=settings.DEFAULT_FROM_EMAIL)),
        to=[row.to_email],
        headers={"Message-ID": row.message_id, "Auto-Submitted": "auto-generated"},
        connection=connection,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    try:
        message.send()
    except smtplib.SMTPException as exc:
        raise classify_smtp_error(exc) from exc
    except OSError as exc:  # refused, unreachable, timed out: the server, not this message
        raise ServerUnavailableError(f"{type(exc).__name__}: {exc}") from exc
    return ""


def classify_smtp_error(exc: smtplib.SMTPException) -> Exception:
    """An SMTP failure by its reply code, at whatever stage: 5xx permanent, 4xx and no reply temporary.

    Each message has one recipient; a refusal at RCPT carries a code per recipient, and the
    message fails only if every recipient was refused permanently. A 5xx about our own
    login (535), greeting or HELO is about our connection, not the recipient: retried.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in exc.recipients.values()]
        if codes and all(_is_permanent(code) for code in codes):
            return PermanentDeliveryError(f"адрес отклонён сервером: {exc.recipients}")
        return TemporaryDeliveryError(f"адрес временно не принят: {exc.recipients}")
    if isinstance(exc, smtplib.SMTPAuthenticationError | smtplib.SMTPConnectError | smtplib.SMTPHeloError):
        return ServerUnavailableError(f"{type(exc).__name__}: {exc}")
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = f"{exc.smtp_code} {_decode(exc.smtp_error)}"
        if _is_permanent(exc.smtp_code):
            return PermanentDeliveryError(f"сервер отклонил письмо: {reply}")
        return TemporaryDeliveryError(f"сервер временно не принял письмо: {reply}")
    return ServerUnavailableError(f"{type(exc).__name__}: {exc}")  # disconnected, no reply


def _is_permanent(code) -> bool:
    return isinstance(code, int) and 500 <= code < 600


def _decode(text) -> str:
    return text.decode(errors="replace") if isinstance(text, bytes) else str(text)


# --- Staff --------------------------------------------------------------------


def notifications_resend(*, notification_ids, now=None) -> int:
    """Give failed rows a fresh set of attempts (the admin's "resend" action)."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update()
            .filter(pk__in=list(notification_ids), status=Notification.Status.FAILED)
            .exclude(channel=Channel.INAPP)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids).update(
            status=Notification.Status.PENDING, attempts=0, next_attempt_at=now, claimed_at=None, claim_token=None
        )
        if ids:
            _enqueue_after_commit(ids)
    return len(ids)


# --- The inbox and preferences ------------------------------------------------


def notification_mark_read(*, user, notification_id: int, now=None) -> bool:
    """Mark one of the user's own inbox messages read; False if it is not theirs (the view answers 404)."""
    now = now or timezone.now()
    mine = Notification.objects.filter(pk=notification_id, recipient=user, channel=Channel.INAPP)
    mine.filter(read_at__isnull=True).update(read_at=now)
    return mine.exists()


def notifications_mark_all_read(*, user, now=None) -> int:
    now = now or timezone.now()
    return Notification.objects.filter(recipient=user, channel=Channel.INAPP, read_at__isnull=True).update(read_at=now)


def preferences_save(*, user, choices: dict[tuple[str, str], bool], language: str) -> None:
    """Store the person's choices; switches for legally required defaults are ignored (they stay on)."""
    with transaction.atomic():
        for (event, channel), enabled in choices.items():
            event_type = get_event_type(event)
            if channel not in event_type.channels:
                continue
            if event_type.legally_required and channel in event_type.default_channels:
                continue
            NotificationPreference.objects.update_or_create(
                user=user, event=event, channel=channel, defaults={"enabled": enabled}
            )
        NotificationProfile.objects.update_or_create(user=user, defaults={"language": language})


# --- Reminders ------------------------------------------------------------------


def reminder_record(*, subject: str, object_id: int, kind: str, due_on, now=None) -> bool:
    """Record that a reminder fell due, inside the caller's transaction.

    True the first time for (subject, object, kind, date) — the caller then
    notifies; False ever after, whoever asks, however often.
    """
    try:
        with transaction.atomic():
            Reminder.objects.create(
                subject=subject, object_id=object_id, kind=kind, due_on=due_on, created_at=now or timezone.now()
            )
    except IntegrityError:
        return False
    return True


def reminders_recorded(*, subject: str, object_ids, kinds=None) -> set[tuple[int, str, object]]:
    """(object_id, kind, due_on) already recorded for these objects: lets a scan skip them in one query."""
    rows = Reminder.objects.filter(subject=subject, object_id__in=list(object_ids))
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return set(rows.values_list("object_id", "kind", "due_on"))


@dataclass(frozen=True)
class Policy:
    enabled: bool
    values: tuple[int, ...]


def reminder_policies(keys) -> dict[str, Policy]:
    """Staff's settings for these ladder rungs, falling back to the declared defaults; one query."""
    keys = list(keys)
    stored = {row.key: row for row in ReminderPolicy.objects.filter(key__in=keys)}
    result = {}
    for key in keys:
        spec = get_reminder_policy_spec(key)
        row = stored.get(key)
        result[key] = Policy(row.enabled, row.numbers) if row else Policy(spec.default_enabled, spec.default_values)
    return result


def reminder_policies_ensure() -> None:
    """Give every declared ladder rung a row staff can edit (existing rows are left as they are)."""
    ReminderPolicy.objects.bulk_create(
        [
            ReminderPolicy(
                key=spec.key, enabled=spec.default_enabled, values=",".join(str(v) for v in spec.default_values)
            )
            for spec in reminder_policy_specs()
        ],
        ignore_conflicts=True,
    )
