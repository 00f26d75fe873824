"""What accounts tells people through the notifications outbox (links needed to act on an account go
straight out from accounts/emails.py instead)."""

from django.utils.translation import gettext_lazy as _

from notifications.events import EventType, register
from notifications.models import Channel

# Wrong passwords for someone's account from anywhere, past ACCOUNTS_LOGIN_ALERT_AFTER: once per window.
LOGIN_FAILURES = register(EventType(
    key="accounts.login_failures",
    label=_("Много неудачных попыток войти в вашу учётную запись"),
    template="accounts/notifications/login_failures",
    default_channels=(Channel.EMAIL, Channel.INAPP),
    optional_channels=(),
))  # fmt: skip
