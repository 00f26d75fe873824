"""What the contracts app tells people through the notifications outbox (see notifications/events.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.events import EventType, register
from notifications.models import Channel

# Somebody else's failed attempts locked the binding of your account or contract for a while: once per lock.
BINDING_ATTEMPTS = register(EventType(
    key="contracts.binding_attempts",
    label=_("Кто-то пытался привязать ваш лицевой счёт или договор к своему кабинету"),
    template="contracts/notifications/binding_attempts",
    default_channels=(Channel.EMAIL, Channel.INAPP),
    optional_channels=(),
))  # fmt: skip

# The readings' events (the window opened, a meter's verification is near) live beside their reminders;
# the contract applications' (customer notices, staff reminders) beside theirs.
from contracts import notifying_applications, notifying_readings  # noqa: E402,F401
