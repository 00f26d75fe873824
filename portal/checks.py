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


@register(Tags.security, deploy=True)
def proxy_address_check(app_configs, **kwargs):
    """Behind a proxy that does not pass the client's address on, every visitor has the proxy's: five wrong
    passwords from anyone would then lock the account's owner out, and one visitor could use up everyone's
    rate limits."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and settings.PROXY_COUNT == 0:
        return [
            Warning(
                "BEHIND_TLS_PROXY is on but PROXY_COUNT is 0: every client would have the proxy's address, so "
                "login lockouts and rate limits would hit all customers at once.",
                hint="Set PROXY_COUNT to the number of our proxies in front of the portal, each appending to "
                "X-Forwarded-For (nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for).",
                id="portal.W003",
            )
        ]
    return []
