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
