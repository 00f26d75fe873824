"""What privacy tells the data subject through the notifications outbox."""

from django.utils.translation import gettext_lazy as _

from notifications.events import EventType, register
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
