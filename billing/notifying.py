"""What customers are told about their money: a payment succeeded (the receipt), a new bill or document, a debt
warning. Declared to the notifications app, so each appears on the preferences page."""

from django.utils.translation import gettext_lazy as _

from notifications.events import EventType, register
from notifications.models import Channel

PAYMENT_SUCCEEDED = register(
    EventType(
        key="billing.payment_succeeded",
        label=_("Оплата прошла: подтверждение платежа"),
        template="billing/notifications/payment_succeeded",
    )
)
NEW_DOCUMENT = register(
    EventType(
        key="billing.new_document",
        label=_("Новая квитанция или документ по договору"),
        template="billing/notifications/new_document",
    )
)
# ПП 354 п. 119: the warning must reach the customer; its channels cannot be switched off.
DEBT_WARNING = register(
    EventType(
        key="billing.debt_warning",
        label=_("Предупреждение о задолженности"),
        template="billing/notifications/debt_warning",
        default_channels=(Channel.EMAIL, Channel.INAPP),
        legally_required=True,
    )
)
