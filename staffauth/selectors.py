"""Reads: whether this session passed the second factor, and a staff member's devices."""

from django.core.cache import cache
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# A verified device is remembered in the cache for this long, so a staff page costs no extra query;
# a reset forgets it at once (and, with a per-process cache, within this many seconds everywhere).
VERIFIED_CACHE_SECONDS = 300


def verified_cache_key(persistent_id: str) -> str:
    return f"staffauth:verified-device:{persistent_id}"


def is_verified(request) -> bool:
    """True when this session typed a code of a confirmed device that still belongs to its user."""
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    user = request.user
    if not persistent_id or not user.is_authenticated:
        return False
    key = verified_cache_key(persistent_id)
    if cache.get(key) == user.pk:
        return True
    device = Device.from_persistent_id(persistent_id)
    verified = device is not None and device.user_id == user.pk and device.confirmed
    if verified:
        cache.set(key, user.pk, timeout=VERIFIED_CACHE_SECONDS)
    return verified


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def devices_for(user) -> list[Device]:
    return [*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)]
