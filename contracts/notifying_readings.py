"""What customers are told about their readings: the window opened, a meter's verification is near.

Declared to the notifications app (through contracts/notifying.py), so both appear on
each person's preferences page, where a customer may switch them off.
"""

from django.utils.translation import gettext_lazy as _

from notifications.events import EventType, ReminderPolicySpec, register, register_reminder_policy

READINGS_WINDOW = register(EventType(
    key="contracts.readings_window",
    label=_("Напоминание: пора передать показания счётчиков"),
    template="contracts/notifications/readings_window",
))
VERIFICATION_DUE = register(EventType(
    key="contracts.verification_due",
    label=_("Напоминание: скоро срок поверки счётчика"),
    template="contracts/notifications/verification_due",
))

POLICY_WINDOW = register_reminder_policy(ReminderPolicySpec(
    key="contracts.readings_window",
    label=_("Показания: напоминать, что открыт приём"),
    help_text=_("Один раз за месяц каждому, кто может передать показания и ещё не передал их по какому-то "
                "счётчику. Число — с какого дня окна напоминать (0 — с первого)."),
    default_values=(0,),
    value_count=1,
    max_value=31,
))
POLICY_VERIFICATION = register_reminder_policy(ReminderPolicySpec(
    key="contracts.verification_due",
    label=_("Счётчики: напоминать о поверке"),
    help_text=_("За сколько дней до даты очередной поверки напомнить (один раз на каждую дату поверки)."),
    default_values=(60,),
    value_count=1,
    min_value=1,
    max_value=365,
))
