"""SMS gateways behind one small interface.

settings.SMS_BACKEND names the class to use (a dotted path). The default,
LogSmsBackend, only writes the message to the log, which is what development
and a deployment without an SMS contract want.

To plug in a real gateway, write a subclass of SmsBackend in your own module
and point SMS_BACKEND at it, e.g. SMS_BACKEND=integrations.smsc.SmscBackend:

    from notifications.sms import PermanentDeliveryError, SmsBackend, TemporaryDeliveryError

    class SmscBackend(SmsBackend):
        def send(self, *, phone, text, message_id):
            try:
                response = requests.post(URL, data={...}, timeout=10)
            except requests.RequestException as exc:
                raise TemporaryDeliveryError(str(exc)) from exc     # retried with backoff
            if response.status_code == 400:
                raise PermanentDeliveryError(response.text)         # failed at once, shown in the admin
            response.raise_for_status()                             # anything else is retried too
            return response.json()["id"]                            # kept as provider_message_id

Keep `send` synchronous and bounded by a timeout: it runs in a Celery worker
while the notification row is claimed. `message_id` is stable for the row, so a
gateway that deduplicates by client id will not deliver a retried SMS twice.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from notifications.errors import PermanentDeliveryError, TemporaryDeliveryError

__all__ = ["LocmemSmsBackend", "LogSmsBackend", "PermanentDeliveryError", "SmsBackend", "TemporaryDeliveryError"]

logger = logging.getLogger("notifications.sms")


class SmsBackend:
    def send(self, *, phone: str, text: str, message_id: str) -> str:
        """Hand one SMS to the gateway; return the gateway's id for it (or "")."""
        raise NotImplementedError


class LogSmsBackend(SmsBackend):
    def send(self, *, phone, text, message_id):
        logger.info("SMS to %s [%s]: %s", phone, message_id, text)
        return ""


class LocmemSmsBackend(SmsBackend):
    """Keeps messages in `LocmemSmsBackend.outbox`, like Django's locmem email backend; for tests."""

    outbox: list[dict] = []

    def send(self, *, phone, text, message_id):
        self.outbox.append({"phone": phone, "text": text, "message_id": message_id})
        return f"locmem-{len(self.outbox)}"


def get_sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()
