"""The outbox of messages to people, their in-app inbox, and what each person chose to receive.

A Notification row is written in the same transaction as the event that causes
it, so a message exists exactly when its event does; delivery happens later,
claimed row by row, and the row records how it went.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("электронная почта")
    INAPP = "inapp", _("личный кабинет")
    SMS = "sms", _("SMS")


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("ожидает отправки")
        SENDING = "sending", _("отправляется")
        SENT = "sent", _("отправлено")
        FAILED = "failed", _("не доставлено")

    # A user, or — for a visitor without an account — a bare address.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("получатель"),
    )
    to_email = models.EmailField(_("адрес электронной почты"), blank=True)
    to_phone = models.CharField(_("телефон"), max_length=20, blank=True)
    channel = models.CharField(_("канал"), max_length=10, choices=Channel.choices)
    event = models.CharField(_("событие"), max_length=100)
    # The caller's key for "this message about this event to this person";
    # a second notify() with the same key and channel is a no-op.
    dedup_key = models.CharField(_("ключ дедупликации"), max_length=200)
    legally_required = models.BooleanField(_("обязательное по закону"), default=False)
    language = models.CharField(_("язык"), max_length=10, default="ru")

    subject = models.CharField(_("тема"), max_length=255)
    body_text = models.TextField(_("текст"))
    body_html = models.TextField(_("HTML"), blank=True)
    link_url = models.CharField(_("ссылка"), max_length=500, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    # Globally unique, fixed when the row is written: the left-hand side of the email's
    # Message-ID, the same on every retry and never the same on another installation.
    uuid = models.UUIDField(_("уникальный идентификатор"), default=uuid.uuid4, unique=True, editable=False)

    status = models.CharField(_("состояние"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    next_attempt_at = models.DateTimeField(_("следующая попытка"), default=timezone.now)
    claimed_at = models.DateTimeField(_("взято в отправку"), null=True, blank=True)
    # Who holds the row while it is "sending": each claim writes a fresh token, and a
    # worker sends and records only while the row still carries its own token.
    claim_token = models.UUIDField(_("метка захвата"), null=True, blank=True, editable=False)
    # How often the row was taken back from a worker that stopped answering: each time the
    # message may already have reached the server once (the one duplicate we cannot rule out).
    requeues = models.PositiveSmallIntegerField(_("возвращено в очередь"), default=0)
    last_error = models.TextField(_("последняя ошибка"), blank=True)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)
    provider_message_id = models.CharField(_("идентификатор у оператора"), max_length=255, blank=True)

    created_at = models.DateTimeField(_("создано"), default=timezone.now)
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)

    class Meta:
        verbose_name = _("уведомление")
        verbose_name_plural = _("уведомления")
        constraints = [
            models.UniqueConstraint(fields=["dedup_key", "channel"], name="notifications_dedup_key_channel"),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(to_email="") | ~Q(to_phone=""),
                name="notifications_has_address",
            ),
        ]
        indexes = [
            # The sweeper: due pending rows, and rows whose worker died.
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="notif_pending_due_idx"),
            models.Index(fields=["claimed_at"], condition=Q(status="sending"), name="notif_sending_claimed_idx"),
            # The inbox page and the bell's unread count.
            models.Index(
                fields=["recipient", "-created_at", "-id"], condition=Q(channel="inapp"), name="notif_inbox_idx"
            ),
            models.Index(
                fields=["recipient"], condition=Q(channel="inapp", read_at__isnull=True), name="notif_unread_idx"
            ),
            # The admin lists the outbox newest first, and staff look for failures.
            models.Index(fields=["-created_at"], name="notif_created_idx"),
            models.Index(fields=["-created_at"], condition=Q(status="failed"), name="notif_failed_idx"),
        ]
        permissions = [("resend_notification", _("Может отправлять уведомления повторно"))]

    def __str__(self):
        return f"{self.subject} → {self.address}"

    @property
    def address(self):
        if self.channel == Channel.EMAIL:
            return self.to_email
        if self.channel == Channel.SMS:
            return self.to_phone
        return str(self.recipient) if self.recipient_id else ""

    @property
    def is_unread(self):
        return self.read_at is None


class NotificationPreference(models.Model):
    """A person's choice for one event on one channel; absent rows mean the event's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(_("событие"), max_length=100)
    channel = models.CharField(_("канал"), max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(_("включено"))
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("настройка уведомлений")
        verbose_name_plural = _("настройки уведомлений")
        constraints = [
            models.UniqueConstraint(fields=["user", "event", "channel"], name="notifications_preference_unique"),
        ]

    def __str__(self):
        return f"{self.user}: {self.event}/{self.channel} = {self.enabled}"


class NotificationProfile(models.Model):
    """Per-person delivery settings that are not about one event: the language messages are written in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_profile")
    language = models.CharField(_("язык уведомлений"), max_length=10, choices=settings.LANGUAGES, default="ru")

    class Meta:
        verbose_name = _("профиль уведомлений")
        verbose_name_plural = _("профили уведомлений")

    def __str__(self):
        return f"{self.user}: {self.language}"


class Reminder(models.Model):
    """One reminder that fell due, recorded once: the unique row that makes reminder scans idempotent.

    A domain's scan (e.g. appeals/reminders.py) writes a row for (its object,
    the kind of reminder, the date it belongs to) before it notifies anyone;
    a second scan, a second beat or a retried task meets the constraint and
    sends nothing. When a due date moves, the date in the key moves with it,
    so the ladder for the new date starts afresh.
    """

    subject = models.CharField(_("объект"), max_length=100)  # "appeals.appeal"
    object_id = models.PositiveBigIntegerField(_("номер объекта"))
    kind = models.CharField(_("вид напоминания"), max_length=50)
    due_on = models.DateField(_("к дате"))
    created_at = models.DateTimeField(_("создано"), default=timezone.now)

    class Meta:
        verbose_name = _("напоминание")
        verbose_name_plural = _("напоминания")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "object_id", "kind", "due_on"], name="notifications_reminder_once"
            ),
        ]
        # Scans ask "which objects already had this reminder for this day" in one hashed lookup.
        indexes = [models.Index(fields=["subject", "kind", "due_on"], name="notif_reminder_kind_day_idx")]

    def __str__(self):
        return f"{self.subject}#{self.object_id} {self.kind} {self.due_on:%d.%m.%Y}"


class ReminderPolicy(models.Model):
    """Staff's setting for one rung of a domain's reminder ladder (declared in <app>/notifying.py)."""

    key = models.CharField(_("правило"), max_length=100, unique=True)
    enabled = models.BooleanField(_("включено"), default=True)
    values = models.CharField(
        _("значения"),
        max_length=100,
        blank=True,
        help_text=_("Целые числа через запятую; смысл указан в описании правила."),
    )

    class Meta:
        verbose_name = _("правило напоминаний")
        verbose_name_plural = _("правила напоминаний")
        ordering = ["key"]

    def __str__(self):
        return self.key

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(int(v) for v in self.values.replace(" ", "").split(",") if v)
