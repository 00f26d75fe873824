"""What privacy tells the data subject through the notifications outbox."""

from django.utils.translation import gettext_lazy as _

from notifications.events import STAFF, EventType, ReminderPolicySpec, register, register_reminder_policy
from notifications.models import Channel

# 152-ФЗ ст. 14 ч. 3, ст. 20: the reasoned notice of an extension, and the answer. Both owed by law.
EXTENDED = register(EventType(
    key="privacy.extended",
    label=_("Срок ответа на запрос о персональных данных продлён"),
    template="privacy/notifications/extended",
    default_channels=(Channel.EMAIL, Channel.INAPP),
    optional_channels=(),
    legally_required=True,
))  # fmt: skip
ANSWERED = register(EventType(
    key="privacy.answered",
    label=_("Ответ на запрос о персональных данных"),
    template="privacy/notifications/answered",
    default_channels=(Channel.EMAIL, Channel.INAPP),
    optional_channels=(),
    legally_required=True,
))  # fmt: skip
DUE_SOON = register(EventType(
    key="privacy.request_due_soon",
    label=_("Напоминание: срок ответа на запрос о персональных данных скоро"),
    template="privacy/notifications/due_soon",
    audience=STAFF,
))  # fmt: skip
OVERDUE = register(EventType(
    key="privacy.request_overdue",
    label=_("Срок ответа на запрос о персональных данных нарушен"),
    template="privacy/notifications/overdue",
    audience=STAFF,
))  # fmt: skip
POLICY_DUE_SOON = register_reminder_policy(ReminderPolicySpec(
    key="privacy.request_due_soon",
    label=_("Запросы о персональных данных: напоминать (за сколько рабочих дней)"),
    help_text=_("Всем, кто отвечает на запросы субъектов персональных данных."),
    default_values=(3, 1),
    min_value=0,
    max_value=10,
))  # fmt: skip
