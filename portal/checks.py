from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """Rate limits count in the cache: an in-process cache makes them per web process."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "The default cache is in-process, so login and form rate limits are counted per web process.",
                hint="Set CACHE_URL to the shared Redis (redis://host:6379/1).",
                id="portal.W001",
            )
        ]
    return []


# One email send reads up to this many SMTP replies, each bounded by EMAIL_TIMEOUT
# (connect/greeting, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, end of data).
SMTP_REPLIES_PER_SEND = 8


@register()
def stale_window_check(app_configs, **kwargs):
    """A live worker renews its claim before each send; the stale window must outlast one send."""
    longest_send = SMTP_REPLIES_PER_SEND * settings.EMAIL_TIMEOUT
    if longest_send >= settings.NOTIFICATIONS_STALE_AFTER_SECONDS:
        return [
            Warning(
                "NOTIFICATIONS_STALE_AFTER_SECONDS is not longer than one email send can take "
                f"({SMTP_REPLIES_PER_SEND} × EMAIL_TIMEOUT = {longest_send} s): a slow send may be sent twice.",
                hint="Raise NOTIFICATIONS_STALE_AFTER_SECONDS or lower EMAIL_TIMEOUT.",
                id="portal.W002",
            )
        ]
    return []
